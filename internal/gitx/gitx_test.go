package gitx

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExist checks which files Exist finds at a revision: committed files
// only (not folders, not files added since), reached through a symlinked
// folder too, with odd characters taken literally.
func TestExist(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	write := func(rel string) {
		t.Helper()
		path := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("app/Hello/function.json")
	write("app/Odd*/function.json")
	write("app/Folder/function.json/inside")
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "one")
	write("app/Hello_v2/function.json")
	write("app/Oddly/function.json")

	repo, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "app")
	if err := os.Symlink(filepath.Join(dir, "app"), link); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		filepath.Join(dir, "app", "Hello", "function.json"):    true,
		filepath.Join(link, "Hello", "function.json"):          true,
		filepath.Join(dir, "app", "Odd*", "function.json"):     true,
		filepath.Join(dir, "app", "Oddly", "function.json"):    false,
		filepath.Join(dir, "app", "Hello_v2", "function.json"): false,
		filepath.Join(dir, "app", "Folder", "function.json"):   false,
	}
	var paths []string
	for p := range want {
		paths = append(paths, p)
	}
	got, err := repo.Exist("HEAD", paths)
	if err != nil {
		t.Fatal(err)
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("Exist(HEAD, %s) = %v, want %v", p, got[p], w)
		}
	}
	if _, err := repo.Exist("HEAD", []string{filepath.Join(t.TempDir(), "x.json")}); err == nil {
		t.Error("Exist of a path outside the work tree: no error")
	}
}
