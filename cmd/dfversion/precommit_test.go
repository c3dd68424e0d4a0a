package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommitFramework runs the pre-commit framework (Debian's package;
// .ci/run installs it) against a sample app, with this repository as the
// hook source: the hook builds dfversion from the committed source and
// refuses a staged breaking edit of a released orchestrator.
func TestPreCommitFramework(t *testing.T) {
	if testing.Short() {
		t.Skip("builds dfversion through pre-commit")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Skip("pre-commit is not installed (apt-get install pre-commit)")
	}
	out, err := exec.Command("git", "rev-parse", "--show-toplevel", "HEAD").Output()
	if err != nil {
		t.Skipf("not in a git checkout of dfversion: %v", err)
	}
	lines := strings.Fields(string(out))
	source, rev := lines[0], lines[1]

	dir := t.TempDir()
	for _, d := range []string{"apps/hellocities", "sdk"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join(repoTestdata, d))); err != nil {
			t.Fatal(err)
		}
	}
	config := "repos:\n  - repo: " + source + "\n    rev: " + rev +
		"\n    hooks:\n      - id: dfversion-check\n        args: [--app, apps/hellocities]\n"
	if err := os.WriteFile(filepath.Join(dir, ".pre-commit-config.yaml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "cache"),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GOFLAGS=-mod=mod")
	sh := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	must := func(name string, args ...string) {
		t.Helper()
		if out, err := sh(name, args...); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	var stderr bytes.Buffer
	if code := run([]string{"dfversion", "--app", filepath.Join(dir, "apps/hellocities"), "lock"}, io.Discard, &stderr); code != 0 {
		t.Fatalf("lock exited %d: %s", code, stderr.String())
	}
	must("git", "init", "-q")
	must("git", "add", "-A")
	must("git", "commit", "-q", "-m", "released")
	must("pre-commit", "install")
	if out, err := sh("pre-commit", "run", "--all-files"); err != nil {
		t.Fatalf("the released app should pass: %v\n%s", err, out)
	}

	// A comment is not a change: the commit goes through.
	main := filepath.Join(dir, "apps/hellocities/main.go")
	src, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	commented := strings.Replace(string(src), "\tvar helloTokyo string\n", "\t// Greet Tokyo first.\n\tvar helloTokyo string\n", 1)
	if err := os.WriteFile(main, []byte(commented), 0o644); err != nil {
		t.Fatal(err)
	}
	must("git", "commit", "-q", "-am", "a comment")

	// Greeting Paris too breaks instances in flight: the commit is refused.
	edited := strings.Replace(commented, "\treturn []string{helloTokyo, helloLondon, helloSeattle}, nil\n",
		"\tif err := ctx.CallActivity(SayHello, task.WithActivityInput(\"Paris\")).Await(nil); err != nil {\n\t\treturn nil, err\n\t}\n"+
			"\treturn []string{helloTokyo, helloLondon, helloSeattle}, nil\n", 1)
	if edited == commented {
		t.Fatal("the sample app changed; update the edit")
	}
	if err := os.WriteFile(main, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	out2, err := sh("git", "commit", "-q", "-am", "greet Paris")
	if err == nil {
		t.Fatalf("the commit of a breaking edit went through:\n%s", out2)
	}
	if !strings.Contains(out2, "HelloCities (v1, released) calls SayHello now, after its released calls") {
		t.Errorf("the hook's output does not name the breaking change:\n%s", out2)
	}
}
