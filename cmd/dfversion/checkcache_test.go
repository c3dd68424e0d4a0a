package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/internal/appgen"
)

// TestCheckCache checks that a cached check answers as a real one does,
// and that any change to an input file, the lock or the flags misses the
// cache.
func TestCheckCache(t *testing.T) {
	// The go command's build cache lives under the user cache directory
	// too: keep the real one, or go list rebuilds the standard library.
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOCACHE", strings.TrimSpace(string(gocache)))
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	if err := appgen.Write(dir, appgen.Spec{Orchestrators: 2, Activities: 2, ActivitiesPerOrchestrator: 2}); err != nil {
		t.Fatal(err)
	}
	check := func(args ...string) (string, int) {
		t.Helper()
		var out, errs bytes.Buffer
		code := run(append([]string{"dfversion", "--app", dir, "check"}, args...), &out, &errs)
		if code == 2 {
			t.Fatalf("check could not run: %s", errs.String())
		}
		return out.String() + errs.String(), code
	}
	if code := run([]string{"dfversion", "--app", dir, "lock"}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("lock exited %d", code)
	}
	first, code := check()
	if code != 0 {
		t.Fatalf("the locked app fails its check:\n%s", first)
	}
	if again, code2 := check(); again != first || code2 != code {
		t.Fatalf("a second, cached check differs:\n%s\nfrom\n%s", again, first)
	}
	cached, err := filepath.Glob(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "dfversion", "check", "*.json"))
	if err != nil || len(cached) != 1 {
		t.Fatalf("want one cached result, found %v (%v)", cached, err)
	}

	// A breaking edit (the first call's error check negated: it decides
	// the calls after it): the cache must miss and the check fail.
	main := filepath.Join(dir, "main.go")
	src, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "err != nil {\n\t\treturn nil, err", "err == nil {\n\t\treturn nil, err", 1)
	if err := os.WriteFile(main, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := check()
	if code != 1 || !strings.Contains(out, "Orchestrator000 (v1, released) changed") {
		t.Fatalf("after a breaking edit, check exited %d:\n%s", code, out)
	}
	// Cached failure: the same answer again.
	if again, code2 := check(); again != out || code2 != 1 {
		t.Fatalf("the cached failing check differs:\n%s", again)
	}
	// Other flags key apart.
	if _, code := check("--strict"); code != 1 {
		t.Fatalf("check --strict exited %d", code)
	}
	// Undoing the edit brings the first answer back.
	if err := os.WriteFile(main, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := check(); code != 0 || out != first {
		t.Fatalf("after undoing the edit, check exited %d:\n%s", code, out)
	}
	// A lock that forgets a version: the check answers anew.
	lock := filepath.Join(dir, "dfversion.lock")
	data, err := os.ReadFile(lock)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lock, bytes.Replace(data, []byte(`"Activity000"`), []byte(`"Activity999"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := check(); code != 1 || !strings.Contains(out, "Activity999 (v1, released) was removed") {
		t.Fatalf("after editing the lock, check exited %d:\n%s", code, out)
	}
}
