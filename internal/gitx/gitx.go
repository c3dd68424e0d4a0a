// Package gitx reads files at a revision of a git repository through git
// itself, without touching the work tree, the index or HEAD.
package gitx

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	pathpkg "path"
	"path/filepath"
	"strings"
)

// ErrNotRepository is returned by Open for a directory outside any git
// work tree (or when git is not installed).
var ErrNotRepository = errors.New("not in a git repository")

// Repo is a git work tree.
type Repo struct {
	// Root is the absolute path of the work tree's top-level directory.
	Root string
}

// Open finds the git work tree that holds dir.
func Open(dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, ErrNotRepository
	}
	out, err := run(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, ErrNotRepository
	}
	root := strings.TrimSpace(string(out))
	if abs, err := filepath.EvalSymlinks(root); err == nil {
		root = abs
	}
	return &Repo{Root: root}, nil
}

// Resolve returns the commit a revision names, or an error saying the
// revision is unknown.
func (r *Repo) Resolve(rev string) (string, error) {
	out, err := run(r.Root, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("git revision %q not found in %s; fetch it (a shallow CI checkout may lack it: git fetch origin), or name another", rev, r.Root)
	}
	return strings.TrimSpace(string(out)), nil
}

// Show returns the content of the file at path (absolute, inside the work
// tree) at the revision. ok is false when the file does not exist there.
func (r *Repo) Show(rev, path string) (content []byte, ok bool, err error) {
	rel, err := r.rel(path)
	if err != nil {
		return nil, false, err
	}
	// cat-file -e tells a missing file from a failing git.
	if _, err := run(r.Root, "cat-file", "-e", rev+":"+rel); err != nil {
		return nil, false, nil
	}
	out, err := run(r.Root, "cat-file", "blob", rev+":"+rel)
	if err != nil {
		return nil, false, fmt.Errorf("reading %s at %s: %w", rel, rev, err)
	}
	return out, true, nil
}

// Exist reports which of the files at paths (absolute, inside the work
// tree) are in the tree of the revision, in one git call; a folder there
// does not count as a file. The map holds the paths as given.
func (r *Repo) Exist(rev string, paths []string) (map[string]bool, error) {
	found := map[string]bool{}
	if len(paths) == 0 {
		return found, nil
	}
	byRel := map[string][]string{}
	args := []string{"ls-tree", "-z", "--full-tree", rev, "--"}
	for _, p := range paths {
		// Resolve the folder's symlinks, not the file's: a function.json
		// that is a symlink is still that function's file.
		dir, err := r.rel(filepath.Dir(p))
		if err != nil {
			return nil, err
		}
		rel := pathpkg.Join(dir, filepath.Base(p))
		if _, seen := byRel[rel]; !seen {
			args = append(args, rel)
		}
		byRel[rel] = append(byRel[rel], p)
	}
	out, err := run(r.Root, args...)
	if err != nil {
		return nil, fmt.Errorf("listing files at %s: %w", rev, err)
	}
	// Each entry is "<mode> SP <type> SP <object> TAB <path>" and a NUL.
	for _, entry := range strings.Split(string(out), "\x00") {
		meta, rel, ok := strings.Cut(entry, "\t")
		if !ok || len(strings.Fields(meta)) < 2 || strings.Fields(meta)[1] != "blob" {
			continue
		}
		for _, p := range byRel[rel] {
			found[p] = true
		}
	}
	return found, nil
}

// rel makes path relative to the work tree, slash-separated, as git
// revision paths are written.
func (r *Repo) rel(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	rel, err := filepath.Rel(r.Root, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is outside the git work tree %s", path, r.Root)
	}
	return filepath.ToSlash(rel), nil
}

// run runs git in dir and returns its standard output.
func run(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], msg)
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return out, nil
}

// Export writes the tree of the revision into dir, as git archive has it,
// without touching the work tree, the index or HEAD.
func (r *Repo) Export(rev, dir string) error {
	cmd := exec.Command("git", "archive", "--format=tar", rev)
	cmd.Dir = r.Root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("git archive: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git archive: %w", err)
	}
	extractErr := untar(out, dir)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %s", rev, strings.TrimSpace(stderr.String()))
	}
	if extractErr != nil {
		return fmt.Errorf("extracting %s: %w", rev, extractErr)
	}
	return nil
}

// Rel makes path relative to the work tree's root, in the local form.
func (r *Repo) Rel(path string) (string, error) {
	rel, err := r.rel(path)
	return filepath.FromSlash(rel), err
}

// ExportIndex writes the staged content of every file (the index, as the
// next commit would hold it) into dir.
func (r *Repo) ExportIndex(dir string) error {
	prefix := dir + string(filepath.Separator)
	if _, err := run(r.Root, "checkout-index", "--all", "--force", "--prefix="+prefix); err != nil {
		return fmt.Errorf("exporting the staged files: %w", err)
	}
	return nil
}

// HookPath is where git looks for the named hook (.git/hooks/NAME, or
// under core.hooksPath).
func (r *Repo) HookPath(name string) (string, error) {
	out, err := run(r.Root, "rev-parse", "--git-path", "hooks/"+name)
	if err != nil {
		return "", err
	}
	path := strings.TrimSpace(string(out))
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.Root, path)
	}
	return path, nil
}
