package check

import (
	"github.com/dfversion/dfversion/internal/gitx"
	"github.com/dfversion/dfversion/project"
)

// StagedTree is the staged content of the repository that holds an app
// (what the next commit will hold, not the edits left unstaged), exported
// to a temporary directory, for the pre-commit hook.
type StagedTree struct {
	// Load is the app's load options moved into the exported tree.
	Load project.Options
	tree *exportedTree
}

// Staged exports the index of the repository holding load.AppDir.
func Staged(load project.Options) (*StagedTree, error) {
	tree, err := exportTree(load.AppDir, "--staged", func(repo *gitx.Repo, dir string) error {
		return repo.ExportIndex(dir)
	})
	if err != nil {
		return nil, err
	}
	moved, err := tree.moved(load)
	if err != nil {
		tree.close()
		return nil, err
	}
	return &StagedTree{Load: moved, tree: tree}, nil
}

// Back maps a path in the exported tree to the same file in the work tree,
// so findings name the files the user edits.
func (t *StagedTree) Back(path string) string { return t.tree.back(path) }

// Dir is the directory the staged files were exported to.
func (t *StagedTree) Dir() string { return t.tree.dir }

// Close removes the exported tree.
func (t *StagedTree) Close() { t.tree.close() }
