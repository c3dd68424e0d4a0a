package plan

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// entry is one node of a snapshot of a directory tree.
type entry struct {
	mode fs.FileMode // type and permission bits
	data string      // content of a regular file
	link string      // destination of a symbolic link
}

func (e entry) String() string {
	switch {
	case e.mode.IsDir():
		return fmt.Sprintf("dir %v", e.mode)
	case e.mode&fs.ModeSymlink != 0:
		return fmt.Sprintf("symlink -> %s", e.link)
	default:
		return fmt.Sprintf("file %v %q", e.mode, e.data)
	}
}

// snapshot records every file, directory and symbolic link below dir,
// without following links, with modes and contents.
func snapshot(t testing.TB, dir string) map[string]entry {
	t.Helper()
	snap := map[string]entry{}
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, name)
		if rel == "." {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		e := entry{mode: fi.Mode()}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			e.link, err = os.Readlink(name)
		case fi.Mode().IsRegular():
			var b []byte
			b, err = os.ReadFile(name)
			e.data = string(b)
		}
		snap[filepath.ToSlash(rel)] = e
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// snapshotDiff describes how two snapshots differ, one path per line; it
// returns "" when they are equal. With contentOnly, modes of files and
// directories are not compared.
func snapshotDiff(want, got map[string]entry, contentOnly bool) string {
	var paths []string
	for p := range want {
		paths = append(paths, p)
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	var b strings.Builder
	for _, p := range paths {
		w, wok := want[p]
		g, gok := got[p]
		if contentOnly {
			w.mode &= fs.ModeType
			g.mode &= fs.ModeType
		}
		switch {
		case !gok:
			fmt.Fprintf(&b, "%s: missing, want %v\n", p, w)
		case !wok:
			fmt.Fprintf(&b, "%s: unexpected %v\n", p, g)
		case w != g:
			fmt.Fprintf(&b, "%s: got %v, want %v\n", p, g, w)
		}
	}
	return b.String()
}

// changedPaths lists the paths whose entries differ between two snapshots.
func changedPaths(before, after map[string]entry) []string {
	var paths []string
	for p, e := range before {
		if a, ok := after[p]; !ok || a != e {
			paths = append(paths, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	return paths
}

// writeFiles creates the given files (path -> content) below dir, with
// their parent directories, mode 0644.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		name := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// treeOf returns the snapshot expected for a tree holding exactly files,
// with the directories they need, modes ignored.
func treeOf(files map[string]string) map[string]entry {
	snap := map[string]entry{}
	for p, content := range files {
		snap[p] = entry{data: content}
		for dir := filepath.ToSlash(filepath.Dir(p)); dir != "."; dir = filepath.ToSlash(filepath.Dir(dir)) {
			snap[dir] = entry{mode: fs.ModeDir}
		}
	}
	return snap
}

// mustRead returns the content of the file at p below dir.
func mustRead(t testing.TB, dir, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// patchTool is an external program that applies a diff in a directory.
type patchTool struct {
	name  string
	check []string // arguments that only check the diff applies
	apply []string // arguments that apply it
}

// patchTools are the programs every diff must satisfy. The patch file name
// is appended to each argument list.
var patchTools = []patchTool{
	{"git", []string{"apply", "--check", "--verbose", "--whitespace=nowarn"}, []string{"apply", "--verbose", "--whitespace=nowarn"}},
	{"patch", []string{"-p1", "--batch", "--dry-run", "--no-backup-if-mismatch", "-i"}, []string{"-p1", "--batch", "--no-backup-if-mismatch", "-i"}},
}

// runPatchTool applies diff with tool in dir, failing the test if the tool
// rejects it or reports fuzz, offsets or stripped carriage returns.
func runPatchTool(t *testing.T, tool patchTool, dir string, diff []byte) {
	t.Helper()
	if _, err := exec.LookPath(tool.name); err != nil {
		t.Skipf("%s not installed: %v", tool.name, err)
	}
	patchFile := filepath.Join(t.TempDir(), "plan.diff")
	if err := os.WriteFile(patchFile, diff, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{tool.check, tool.apply} {
		cmd := exec.Command(tool.name, append(slices.Clone(args), patchFile)...)
		cmd.Dir = dir
		// Keep git from finding a repository above the temporary directory.
		cmd.Env = append(os.Environ(), "GIT_CEILING_DIRECTORIES="+filepath.Dir(dir), "LC_ALL=C")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s\ndiff:\n%s", tool.name, strings.Join(args, " "), err, out, diff)
		}
		for _, bad := range []string{"fuzz", "offset", "Stripping", "warning"} {
			if bytes.Contains(out, []byte(bad)) {
				t.Fatalf("%s %s reported %q:\n%s\ndiff:\n%s", tool.name, strings.Join(args, " "), bad, out, diff)
			}
		}
	}
}

// materialize recreates below dir the tree recorded in snap, with its modes.
func materialize(t testing.TB, dir string, snap map[string]entry) {
	t.Helper()
	var paths []string
	for p := range snap {
		paths = append(paths, p)
	}
	slices.Sort(paths) // parents first
	for _, p := range paths {
		e, name := snap[p], filepath.Join(dir, filepath.FromSlash(p))
		var err error
		switch {
		case e.mode.IsDir():
			err = os.Mkdir(name, 0o755)
		case e.mode&fs.ModeSymlink != 0:
			err = os.Symlink(e.link, name)
		default:
			if err = os.WriteFile(name, []byte(e.data), 0o644); err == nil {
				err = os.Chmod(name, e.mode.Perm())
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Reverse(paths) // children first, in case a directory is read-only
	for _, p := range paths {
		if e := snap[p]; e.mode.IsDir() {
			if err := os.Chmod(filepath.Join(dir, filepath.FromSlash(p)), e.mode.Perm()); err != nil {
				t.Fatal(err)
			}
		}
	}
}
