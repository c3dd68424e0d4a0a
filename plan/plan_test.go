package plan

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPlanKeepsChangesSorted(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	for _, path := range []string{"z.txt", "a/b.txt", "m", "a-b", "a/a.txt"} {
		if err := p.Create(path, []byte(path)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Path)
	}
	want := []string{"a-b", "a/a.txt", "a/b.txt", "m", "z.txt"}
	if !slices.Equal(got, want) {
		t.Errorf("paths = %q, want %q", got, want)
	}
}

func TestPlanRefusesDuplicatesAndConflicts(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"exists.txt": "x", "sub/f": "f"})
	p := New(dir)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(p.Create("new.txt", []byte("n")))
	must(p.Update("upd.txt", []byte("1"), []byte("2")))
	must(p.Delete("del.txt", []byte("d")))
	for _, tc := range []struct {
		err  error
		want string
	}{
		{p.Create("exists.txt", nil), "create exists.txt: file already exists"},
		{p.Create("sub", nil), "create sub: a directory of that name already exists"},
		{p.Create("sub/f/g", nil), "create sub/f/g: lstat"},
		{p.Create("new.txt", nil), "create new.txt: already planned"},
		{p.Create("upd.txt", nil), "create upd.txt: already planned"},
		{p.Update("upd.txt", []byte("1"), []byte("3")), "update upd.txt: already planned with different content"},
		{p.Update("del.txt", []byte("d"), []byte("3")), "update del.txt: already planned for deletion"},
		{p.Delete("del.txt", []byte("d")), "delete del.txt: already planned for deletion"},
		{p.Create("new.txt/inner", nil), "create new.txt/inner: conflicts with planned change to new.txt"},
		{p.Update("upd.txt/x/y", nil, nil), "update upd.txt/x/y: conflicts with planned change to upd.txt"},
		{p.Create("new2/x", nil), ""},
		{p.Delete("new2", nil), "delete new2: conflicts with planned change to new2/x inside it"},
		{p.Create("../escape", nil), `create: invalid path "../escape"`},
		{p.Update("/abs", nil, nil), `update: invalid path "/abs"`},
		{p.Delete("a//b", nil), `delete: invalid path "a//b"`},
		{p.Create(".", nil), `create: invalid path "."`},
		{p.Create("", nil), `create: invalid path ""`},
		{p.Create(`win\path`, nil), `create: invalid path "win\\path"`},
	} {
		switch {
		case tc.want == "" && tc.err != nil:
			t.Errorf("unexpected error %v", tc.err)
		case tc.want != "" && (tc.err == nil || !strings.HasPrefix(tc.err.Error(), tc.want)):
			t.Errorf("error = %v, want prefix %q", tc.err, tc.want)
		}
	}
}

func TestPlanChainsEdits(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"f": "v1", "g": "g1"})
	p := New(dir)
	if err := p.Update("f", []byte("v1"), []byte("v2")); err != nil {
		t.Fatal(err)
	}
	if err := p.Update("f", []byte("v2"), []byte("v3")); err != nil {
		t.Fatal(err)
	}
	c, ok := p.Lookup("f")
	if !ok || string(c.Old) != "v1" || string(c.New) != "v3" {
		t.Fatalf("Lookup(f) = %q -> %q, %v; want v1 -> v3", c.Old, c.New, ok)
	}
	// Create then delete leaves nothing.
	if err := p.Create("tmp", []byte("t")); err != nil {
		t.Fatal(err)
	}
	if err := p.Delete("tmp", []byte("t")); err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Lookup("tmp"); ok {
		t.Error("created then deleted file still planned")
	}
	// Delete then create is an update.
	if err := p.Delete("g", []byte("g1")); err != nil {
		t.Fatal(err)
	}
	if err := p.Create("g", []byte("g2")); err != nil {
		t.Fatal(err)
	}
	if c, _ := p.Lookup("g"); string(c.Old) != "g1" || string(c.New) != "g2" {
		t.Errorf("g = %q -> %q, want g1 -> g2", c.Old, c.New)
	}
	if err := p.Apply(OS()); err != nil {
		t.Fatal(err)
	}
	want := treeOf(map[string]string{"f": "v3", "g": "g2"})
	if d := snapshotDiff(want, snapshot(t, dir), true); d != "" {
		t.Error(d)
	}
}

func TestPlanCopiesContent(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"f": "old"})
	old, new := []byte("old"), []byte("new")
	p := New(dir)
	if err := p.Update("f", old, new); err != nil {
		t.Fatal(err)
	}
	copy(old, "XXX")
	copy(new, "YYY")
	if err := p.Apply(OS()); err != nil {
		t.Fatal(err)
	}
	if got := string(mustRead(t, dir, "f")); got != "new" {
		t.Errorf("f = %q, want %q", got, "new")
	}
}

func TestPlanEmpty(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"f": "same"})
	p := New(dir)
	if !p.Empty() {
		t.Error("new plan not empty")
	}
	if err := p.Update("f", []byte("same"), []byte("same")); err != nil {
		t.Fatal(err)
	}
	if !p.Empty() || len(p.Diff()) != 0 {
		t.Errorf("plan with an unchanged file: Empty() = %v, Diff() = %q", p.Empty(), p.Diff())
	}
	if err := p.Create("g", nil); err != nil {
		t.Fatal(err)
	}
	if p.Empty() {
		t.Error("plan creating an empty file is empty")
	}
}

// TestApplyUnchangedFileVerified checks that a file the plan read but does
// not change must still be as read: the plan was computed from it.
func TestApplyUnchangedFileVerified(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"input": "v1", "output": "o1"})
	p := New(dir)
	if err := p.Update("input", []byte("v1"), []byte("v1")); err != nil {
		t.Fatal(err)
	}
	if err := p.Update("output", []byte("o1"), []byte("o2")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "input"), []byte("v2"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := p.Apply(OS())
	if err == nil || err.Error() != "input changed on disk since it was read; nothing written" {
		t.Fatalf("Apply = %v", err)
	}
	if got := string(mustRead(t, dir, "output")); got != "o1" {
		t.Errorf("output = %q, want o1", got)
	}
}

// TestApplyLiteralChanges checks a plan whose Changes were built directly.
func TestApplyLiteralChanges(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a": "1", "b": "2"})
	p := &Plan{Root: dir, Changes: []Change{
		{Path: "a", Old: []byte("1"), New: []byte("one")},
		{Path: "b", Old: []byte("2")},
		{Path: "c/d", New: []byte("new")},
	}}
	if err := p.Apply(OS()); err != nil {
		t.Fatal(err)
	}
	want := treeOf(map[string]string{"a": "one", "c/d": "new"})
	if d := snapshotDiff(want, snapshot(t, dir), true); d != "" {
		t.Error(d)
	}

	for _, bad := range [][]Change{
		{{Path: "b", New: []byte{}}, {Path: "a", New: []byte{}}},
		{{Path: "a", New: []byte{}}, {Path: "a", New: []byte{}}},
		{{Path: "a", New: []byte{}}, {Path: "a/b", New: []byte{}}},
		{{Path: "../a", New: []byte{}}},
	} {
		p := &Plan{Root: dir, Changes: bad}
		if err := p.Apply(OS()); err == nil || !strings.HasPrefix(err.Error(), "invalid plan: ") {
			t.Errorf("Apply(%v) = %v, want invalid plan", bad, err)
		}
	}
}
