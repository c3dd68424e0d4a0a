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

// StagedTree is the staged content of the repository that holds an app
// (what the next commit will hold, not the edits left unstaged), exported
// to a temporary directory, for the pre-commit hook.
type StagedTree struct {
	// Load is the app's load options moved into the exported tree.
	Load project.Options
	dir  string
	repo *gitx.Repo
}

// Staged exports the index of the repository holding load.AppDir.
func Staged(load project.Options) (*StagedTree, error) {
	repo, err := gitx.Open(load.AppDir)
	if errors.Is(err, gitx.ErrNotRepository) {
		return nil, fmt.Errorf("--staged: %s is not in a git repository; run it in a git checkout, or drop --staged", load.AppDir)
	}
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "dfversion-staged-")
	if err != nil {
		return nil, fmt.Errorf("--staged: %w", err)
	}
	t := &StagedTree{dir: dir, repo: repo}
	if err := repo.ExportIndex(dir); err != nil {
		t.Close()
		return nil, err
	}
	move := func(path string) (string, error) {
		if path == "" {
			return "", nil
		}
		rel, err := repo.Rel(path)
		if err != nil {
			return "", err
		}
		return filepath.Join(dir, rel), nil
	}
	t.Load = load
	if t.Load.AppDir, err = move(load.AppDir); err == nil {
		t.Load.ModuleDir, err = move(load.ModuleDir)
	}
	t.Load.SettingsFiles = nil
	for _, s := range load.SettingsFiles {
		if err != nil {
			break
		}
		var m string
		if m, err = move(s); err == nil {
			t.Load.SettingsFiles = append(t.Load.SettingsFiles, m)
		}
	}
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("--staged: %w", err)
	}
	return t, nil
}

// Back maps a path in the exported tree to the same file in the work tree,
// so findings name the files the user edits.
func (t *StagedTree) Back(path string) string {
	if rel, err := filepath.Rel(t.dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.Join(t.repo.Root, rel)
	}
	return path
}

// Close removes the exported tree.
func (t *StagedTree) Close() { os.RemoveAll(t.dir) }

// Dir is the directory the staged files were exported to.
func (t *StagedTree) Dir() string { return t.dir }
