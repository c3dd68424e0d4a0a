package check

import (
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
	var tree *exportedTree
	tree, err := exportTree(opts.Load.AppDir, "--against "+opts.Against, func(repo *gitx.Repo, dir string) error {
		if _, err := repo.Resolve(opts.Against); err != nil {
			return fmt.Errorf("--against: %w", err)
		}
		return repo.Export(opts.Against, dir)
	})
	if err != nil {
		return nil, err
	}
	rev := &revision{cleanup: tree.close}
	load, err := tree.moved(opts.Load)
	if err != nil {
		rev.cleanup()
		return nil, err
	}
	load.AllowMissingHandlers = true
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
