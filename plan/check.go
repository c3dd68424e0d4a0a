package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// fail records a problem found by the check.
func (a *applier) fail(path, detail string, err error) {
	a.problems = append(a.problems, &problem{path: path, detail: detail, err: err})
}

// check examines every change and the directories they need, without
// writing, and returns the problems found.
func (a *applier) check(changes []Change) error {
	if len(changes) == 0 {
		return nil
	}
	if fi, err := a.w.Stat(a.root); err != nil {
		return fmt.Errorf("plan root: %w; nothing written", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("plan root %s is not a directory; nothing written", a.root)
	}
	for i := range changes {
		c := &changes[i]
		switch {
		case c.Old == nil && c.New == nil:
			// Nothing to check or do.
		case c.isNoop():
			a.checkUnchanged(c)
		case c.isCreate():
			a.checkCreate(c)
		default:
			a.checkExisting(c)
		}
	}
	a.findEmptied()
	if len(a.problems) > 0 {
		return &checkError{problems: a.problems}
	}
	return nil
}

// checkUnchanged checks a change that writes nothing: the file must still be
// as it was read, since the plan was computed from it.
func (a *applier) checkUnchanged(c *Change) {
	data, err := a.w.ReadFile(a.osPath(c.Path))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		a.fail(c.Path, ErrChanged.Error(), ErrChanged)
	case err != nil:
		a.fail(c.Path, "cannot be read: "+err.Error(), err)
	case !c.expected().matches(data):
		a.fail(c.Path, ErrChanged.Error(), ErrChanged)
	}
}

// checkCreate checks a file to create: it must not exist, and its missing
// parent directories are recorded.
func (a *applier) checkCreate(c *Change) {
	t := &target{c: c, name: a.osPath(c.Path)}
	t.write = t.name
	fi, err := a.w.Lstat(t.name)
	switch {
	case err == nil && fi.IsDir():
		a.fail(c.Path, "is a directory", fs.ErrExist)
		return
	case err == nil:
		a.fail(c.Path, "already exists", fs.ErrExist)
		return
	case !missing(err):
		a.fail(c.Path, "cannot be checked: "+err.Error(), err)
		return
	}
	if a.needDirs(c.Path) {
		a.addTarget(t, "")
	}
}

// needDirs records the missing parent directories of the plan path p, and
// reports whether the file can be created: its nearest existing ancestor
// must be a directory (or a symbolic link to one).
func (a *applier) needDirs(p string) bool {
	for dir := parentOf(p); dir != "." && !a.mkdirs[dir] && !a.dirOK[dir]; dir = parentOf(dir) {
		fi, err := a.w.Stat(a.osPath(dir))
		switch {
		case missing(err):
			a.mkdirs[dir] = true
		case err != nil:
			a.fail(p, "cannot be checked: "+err.Error(), err)
			return false
		case !fi.IsDir():
			a.fail(p, "cannot be created: "+dir+" is not a directory", fs.ErrInvalid)
			return false
		default:
			a.dirOK[dir] = true
			return true
		}
	}
	return true
}

// checkExisting checks a file to update or delete: it must still be a
// writable regular file with the content recorded when it was read.
func (a *applier) checkExisting(c *Change) {
	t := &target{c: c, name: a.osPath(c.Path)}
	t.write = t.name
	fi, err := a.w.Lstat(t.name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		a.fail(c.Path, ErrChanged.Error(), ErrChanged)
		return
	case err != nil:
		a.fail(c.Path, "cannot be checked: "+err.Error(), err)
		return
	}
	key := ""
	if fi.Mode()&fs.ModeSymlink != 0 {
		resolved, err := a.w.EvalSymlinks(t.name)
		if err != nil {
			a.fail(c.Path, "is a symbolic link that cannot be followed: "+err.Error(), err)
			return
		}
		if c.New == nil {
			// Deleting removes the link itself; remember where it points.
			if t.link, err = a.w.Readlink(t.name); err != nil {
				a.fail(c.Path, "cannot be checked: "+err.Error(), err)
				return
			}
			t.isLink = true
		} else {
			t.write = resolved
			key = resolved
		}
		if fi, err = a.w.Lstat(resolved); err != nil {
			a.fail(c.Path, "cannot be checked: "+err.Error(), err)
			return
		}
	}
	switch {
	case fi.IsDir():
		a.fail(c.Path, "is a directory", fs.ErrInvalid)
		return
	case !fi.Mode().IsRegular():
		a.fail(c.Path, "is not a regular file ("+fi.Mode().Type().String()+")", fs.ErrInvalid)
		return
	}
	data, err := a.w.ReadFile(t.write)
	if err != nil {
		a.fail(c.Path, "cannot be read: "+err.Error(), err)
		return
	}
	if !c.expected().matches(data) {
		a.fail(c.Path, ErrChanged.Error(), ErrChanged)
		return
	}
	t.disk, t.mode = data, fi.Mode().Perm()
	if !t.isLink && t.mode&0o200 == 0 {
		a.fail(c.Path, fmt.Sprintf("%s (mode %s); make it writable to let it be changed", ErrReadOnly, t.mode), ErrReadOnly)
		return
	}
	a.addTarget(t, key)
}

// addTarget records a checked target, refusing two plan paths that name the
// same file through symbolic links. key is the canonical path of the file
// written, or "" to compute it from the plan path.
func (a *applier) addTarget(t *target, key string) {
	if key == "" {
		var err error
		if key, err = a.canonical(t.c.Path); err != nil {
			a.fail(t.c.Path, "cannot be checked: "+err.Error(), err)
			return
		}
	}
	if other, ok := a.writers[key]; ok {
		a.fail(t.c.Path, "is the same file as "+other+" (through a symbolic link); plan only one of them", fs.ErrInvalid)
		return
	}
	a.writers[key] = t.c.Path
	a.targets = append(a.targets, t)
}

// canonicalDir returns the operating-system path of the plan directory dir
// with every symbolic link resolved, so that two spellings of one file
// compare equal. A directory the plan creates is resolved through its parent.
func (a *applier) canonicalDir(dir string) (string, error) {
	if r, ok := a.canon[dir]; ok {
		return r, nil
	}
	var r string
	var err error
	if a.mkdirs[dir] {
		if r, err = a.canonicalDir(parentOf(dir)); err == nil {
			r = filepath.Join(r, path.Base(dir))
		}
	} else {
		r, err = a.w.EvalSymlinks(a.osPath(dir))
	}
	if err != nil {
		return "", err
	}
	a.canon[dir] = r
	return r, nil
}

// canonical returns the canonical operating-system path of the file at the
// plan path p, not following a final symbolic link.
func (a *applier) canonical(p string) (string, error) {
	dir, err := a.canonicalDir(parentOf(p))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, path.Base(p)), nil
}

// findEmptied finds the directories that the plan's deletions leave empty,
// so that Apply removes them as git apply and patch do. A directory that
// receives a new file, or that is a symbolic link, is kept.
func (a *applier) findEmptied() {
	deleted := map[string]bool{}
	keep := map[string]bool{}
	var candidates []string
	for _, t := range a.targets {
		if t.c.New != nil {
			for dir := parentOf(t.c.Path); dir != "." && !keep[dir]; dir = parentOf(dir) {
				keep[dir] = true
			}
			continue
		}
		deleted[t.c.Path] = true
		for dir := parentOf(t.c.Path); dir != "."; dir = parentOf(dir) {
			candidates = append(candidates, dir)
		}
	}
	slices.SortFunc(candidates, func(x, y string) int {
		if d := strings.Count(y, "/") - strings.Count(x, "/"); d != 0 {
			return d // deepest first
		}
		return strings.Compare(x, y)
	})
	candidates = slices.Compact(candidates)
	gone := map[string]bool{}
	for _, dir := range candidates {
		if keep[dir] {
			continue
		}
		name := a.osPath(dir)
		fi, err := a.w.Lstat(name)
		if err != nil {
			a.fail(dir, "cannot be checked: "+err.Error(), err)
			continue
		}
		if !fi.IsDir() {
			continue // a symbolic link to a directory stays
		}
		entries, err := a.w.ReadDir(name)
		if err != nil {
			a.fail(dir, "cannot be listed: "+err.Error(), err)
			continue
		}
		empty := true
		for _, e := range entries {
			if child := dir + "/" + e.Name(); !deleted[child] && !gone[child] {
				empty = false
				break
			}
		}
		if empty {
			gone[dir] = true
			a.rmdirs = append(a.rmdirs, emptied{path: dir, mode: fi.Mode().Perm()})
		}
	}
}

// missing reports whether err says a path does not exist, including because
// one of its parents is not a directory.
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// parentOf returns the plan path of the directory holding path ("." at top).
func parentOf(p string) string {
	return path.Dir(p)
}
