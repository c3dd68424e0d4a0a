package check

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dfversion/dfversion/internal/gitx"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

// revision is the app as a git revision has it: its function versions'
// lock entries (every one of them counts as released) and its lock file.
type revision struct {
	entries map[string]manifest.LockEntry
	lock    *manifest.Lock
	cleanup func()
}

// loadRevision reads the app at opts.Against: the revision's tree is
// exported to a temporary directory with git archive and loaded the way
// the working tree was. The user's work tree is not touched.
func loadRevision(opts Options) (*revision, error) {
	appDir := opts.Load.AppDir
	repo, err := gitx.Open(appDir)
	if errors.Is(err, gitx.ErrNotRepository) {
		return nil, fmt.Errorf("--against %s: %s is not in a git repository; run it in a git checkout, or drop --against", opts.Against, appDir)
	}
	if err != nil {
		return nil, err
	}
	if _, err := repo.Resolve(opts.Against); err != nil {
		return nil, fmt.Errorf("--against: %w", err)
	}
	dir, err := os.MkdirTemp("", "dfversion-against-")
	if err != nil {
		return nil, fmt.Errorf("--against: %w", err)
	}
	rev := &revision{cleanup: func() { os.RemoveAll(dir) }}
	if err := repo.Export(opts.Against, dir); err != nil {
		rev.cleanup()
		return nil, err
	}
	// Every path of the load, moved into the exported tree.
	inTree := func(path string) (string, error) {
		if path == "" {
			return "", nil
		}
		rel, err := repo.Rel(path)
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, rel), nil
	}
	load := opts.Load
	load.AllowMissingHandlers = true
	if load.AppDir, err = inTree(appDir); err != nil {
		rev.cleanup()
		return nil, err
	}
	if load.ModuleDir, err = inTree(load.ModuleDir); err != nil {
		rev.cleanup()
		return nil, err
	}
	var settings []string
	for _, s := range load.SettingsFiles {
		t, err := inTree(s)
		if err != nil {
			rev.cleanup()
			return nil, err
		}
		if _, err := os.Stat(t); err == nil {
			settings = append(settings, t)
		}
	}
	load.SettingsFiles = settings
	rev.entries = map[string]manifest.LockEntry{}
	rev.lock = &manifest.Lock{Functions: map[string]manifest.LockEntry{}}
	if _, err := os.Stat(filepath.Join(load.AppDir, manifest.HostFile)); err != nil {
		return rev, nil // the app is new since the revision: nothing released
	}
	base, err := project.Load(load)
	if err != nil {
		rev.cleanup()
		return nil, fmt.Errorf("reading the app at %s: %w", opts.Against, err)
	}
	versions, err := Versions(base)
	if err != nil {
		rev.cleanup()
		return nil, fmt.Errorf("reading the app at %s: %w", opts.Against, err)
	}
	for name, v := range versions {
		rev.entries[name] = v.Entry
	}
	if lock, _, err := manifest.ReadLock(filepath.Join(load.AppDir, manifest.LockFile)); err == nil {
		rev.lock = lock
		for name, e := range lock.Functions {
			if _, ok := rev.entries[name]; !ok && !e.Retired {
				rev.entries[name] = e // released, gone from the code at the revision already
			}
		}
	}
	return rev, nil
}
