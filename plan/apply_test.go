package plan

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newFileMode returns the mode a file created with 0644 gets under the
// current umask.
func newFileMode(t *testing.T) fs.FileMode {
	t.Helper()
	name := filepath.Join(t.TempDir(), "probe")
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode()
}

func TestApplyKeepsModes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"private": "p1", "script.sh": "s1"})
	chmod(t, dir, "private", 0o600)
	chmod(t, dir, "script.sh", 0o755)
	p := planFor(t, dir,
		map[string]string{"private": "p1", "script.sh": "s1"},
		map[string]string{"private": "p2", "script.sh": "s2", "fresh/new": "n"})
	if err := p.Apply(OS()); err != nil {
		t.Fatal(err)
	}
	snap := snapshot(t, dir)
	for path, mode := range map[string]fs.FileMode{"private": 0o600, "script.sh": 0o755, "fresh/new": newFileMode(t)} {
		if got := snap[path].mode; got != mode {
			t.Errorf("%s: mode %v, want %v", path, got, mode)
		}
	}
	if got, want := snap["fresh"].mode, fs.ModeDir|newDirMask(t); got != want {
		t.Errorf("fresh: mode %v, want %v", got, want)
	}
	// No temporary file is left behind.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("root holds %d entries, want 3: %v", len(entries), entries)
	}
}

// newDirMask returns the permission bits a directory created with 0755 gets.
func newDirMask(t *testing.T) fs.FileMode {
	t.Helper()
	name := filepath.Join(t.TempDir(), "probe")
	if err := os.Mkdir(name, 0o755); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func chmod(t *testing.T, dir, path string, mode fs.FileMode) {
	t.Helper()
	if err := os.Chmod(filepath.Join(dir, filepath.FromSlash(path)), mode); err != nil {
		t.Fatal(err)
	}
}

func TestApplyDetectsConcurrentModification(t *testing.T) {
	before := map[string]string{"a.json": "{\"v\": 1}\n", "b.json": "{}\n", "c.json": "c\n"}
	after := map[string]string{"a.json": "{\"v\": 2}\n", "c.json": "c\n", "d.json": "d\n"}
	for _, tc := range []struct {
		name   string
		modify func(t *testing.T, dir string)
		want   string
	}{
		{"same size", func(t *testing.T, dir string) {
			writeFiles(t, dir, map[string]string{"a.json": "{\"v\": 9}\n"})
		}, "a.json changed on disk since it was read; nothing written"},
		{"other size", func(t *testing.T, dir string) {
			writeFiles(t, dir, map[string]string{"a.json": "{\"v\": 10}\n"})
		}, "a.json changed on disk since it was read; nothing written"},
		{"file to delete changed", func(t *testing.T, dir string) {
			writeFiles(t, dir, map[string]string{"b.json": "{\"x\": 1}\n"})
		}, "b.json changed on disk since it was read; nothing written"},
		{"file to delete already gone", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "b.json")); err != nil {
				t.Fatal(err)
			}
		}, "b.json changed on disk since it was read; nothing written"},
		{"file to create appeared", func(t *testing.T, dir string) {
			writeFiles(t, dir, map[string]string{"d.json": "d\n"})
		}, "d.json already exists; nothing written"},
		{"two files", func(t *testing.T, dir string) {
			writeFiles(t, dir, map[string]string{"a.json": "x", "c.json": "x"})
		}, "a.json changed on disk since it was read; c.json changed on disk since it was read; nothing written"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, before)
			p := planFor(t, dir, before, after)
			tc.modify(t, dir)
			snap := snapshot(t, dir)
			err := p.Apply(OS())
			if err == nil || err.Error() != tc.want {
				t.Fatalf("Apply = %v, want %q", err, tc.want)
			}
			if strings.Contains(tc.want, "changed on disk") && !errors.Is(err, ErrChanged) {
				t.Errorf("error does not wrap ErrChanged")
			}
			if d := snapshotDiff(snap, snapshot(t, dir), false); d != "" {
				t.Errorf("tree changed:\n%s", d)
			}
		})
	}
}

func TestApplyTwice(t *testing.T) {
	dir := t.TempDir()
	before := map[string]string{"a": "1\n", "b/c": "2\n", "gone": "3\n"}
	after := map[string]string{"a": "one\n", "b/c": "2\n", "b/new": "4\n"}
	writeFiles(t, dir, before)
	p := planFor(t, dir, before, after)
	if err := p.Apply(OS()); err != nil {
		t.Fatal(err)
	}
	applied := snapshot(t, dir)
	err := p.Apply(OS())
	want := "a changed on disk since it was read; b/new already exists; gone changed on disk since it was read; nothing written"
	if err == nil || err.Error() != want {
		t.Fatalf("second Apply = %v\nwant %s", err, want)
	}
	if !errors.Is(err, ErrChanged) || !errors.Is(err, fs.ErrExist) {
		t.Errorf("second Apply error does not wrap ErrChanged and fs.ErrExist")
	}
	if d := snapshotDiff(applied, snapshot(t, dir), false); d != "" {
		t.Errorf("second Apply changed the tree:\n%s", d)
	}
}

func TestApplyThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"shared/settings.json": "{}\n", "shared/gone.json": "g\n", "shared/keep": "k"})
	chmod(t, dir, "shared/settings.json", 0o640)
	symlink(t, dir, "shared/settings.json", "local.settings.json")
	symlink(t, dir, "shared/gone.json", "app/gone.json")
	symlink(t, dir, "shared", "linkdir")
	p := New(dir)
	if err := p.Update("local.settings.json", []byte("{}\n"), []byte("{\"a\": 1}\n")); err != nil {
		t.Fatal(err)
	}
	if err := p.Delete("app/gone.json", []byte("g\n")); err != nil {
		t.Fatal(err)
	}
	if err := p.Create("linkdir/new.json", []byte("n\n")); err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(OS()); err != nil {
		t.Fatal(err)
	}
	snap := snapshot(t, dir)
	if e := snap["local.settings.json"]; e.mode&fs.ModeSymlink == 0 || e.link != "shared/settings.json" {
		t.Errorf("local.settings.json is now %v, want the symbolic link", e)
	}
	if e := snap["shared/settings.json"]; e.data != "{\"a\": 1}\n" || e.mode != 0o640 {
		t.Errorf("link destination is %v, want the new content with mode 0640", e)
	}
	if _, ok := snap["app/gone.json"]; ok {
		t.Error("deleted symbolic link still there")
	}
	if _, ok := snap["app"]; ok {
		t.Error("directory emptied by the deletion still there")
	}
	if e := snap["shared/gone.json"]; e.data != "g\n" {
		t.Errorf("destination of the deleted link is %v, want it kept", e)
	}
	if e := snap["shared/new.json"]; e.data != "n\n" {
		t.Errorf("file created through a linked directory is %v", e)
	}
	if e := snap["linkdir"]; e.mode&fs.ModeSymlink == 0 {
		t.Errorf("linkdir is now %v, want the symbolic link", e)
	}
}

// symlink makes path below dir a relative symbolic link to target below dir.
func symlink(t *testing.T, dir, target, path string) {
	t.Helper()
	name := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(filepath.Dir(name), filepath.Join(dir, filepath.FromSlash(target)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(rel, name); err != nil {
		t.Fatal(err)
	}
}

func TestApplyRefusesAliases(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"real.json": "1"})
	symlink(t, dir, "real.json", "alias.json")
	p := New(dir)
	for _, path := range []string{"real.json", "alias.json"} {
		if err := p.Update(path, []byte("1"), []byte("2")); err != nil {
			t.Fatal(err)
		}
	}
	snap := snapshot(t, dir)
	err := p.Apply(OS())
	if err == nil || !strings.Contains(err.Error(), "real.json is the same file as alias.json") {
		t.Fatalf("Apply = %v, want the alias refused", err)
	}
	if d := snapshotDiff(snap, snapshot(t, dir), false); d != "" {
		t.Errorf("tree changed:\n%s", d)
	}
}

func TestApplyRefusesReadOnly(t *testing.T) {
	dir := t.TempDir()
	before := map[string]string{"a.json": "a", "locked.json": "l", "z.json": "z", "ro-gone": "r"}
	writeFiles(t, dir, before)
	chmod(t, dir, "locked.json", 0o444)
	chmod(t, dir, "ro-gone", 0o400)
	p := planFor(t, dir, before, map[string]string{"a.json": "A", "locked.json": "L", "z.json": "Z", "new": "n"})
	snap := snapshot(t, dir)
	err := p.Apply(OS())
	want := "locked.json is read-only (mode -r--r--r--); make it writable to let it be changed; " +
		"ro-gone is read-only (mode -r--------); make it writable to let it be changed; nothing written"
	if err == nil || err.Error() != want {
		t.Fatalf("Apply = %v\nwant %s", err, want)
	}
	if !errors.Is(err, ErrReadOnly) {
		t.Error("error does not wrap ErrReadOnly")
	}
	if d := snapshotDiff(snap, snapshot(t, dir), false); d != "" {
		t.Errorf("tree changed:\n%s", d)
	}
}

func TestApplyRefusesDirectories(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"f": "x", "g": "y"})
	p := New(dir)
	if err := p.Update("f", []byte("x"), []byte("z")); err != nil {
		t.Fatal(err)
	}
	if err := p.Create("h", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if err := p.Delete("g", []byte("y")); err != nil {
		t.Fatal(err)
	}
	// Each planned path turns into a directory before Apply.
	for _, path := range []string{"f", "g", "h"} {
		name := filepath.Join(dir, path)
		os.Remove(name)
		if err := os.Mkdir(name, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	snap := snapshot(t, dir)
	err := p.Apply(OS())
	want := "f is a directory; g is a directory; h is a directory; nothing written"
	if err == nil || err.Error() != want {
		t.Fatalf("Apply = %v, want %q", err, want)
	}
	if d := snapshotDiff(snap, snapshot(t, dir), false); d != "" {
		t.Errorf("tree changed:\n%s", d)
	}
}

func TestApplyEmptiedDirectories(t *testing.T) {
	dir := t.TempDir()
	before := map[string]string{
		"OldV0/function.json": "{}", "OldV0/sub/x": "x", // all deleted: both directories go
		"MixV1/a": "a", "MixV1/b": "b", // one file kept
		"SwapV1/old": "o", // old file deleted, new one created: directory stays
	}
	writeFiles(t, dir, before)
	if err := os.Mkdir(filepath.Join(dir, "OldV0", "empty"), 0o755); err != nil {
		t.Fatal(err) // a directory the plan did not empty is not removed
	}
	after := map[string]string{"MixV1/a": "a", "SwapV1/new": "n"}
	if err := planFor(t, dir, before, after).Apply(OS()); err != nil {
		t.Fatal(err)
	}
	want := treeOf(after)
	want["OldV0"] = entry{mode: fs.ModeDir}
	want["OldV0/empty"] = entry{mode: fs.ModeDir}
	if d := snapshotDiff(want, snapshot(t, dir), true); d != "" {
		t.Error(d)
	}
}

func TestApplyMissingRoot(t *testing.T) {
	p := New(filepath.Join(t.TempDir(), "nope"))
	p.Changes = []Change{{Path: "f", New: []byte("x")}}
	if err := p.Apply(OS()); err == nil || !strings.HasPrefix(err.Error(), "plan root: ") {
		t.Errorf("Apply = %v, want a plan root error", err)
	}
	if err := New("/nonexistent").Apply(OS()); err != nil {
		t.Errorf("Apply of an empty plan = %v", err)
	}
}

func TestApplyParentBecameFile(t *testing.T) {
	dir := t.TempDir()
	p := New(dir)
	if err := p.Create("a/b/c.json", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"a": "now a file"})
	snap := snapshot(t, dir)
	err := p.Apply(OS())
	if want := "a/b/c.json cannot be created: a is not a directory; nothing written"; err == nil || err.Error() != want {
		t.Fatalf("Apply = %v, want %q", err, want)
	}
	if d := snapshotDiff(snap, snapshot(t, dir), false); d != "" {
		t.Errorf("tree changed:\n%s", d)
	}
}
