package bump

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/dfversion/dfversion/plan"
)

// failingWriter is the real file system except that its nth mutating
// operation (write, mkdir, remove) fails with err.
type failingWriter struct {
	plan.Writer
	n, count int
	err      error
}

var errInjected = errors.New("injected failure")

func (w *failingWriter) step() error {
	w.count++
	if w.count == w.n {
		if w.err != nil {
			return w.err
		}
		return errInjected
	}
	return nil
}

func (w *failingWriter) WriteFile(name string, data []byte, perm fs.FileMode) error {
	if err := w.step(); err != nil {
		return err
	}
	return w.Writer.WriteFile(name, data, perm)
}

func (w *failingWriter) Mkdir(name string, perm fs.FileMode) error {
	if err := w.step(); err != nil {
		return err
	}
	return w.Writer.Mkdir(name, perm)
}

func (w *failingWriter) Remove(name string) error {
	if err := w.step(); err != nil {
		return err
	}
	return w.Writer.Remove(name)
}

// snapshot records every file under root with its mode and content.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		content := ""
		if d.Type().IsRegular() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			content = string(b)
		}
		out[rel] = info.Mode().String() + "\n" + content
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// plannedApp copies the hellocities sample, plans its bump and returns
// the plan and the folder its paths are relative to.
func plannedApp(t *testing.T) (*Result, string) {
	t.Helper()
	p := sampleApp(t, "hellocities", "apps/hellocities")
	root := filepath.Dir(filepath.Dir(p.App.Root))
	res, err := Plan(p, Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	return res, root
}

// TestApplyAllOrNothing applies a real bump plan of a sample app through a
// writer whose Nth operation fails, for every N, and checks that the tree
// is exactly as before after each failure; then applies it for real.
func TestApplyAllOrNothing(t *testing.T) {
	res, root := plannedApp(t)
	before := snapshot(t, root)
	for n := 1; ; n++ {
		w := &failingWriter{Writer: plan.OS(), n: n}
		err := res.Plan.Apply(w)
		if err == nil {
			if n == 1 {
				t.Fatal("the plan applied without a single mutating operation")
			}
			t.Logf("the plan takes %d operations", n-1)
			break
		}
		if !errors.Is(err, errInjected) {
			t.Fatalf("operation %d: unexpected error: %v", n, err)
		}
		after := snapshot(t, root)
		for path, want := range before {
			if after[path] != want {
				t.Errorf("operation %d failed, yet %s changed", n, path)
			}
		}
		for path := range after {
			if _, ok := before[path]; !ok {
				t.Errorf("operation %d failed, yet %s was left behind", n, path)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	after := snapshot(t, root)
	for _, c := range res.Plan.Changes {
		got, ok := after[filepath.FromSlash(c.Path)]
		if !ok || got[len(got)-len(c.New):] != string(c.New) {
			t.Errorf("%s does not hold its planned content after the bump", c.Path)
		}
	}
}

// TestApplyDiskFullAndReplacedFile covers two failures of real disks: no
// space left in the middle of the write, and a file replaced by a folder
// between planning and writing. Either way the tree is as before.
func TestApplyDiskFullAndReplacedFile(t *testing.T) {
	res, root := plannedApp(t)
	before := snapshot(t, root)

	full := &failingWriter{Writer: plan.OS(), n: 3, err: syscall.ENOSPC}
	if err := res.Plan.Apply(full); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("with the disk full, Apply returned %v", err)
	}
	if after := snapshot(t, root); !equalSnapshots(before, after) {
		t.Fatal("the disk filled up and the tree was not restored")
	}

	settings := filepath.Join(root, "apps", "hellocities", "local.settings.json")
	if err := os.Remove(settings); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(settings, 0o755); err != nil {
		t.Fatal(err)
	}
	replaced := snapshot(t, root)
	if err := res.Plan.Apply(plan.OS()); err == nil {
		t.Fatal("Apply wrote over a file that became a folder")
	}
	if after := snapshot(t, root); !equalSnapshots(replaced, after) {
		t.Fatal("a refused Apply changed the tree")
	}
}

func equalSnapshots(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
