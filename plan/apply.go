package plan

import (
	"fmt"
	"io/fs"
	"path/filepath"
)

// Apply writes the plan through w, all or nothing.
//
// It first checks every change without writing anything: a file to update or
// delete must still have the size and SHA-256 recorded when it was read, must
// be a regular file (a symbolic link is followed) and must be writable by its
// owner; a file to create must not exist. Every problem found is reported and
// nothing is written.
//
// It then creates missing parent directories (0755), writes each file
// atomically (an existing file keeps its mode, a new one gets 0644; a
// symbolic link is written through, so it stays a link), deletes files
// (a symbolic link itself is removed, not its destination) and removes
// directories the deletions left empty.
//
// If a step fails, Apply undoes every step already taken, in reverse order,
// and returns an error naming the failing path and saying the tree was
// restored, or, if undoing failed as well, wrapping [ErrNotRestored] and
// naming each path that could not be restored.
//
// Apply does not lock files: a modification made in the short interval
// between the check and the write is not detected.
func (p *Plan) Apply(w Writer) error {
	if err := p.validate(); err != nil {
		return err
	}
	root := p.Root
	if root == "" {
		root = "."
	}
	a := &applier{
		w:       w,
		root:    root,
		mkdirs:  map[string]bool{},
		dirOK:   map[string]bool{},
		writers: map[string]string{},
		canon:   map[string]string{},
	}
	if err := a.check(p.Changes); err != nil {
		return err
	}
	return a.write()
}

// validate checks the invariants of Changes, which callers can modify
// directly: valid paths, sorted, unique, none inside another.
func (p *Plan) validate() error {
	seen := make(map[string]bool, len(p.Changes))
	for i := range p.Changes {
		c := &p.Changes[i]
		if err := checkPath(c.Path); err != nil {
			return fmt.Errorf("invalid plan: %w", err)
		}
		if i > 0 && p.Changes[i-1].Path >= c.Path {
			return fmt.Errorf("invalid plan: changes not sorted by path, or %s planned twice", c.Path)
		}
		seen[c.Path] = true
	}
	for path := range seen {
		for dir := parentOf(path); dir != "."; dir = parentOf(dir) {
			if seen[dir] {
				return fmt.Errorf("invalid plan: %s is planned as a file, but %s is inside it", dir, path)
			}
		}
	}
	return nil
}

// applier carries the state of one Apply call.
type applier struct {
	w    Writer
	root string

	targets  []*target         // changes that write, in path order
	mkdirs   map[string]bool   // plan-relative directories to create
	dirOK    map[string]bool   // plan-relative directories known to exist
	rmdirs   []emptied         // directories to remove, deepest first
	writers  map[string]string // canonical OS path written -> plan path, to catch aliases
	canon    map[string]string // plan directory -> canonical OS path
	problems []error           // what the check found wrong
	undo     []undoStep        // how to reverse each step taken so far
}

// target is one change that writes, resolved against the file system.
type target struct {
	c      *Change
	name   string      // OS path of c.Path
	write  string      // file written: name, or the file the symbolic link at name resolves to
	isLink bool        // a symbolic link at name is deleted
	link   string      // that link's destination, to recreate it
	mode   fs.FileMode // permission bits of the existing file
	disk   []byte      // content found on disk, which an undo puts back
}

// emptied is a directory that the plan's deletions leave empty.
type emptied struct {
	path string      // plan-relative path
	mode fs.FileMode // permission bits, to recreate it
}

// osPath turns a plan path into an operating-system path.
func (a *applier) osPath(path string) string {
	return filepath.Join(a.root, filepath.FromSlash(path))
}
