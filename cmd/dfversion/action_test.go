package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionFile is the repository's GitHub Action.
const actionFile = "../../action.yml"

// action is the part of action.yml the test reads.
type action struct {
	Name        string
	Description string
	Author      string
	Branding    map[string]string
	Inputs      map[string]struct {
		Description string
		Required    bool
		Default     string
	}
	Runs struct {
		Using string
		Steps []struct {
			Name             string
			ID               string
			Uses             string
			With             map[string]string
			Shell            string
			WorkingDirectory string `yaml:"working-directory"`
			Env              map[string]string
			Run              string
		}
	}
}

func readAction(t *testing.T) *action {
	t.Helper()
	data, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt key in action.yml fails here
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("%s: %v", actionFile, err)
	}
	return &a
}

// TestActionDefinition checks action.yml's inputs and steps: Go is set up
// at the input's version, dfversion is installed from the action's own
// checkout (so at the action's ref), and the check runs with the flags
// that exist.
func TestActionDefinition(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" || a.Name == "" || a.Description == "" {
		t.Fatalf("runs.using = %q, name %q, description %q; want a composite action with a name and a description", a.Runs.Using, a.Name, a.Description)
	}
	for name, def := range map[string]string{"app": ".", "against": "", "args": "", "go-version": "1.26.x"} {
		in, ok := a.Inputs[name]
		switch {
		case !ok:
			t.Errorf("no input %q", name)
		case in.Description == "" || in.Required || in.Default != def:
			t.Errorf("input %q: %+v; want a description, not required, default %q", name, in, def)
		}
	}
	steps := a.Runs.Steps
	if len(steps) != 4 {
		t.Fatalf("%d steps, want 4 (set up Go, install, find the base, check)", len(steps))
	}
	if !strings.HasPrefix(steps[0].Uses, "actions/setup-go@") || steps[0].With["go-version"] != "${{ inputs.go-version }}" {
		t.Errorf("step 1 sets up Go with %q %v", steps[0].Uses, steps[0].With)
	}
	if steps[1].Run != "go install ./cmd/dfversion" || steps[1].WorkingDirectory != "${{ github.action_path }}" {
		t.Errorf("step 2 installs with %q in %q; want go install ./cmd/dfversion in the action's path", steps[1].Run, steps[1].WorkingDirectory)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(actionFile), "cmd", "dfversion", "main.go")); err != nil {
		t.Errorf("the action installs ./cmd/dfversion, which is not there: %v", err)
	}
	for i, s := range steps[1:] {
		if s.Shell != "bash" {
			t.Errorf("step %d: shell %q; a composite step that runs needs shell: bash", i+2, s.Shell)
		}
	}
	// Inputs reach the scripts through the environment, never spliced
	// into the script, where a crafted input would run as code.
	for i, s := range steps[1:] {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %d splices an expression into its script: %q", i+2, s.Run)
		}
	}
	check := steps[3]
	if check.Env["DFVERSION_APP"] != "${{ inputs.app }}" || check.Env["DFVERSION_ARGS"] != "${{ inputs.args }}" ||
		check.Env["DFVERSION_AGAINST"] != "${{ steps.base.outputs.against }}" || steps[2].ID != "base" {
		t.Errorf("the check step's environment %v does not come from the inputs and the base step", check.Env)
	}
	// The command's flags exist: check --help lists them.
	var stdout, stderr bytes.Buffer
	if code := run([]string{"dfversion", "check", "--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("dfversion check --help: %s", stderr.String())
	}
	for _, flag := range []string{"--app", "--against", "--format"} {
		if !strings.Contains(check.Run, flag+" ") || !strings.Contains(stdout.String(), "   "+flag+" ") {
			t.Errorf("the check step runs %q; want %s, which dfversion check must have", check.Run, flag)
		}
	}
}

// TestActionRuns runs the action's scripts as GitHub would on a pull
// request: the base step fetches the base branch from origin and names it;
// the check step's command, run by dfversion, passes on a safe change and
// annotates a breaking one.
func TestActionRuns(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	a := readAction(t)
	base, check := a.Runs.Steps[2], a.Runs.Steps[3]
	dir := t.TempDir()
	origin := filepath.Join(dir, "origin.git")
	work := filepath.Join(dir, "work")
	emWrite(t, work, emApp("functions", nil))
	emGitCommit(t, work)
	emGit(t, work, "branch", "-M", "main")
	emGit(t, dir, "init", "-q", "--bare", origin)
	emGit(t, work, "remote", "add", "origin", origin)
	emGit(t, work, "push", "-q", "origin", "main")
	// The pull request's branch, checked out alone as actions/checkout
	// does: origin/main is not there until the action fetches it.
	emGit(t, work, "checkout", "-q", "-b", "feature")
	emWrite(t, work, map[string]string{"functions/README.md": "docs\n"})
	emGit(t, work, "add", "-A")
	emGit(t, work, "commit", "-q", "-m", "docs")
	emGit(t, work, "update-ref", "-d", "refs/remotes/origin/main")

	output := filepath.Join(dir, "github_output")
	script := exec.Command("bash", "-e", "-c", base.Run)
	script.Dir = work
	script.Env = append(os.Environ(), "DFVERSION_AGAINST=", "BASE_REF=main", "BEFORE=", "GITHUB_OUTPUT="+output)
	if out, err := script.CombinedOutput(); err != nil {
		t.Fatalf("the base step failed: %v\n%s", err, out)
	}
	data, err := os.ReadFile(output)
	if err != nil {
		t.Fatal(err)
	}
	against := strings.TrimPrefix(strings.TrimSpace(string(data)), "against=")
	if against != "origin/main" {
		t.Fatalf("the base step says %q, want against=origin/main", data)
	}

	checkArgs := func(extra string) []string {
		env := map[string]string{"DFVERSION_APP": "functions", "DFVERSION_AGAINST": against, "DFVERSION_ARGS": extra}
		cmd := os.Expand(check.Run, func(k string) string { return env[k] })
		var args []string
		for _, f := range strings.Fields(cmd) {
			args = append(args, strings.Trim(f, `"`))
		}
		return args
	}
	t.Chdir(work)
	var stdout, stderr bytes.Buffer
	if code := run(checkArgs("--strict"), &stdout, &stderr); code != 0 {
		t.Fatalf("%v: exit %d on a safe change\n%s%s", checkArgs("--strict"), code, stdout.String(), stderr.String())
	}
	emWrite(t, work, map[string]string{"functions/main.go": emMainChanged})
	stdout.Reset()
	stderr.Reset()
	if code := run(checkArgs(""), &stdout, &stderr); code != 1 || !strings.HasPrefix(stdout.String(), "::error file=functions/main.go,line=") {
		t.Fatalf("%v: exit %d on a breaking change, want 1 and an annotation\n%s%s", checkArgs(""), code, stdout.String(), stderr.String())
	}
}
