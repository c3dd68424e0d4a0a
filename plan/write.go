package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/dfversion/dfversion/internal/parallel"
)

// undoStep reverses one step of the write phase.
type undoStep struct {
	path string // plan path, named if the undo fails
	// undo reverses the step. done says the step reported success; if not,
	// the step failed but may still have taken effect, and undo first looks
	// whether there is anything to reverse.
	undo func(done bool) error
	done bool
}

// write carries out the checked plan, undoing everything on failure.
func (a *applier) write() error {
	dirs := make([]string, 0, len(a.mkdirs))
	for dir := range a.mkdirs {
		dirs = append(dirs, dir)
	}
	slices.Sort(dirs) // parents before children
	if cw, ok := a.w.(concurrentWriter); ok && cw.concurrent() {
		return a.writeConcurrently(dirs)
	}
	for _, dir := range dirs {
		name := a.osPath(dir)
		a.push(dir, func(done bool) error { return a.removeCreated(name, done) })
		if err := a.w.Mkdir(name, 0o755); err != nil {
			return a.rollback("creating directory "+dir, err)
		}
		a.done()
	}
	for _, t := range a.targets {
		switch {
		case t.c.Old == nil:
			a.push(t.c.Path, func(done bool) error { return a.removeCreated(t.write, done) })
			if err := a.w.WriteFile(t.write, t.c.New, 0o644); err != nil {
				return a.rollback("creating "+t.c.Path, err)
			}
		case t.c.New == nil:
			a.push(t.c.Path, func(done bool) error { return a.recreate(t, done) })
			if err := a.w.Remove(t.name); err != nil {
				return a.rollback("deleting "+t.c.Path, err)
			}
		default:
			a.push(t.c.Path, func(done bool) error { return a.restore(t, done) })
			if err := a.w.WriteFile(t.write, t.c.New, 0o644); err != nil {
				return a.rollback("writing "+t.c.Path, err)
			}
		}
		a.done()
	}
	return a.removeEmptied()
}

// removeEmptied removes the directories the plan's deletions left empty,
// the last step of a write.
func (a *applier) removeEmptied() error {
	for _, d := range a.rmdirs {
		name := a.osPath(d.path)
		a.push(d.path, func(done bool) error { return a.recreateDir(name, d.mode, done) })
		if err := a.w.Remove(name); err != nil {
			return a.rollback("removing empty directory "+d.path, err)
		}
		a.done()
	}
	return nil
}

// push records how to undo the step about to be taken. It is recorded
// before the step so that a step that failed halfway is undone too.
func (a *applier) push(path string, undo func(done bool) error) {
	a.undo = append(a.undo, undoStep{path: path, undo: undo})
}

// done records that the step pushed last succeeded.
func (a *applier) done() {
	a.undo[len(a.undo)-1].done = true
}

// rollback undoes every recorded step, newest first, and returns the error
// describing the failed step and the outcome of the undo.
func (a *applier) rollback(step string, cause error) error {
	var failed []error
	for i := len(a.undo) - 1; i >= 0; i-- {
		u := a.undo[i]
		if err := u.undo(u.done); err != nil {
			failed = append(failed, &problem{path: u.path, detail: "(" + err.Error() + ")", err: err})
		}
	}
	a.undo = nil
	if len(failed) == 0 {
		return fmt.Errorf("%s: %w; every change was undone, the tree was restored", step, cause)
	}
	slices.SortFunc(failed, func(x, y error) int {
		return strings.Compare(x.(*problem).path, y.(*problem).path)
	})
	return &rollbackError{step: step, cause: cause, failed: failed}
}

// exists reports whether name exists, for undoing a step that failed.
func (a *applier) exists(name string) (bool, error) {
	_, err := a.w.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// removeCreated undoes the creation of a file or directory.
func (a *applier) removeCreated(name string, done bool) error {
	if !done {
		if ok, err := a.exists(name); !ok {
			return err
		}
	}
	return a.w.Remove(name)
}

// restore undoes the update of t, putting back the content found on disk.
func (a *applier) restore(t *target, done bool) error {
	if !done {
		data, err := a.w.ReadFile(t.write)
		if err == nil && bytes.Equal(data, t.disk) {
			return nil
		}
	}
	if err := a.w.WriteFile(t.write, t.disk, t.mode); err != nil {
		return err
	}
	if done {
		return nil // WriteFile kept the mode of the file it replaced
	}
	return a.w.Chmod(t.write, t.mode)
}

// recreate undoes the deletion of t: the file with its content and mode, or
// the symbolic link with its destination.
func (a *applier) recreate(t *target, done bool) error {
	if !done {
		if ok, err := a.exists(t.name); ok || err != nil {
			return err
		}
	}
	if t.isLink {
		return a.w.Symlink(t.link, t.name)
	}
	if err := a.w.WriteFile(t.name, t.disk, t.mode); err != nil {
		return err
	}
	return a.w.Chmod(t.name, t.mode) // WriteFile applied the umask
}

// recreateDir undoes the removal of an emptied directory.
func (a *applier) recreateDir(name string, mode fs.FileMode, done bool) error {
	if !done {
		if ok, err := a.exists(name); ok || err != nil {
			return err
		}
	}
	if err := a.w.Mkdir(name, mode); err != nil {
		return err
	}
	return a.w.Chmod(name, mode)
}

// concurrentWriter is a Writer whose operations may run on several
// goroutines at once, on different names. OS is one.
type concurrentWriter interface {
	Writer
	concurrent() bool
}

// writeWorkers is how many directories or files writeConcurrently works
// on at once. Each write waits for the disk (the file is synced before it
// replaces the destination), not for the processor, so there are more
// than there are cores.
const writeWorkers = 16

// writeConcurrently carries out the checked plan as write does, but with
// the directories of each depth created, and then the files written,
// several at once: a bump of thousands of functions creates thousands of
// folders and files, and one at a time each waits for its sync. The undo
// steps are recorded in the order write records them, whatever order the
// steps finished in; when steps fail, every step is undone (one that
// failed too, if it took effect) and the error is that of the first that
// failed in that order, as write would have stopped there.
func (a *applier) writeConcurrently(dirs []string) error {
	for len(dirs) > 0 {
		// The shallowest directories left first: their parents exist.
		depth := strings.Count(dirs[0], "/")
		for _, dir := range dirs {
			depth = min(depth, strings.Count(dir, "/"))
		}
		var level, rest []string
		for _, dir := range dirs {
			if strings.Count(dir, "/") == depth {
				level = append(level, dir)
			} else {
				rest = append(rest, dir)
			}
		}
		errs := concurrently(len(level), func(i int) error { return a.w.Mkdir(a.osPath(level[i]), 0o755) })
		failed := -1
		for i, dir := range level {
			name := a.osPath(dir)
			a.push(dir, func(done bool) error { return a.removeCreated(name, done) })
			if errs[i] == nil {
				a.done()
			} else if failed < 0 {
				failed = i
			}
		}
		if failed >= 0 {
			return a.rollback("creating directory "+level[failed], errs[failed])
		}
		dirs = rest
	}
	var writes, removes []*target
	for _, t := range a.targets {
		if t.c.New == nil {
			removes = append(removes, t)
		} else {
			writes = append(writes, t)
		}
	}
	errs := concurrently(len(writes), func(i int) error { return a.w.WriteFile(writes[i].write, writes[i].c.New, 0o644) })
	failed := -1
	for i, t := range writes {
		if t.c.Old == nil {
			a.push(t.c.Path, func(done bool) error { return a.removeCreated(t.write, done) })
		} else {
			a.push(t.c.Path, func(done bool) error { return a.restore(t, done) })
		}
		if errs[i] == nil {
			a.done()
		} else if failed < 0 {
			failed = i
		}
	}
	if failed >= 0 {
		step := "writing "
		if writes[failed].c.Old == nil {
			step = "creating "
		}
		return a.rollback(step+writes[failed].c.Path, errs[failed])
	}
	for _, t := range removes {
		a.push(t.c.Path, func(done bool) error { return a.recreate(t, done) })
		if err := a.w.Remove(t.name); err != nil {
			return a.rollback("deleting "+t.c.Path, err)
		}
		a.done()
	}
	return a.removeEmptied()
}

// concurrently runs do(0), ..., do(n-1) on up to writeWorkers goroutines
// and returns their errors by index.
func concurrently(n int, do func(i int) error) []error {
	errs := make([]error, n)
	parallel.For(n, writeWorkers, func(i int) { errs[i] = do(i) })
	return errs
}
