package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// faultyWriter wraps a Writer and makes its n-th operation (counting from 1)
// fail: before carrying it out, or after (the operation takes effect but
// still reports an error). With sticky, every operation from the n-th on
// fails.
type faultyWriter struct {
	Writer
	n      int
	after  bool
	sticky bool

	mu    sync.Mutex
	count int      // operations seen so far
	fired bool     // whether a failure was injected
	log   []string // operations seen, for failure messages
}

var errInjected = errors.New("injected fault")

// op runs one operation, failing it when its turn has come. Operations
// may come from several goroutines (see concurrentFaulty).
func (w *faultyWriter) op(desc string, do func() error) error {
	w.mu.Lock()
	w.count++
	w.log = append(w.log, fmt.Sprintf("%d %s", w.count, desc))
	pass := w.count < w.n || (w.count > w.n && !w.sticky)
	if !pass {
		w.fired = true
	}
	w.mu.Unlock()
	if pass {
		return do()
	}
	if w.after {
		do()
	}
	return fmt.Errorf("%s: %w", desc, errInjected)
}

// concurrentFaulty is a faultyWriter that Apply drives as it drives OS:
// several directories and files at once.
type concurrentFaulty struct{ *faultyWriter }

func (concurrentFaulty) concurrent() bool { return true }

// faulty returns w as Apply should see it: concurrent or not.
func faulty(w *faultyWriter, concurrent bool) Writer {
	if concurrent {
		return concurrentFaulty{w}
	}
	return w
}

func (w *faultyWriter) Lstat(name string) (fi fs.FileInfo, err error) {
	err = w.op("lstat "+name, func() (err error) { fi, err = w.Writer.Lstat(name); return err })
	return fi, err
}

func (w *faultyWriter) Stat(name string) (fi fs.FileInfo, err error) {
	err = w.op("stat "+name, func() (err error) { fi, err = w.Writer.Stat(name); return err })
	return fi, err
}

func (w *faultyWriter) EvalSymlinks(name string) (s string, err error) {
	err = w.op("evalsymlinks "+name, func() (err error) { s, err = w.Writer.EvalSymlinks(name); return err })
	return s, err
}

func (w *faultyWriter) Readlink(name string) (s string, err error) {
	err = w.op("readlink "+name, func() (err error) { s, err = w.Writer.Readlink(name); return err })
	return s, err
}

func (w *faultyWriter) ReadFile(name string) (b []byte, err error) {
	err = w.op("readfile "+name, func() (err error) { b, err = w.Writer.ReadFile(name); return err })
	return b, err
}

func (w *faultyWriter) ReadDir(name string) (d []fs.DirEntry, err error) {
	err = w.op("readdir "+name, func() (err error) { d, err = w.Writer.ReadDir(name); return err })
	return d, err
}

func (w *faultyWriter) WriteFile(name string, data []byte, perm fs.FileMode) error {
	return w.op("writefile "+name, func() error { return w.Writer.WriteFile(name, data, perm) })
}

func (w *faultyWriter) Remove(name string) error {
	return w.op("remove "+name, func() error { return w.Writer.Remove(name) })
}

func (w *faultyWriter) Mkdir(name string, perm fs.FileMode) error {
	return w.op("mkdir "+name, func() error { return w.Writer.Mkdir(name, perm) })
}

func (w *faultyWriter) Chmod(name string, mode fs.FileMode) error {
	return w.op("chmod "+name, func() error { return w.Writer.Chmod(name, mode) })
}

func (w *faultyWriter) Symlink(oldname, newname string) error {
	return w.op("symlink "+newname, func() error { return w.Writer.Symlink(oldname, newname) })
}

// faultFixture is a tree, a plan for it and the tree the plan produces.
type faultFixture struct {
	before, want map[string]entry
	changes      []Change
}

// newFaultFixture builds the tree every fault test starts from. Its plan
// creates files (one in new nested directories), updates files (one 0600,
// one through a symbolic link, one left as it was), deletes files (one a
// symbolic link, two emptying directories with unusual modes) and leaves
// some alone.
func newFaultFixture(t *testing.T) *faultFixture {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"host.json":                 "{}\n",
		"local.settings.json":       "{\"Values\": {}}\n",
		"private.json":              "secret\n",
		"shared/real.json":          "real\n",
		"HelloV0/function.json":     "v0\n",
		"HelloV0/deep/handler.go":   "package deep\n",
		"HelloV1/function.json":     "v1\n",
		"handlers/hello.go":         "package handlers\n",
		"handlers/untouched.go":     "package handlers\n",
		"obsolete/also/leftover.go": "package also\n",
	})
	chmod(t, dir, "private.json", 0o600)
	chmod(t, dir, "HelloV0/deep", 0o750)
	chmod(t, dir, "HelloV0", 0o700)
	symlink(t, dir, "shared/real.json", "link.json")
	symlink(t, dir, "handlers/untouched.go", "obsolete/link.go")

	p := New(dir)
	steps := []error{
		p.Create("HelloV2/function.json", []byte("v2\n")),
		p.Create("HelloV2/deep/nested/handler.go", []byte("package nested\n")),
		p.Create("handlers/hello_v2.go", []byte("package handlers\n\nfunc V2() {}")),
		p.Update("local.settings.json", []byte("{\"Values\": {}}\n"), []byte("{\"Values\": {\"V\": \"2\"}}\n")),
		p.Update("private.json", []byte("secret\n"), []byte("secret2\n")),
		p.Update("link.json", []byte("real\n"), []byte("real2\n")),
		p.Update("host.json", []byte("{}\n"), []byte("{}\n")),
		p.Delete("HelloV0/function.json", []byte("v0\n")),
		p.Delete("HelloV0/deep/handler.go", []byte("package deep\n")),
		p.Delete("obsolete/also/leftover.go", []byte("package also\n")),
		p.Delete("obsolete/link.go", []byte("package handlers\n")),
	}
	if err := errors.Join(steps...); err != nil {
		t.Fatal(err)
	}
	f := &faultFixture{before: snapshot(t, dir), changes: p.Changes}
	if err := p.Apply(OS()); err != nil {
		t.Fatal(err)
	}
	f.want = snapshot(t, dir)
	for _, gone := range []string{"HelloV0", "obsolete", "obsolete/link.go"} {
		if _, ok := f.want[gone]; ok {
			t.Fatalf("expected tree still holds %s", gone)
		}
	}
	if f.want["private.json"].mode != 0o600 || f.want["link.json"].mode&fs.ModeSymlink == 0 {
		t.Fatalf("expected tree lost a mode or a link")
	}
	return f
}

// setup recreates the fixture's tree in a new directory and returns its plan.
func (f *faultFixture) setup(t *testing.T) (dir string, p *Plan) {
	dir = t.TempDir()
	materialize(t, dir, f.before)
	return dir, &Plan{Root: dir, Changes: f.changes}
}

// TestApplyFaultEveryOperation fails each operation of Apply in turn, both
// before and after it takes effect, and checks that the tree is then exactly
// as before; with a writer taken one operation at a time, and with one
// taken several at once, as OS is.
func TestApplyFaultEveryOperation(t *testing.T) {
	for _, c := range []struct{ after, concurrent bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		after := c.after
		t.Run(fmt.Sprintf("after=%v,concurrent=%v", after, c.concurrent), func(t *testing.T) {
			f := newFaultFixture(t)
			writeFailures := 0
			for n := 1; ; n++ {
				dir, p := f.setup(t)
				before, want := f.before, f.want
				w := &faultyWriter{Writer: OS(), n: n, after: after}
				err := p.Apply(faulty(w, c.concurrent))
				if !w.fired {
					if err != nil {
						t.Fatalf("Apply without fault: %v", err)
					}
					if d := snapshotDiff(want, snapshot(t, dir), false); d != "" {
						t.Fatalf("tree after Apply:\n%s", d)
					}
					if writeFailures < 10 {
						t.Errorf("only %d failures hit the write phase", writeFailures)
					}
					t.Logf("%d operations, %d failures in the write phase", n-1, writeFailures)
					return
				}
				if err == nil {
					t.Fatalf("operation %d failed but Apply succeeded\n%s", n, strings.Join(w.log, "\n"))
				}
				if !errors.Is(err, errInjected) && !strings.Contains(err.Error(), errInjected.Error()) {
					t.Errorf("operation %d: error does not carry the fault: %v", n, err)
				}
				if testing.Verbose() {
					t.Logf("operation %d: %v", n, err)
				}
				switch msg := err.Error(); {
				case strings.HasSuffix(msg, "; nothing written"):
				case strings.HasSuffix(msg, "; every change was undone, the tree was restored"):
					writeFailures++
				default:
					t.Errorf("operation %d: error %q says neither that nothing was written nor that the tree was restored", n, msg)
				}
				if d := snapshotDiff(before, snapshot(t, dir), false); d != "" {
					t.Fatalf("operation %d failed (%v), tree not restored:\n%s\noperations:\n%s", n, err, d, strings.Join(w.log, "\n"))
				}
			}
		})
	}
}

// TestApplyFaultUndoFails makes every operation from the n-th on fail, so
// that undoing fails too, and checks that the error names every path left
// changed.
func TestApplyFaultUndoFails(t *testing.T) {
	for _, concurrent := range []bool{false, true} {
		t.Run(fmt.Sprintf("concurrent=%v", concurrent), func(t *testing.T) { testApplyFaultUndoFails(t, concurrent) })
	}
}

func testApplyFaultUndoFails(t *testing.T, concurrent bool) {
	f := newFaultFixture(t)
	partial := 0
	for n := 1; ; n++ {
		dir, p := f.setup(t)
		before := f.before
		w := &faultyWriter{Writer: OS(), n: n, sticky: true}
		err := p.Apply(faulty(w, concurrent))
		if !w.fired {
			if err != nil {
				t.Fatal(err)
			}
			if partial < 10 {
				t.Errorf("only %d failures left the tree partly changed", partial)
			}
			return
		}
		if errors.Is(err, ErrNotRestored) {
			partial++
			if testing.Verbose() {
				t.Logf("operation %d: %v", n, err)
			}
		}
		if err == nil {
			t.Fatalf("operation %d failed but Apply succeeded", n)
		}
		changed := changedPaths(before, snapshot(t, dir))
		if len(changed) > 0 && !errors.Is(err, ErrNotRestored) {
			t.Errorf("operation %d: tree left changed (%v) but error does not wrap ErrNotRestored: %v", n, changed, err)
		}
		for _, path := range changed {
			if !mentions(err.Error(), path, p) {
				t.Errorf("operation %d: %s left changed but not named in: %v", n, path, err)
			}
		}
	}
}

// mentions reports whether msg names path, or the planned path through
// which path was written (a symbolic link's destination).
func mentions(msg, path string, p *Plan) bool {
	if strings.Contains(msg, path) {
		return true
	}
	for _, c := range p.Changes {
		if dest, err := filepath.EvalSymlinks(filepath.Join(p.Root, c.Path)); err == nil &&
			dest == filepath.Join(p.Root, path) && strings.Contains(msg, c.Path) {
			return true
		}
	}
	return false
}

// pickyWriter fails the operations its fail function picks.
type pickyWriter struct {
	Writer
	fail func(op, name string) bool
}

func (w *pickyWriter) WriteFile(name string, data []byte, perm fs.FileMode) error {
	if w.fail("writefile", name) {
		return fmt.Errorf("writefile %s: %w", name, errInjected)
	}
	return w.Writer.WriteFile(name, data, perm)
}

// TestApplyUndoFailsForOneFile fails one write, then fails putting back one
// file already written, and checks that exactly that file is reported and
// left changed.
func TestApplyUndoFailsForOneFile(t *testing.T) {
	f := newFaultFixture(t)
	dir, p := f.setup(t)
	settings := filepath.Join(dir, "local.settings.json")
	writes := 0
	w := &pickyWriter{Writer: OS(), fail: func(op, name string) bool {
		if name == settings {
			writes++
			return writes == 2 // the write succeeds, putting it back fails
		}
		return name == filepath.Join(dir, "private.json")
	}}
	err := p.Apply(w)
	if err == nil {
		t.Fatal("Apply succeeded")
	}
	want := "writing private.json: writefile " + filepath.Join(dir, "private.json") + ": injected fault; " +
		"undoing failed too, the tree is partly changed; these files could not be restored: " +
		"local.settings.json (writefile " + settings + ": injected fault)"
	if err.Error() != want {
		t.Errorf("Apply = %v\nwant  %s", err, want)
	}
	if !errors.Is(err, ErrNotRestored) || !errors.Is(err, errInjected) {
		t.Errorf("error does not wrap ErrNotRestored and the cause")
	}
	if got := changedPaths(f.before, snapshot(t, dir)); len(got) != 1 || got[0] != "local.settings.json" {
		t.Errorf("paths left changed: %v, want [local.settings.json]", got)
	}
}
