package check

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dfversion/dfversion/internal/gitx"
	"github.com/dfversion/dfversion/project"
)

// exportedTree is a copy of the files of the repository that holds an app
// (at a revision, or as staged) in a temporary directory, so the app can
// be loaded as it is there without touching the user's work tree.
type exportedTree struct {
	repo *gitx.Repo
	dir  string
}

// exportTree exports, with export, the repository that holds appDir. flag
// names the option asking for it, for messages.
func exportTree(appDir, flag string, export func(repo *gitx.Repo, dir string) error) (*exportedTree, error) {
	repo, err := gitx.Open(appDir)
	if errors.Is(err, gitx.ErrNotRepository) {
		return nil, fmt.Errorf("%s: %s is not in a git repository; run it in a git checkout, or drop %s", flag, appDir, strings.Fields(flag)[0])
	}
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "dfversion-tree-")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	t := &exportedTree{repo: repo, dir: dir}
	if err := export(repo, dir); err != nil {
		t.close()
		return nil, err
	}
	return t, nil
}

// path moves a path of the work tree into the exported tree.
func (t *exportedTree) path(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	rel, err := t.repo.Rel(p)
	if err != nil {
		return "", err
	}
	return filepath.Join(t.dir, rel), nil
}

// moved returns load with its paths moved into the exported tree. A
// settings file the tree does not have is left out.
func (t *exportedTree) moved(load project.Options) (project.Options, error) {
	var err error
	if load.AppDir, err = t.path(load.AppDir); err != nil {
		return load, err
	}
	if load.ModuleDir, err = t.path(load.ModuleDir); err != nil {
		return load, err
	}
	var settings []string
	for _, s := range load.SettingsFiles {
		m, err := t.path(s)
		if err != nil {
			return load, err
		}
		if _, err := os.Stat(m); err == nil {
			settings = append(settings, m)
		}
	}
	load.SettingsFiles = settings
	return load, nil
}

// back maps a path in the exported tree to the same file in the work tree.
func (t *exportedTree) back(path string) string {
	if rel, err := filepath.Rel(t.dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.Join(t.repo.Root, rel)
	}
	return path
}

// close removes the exported tree.
func (t *exportedTree) close() { os.RemoveAll(t.dir) }
