package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (slash-separated paths) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const (
	orchestratorConfig = `{"bindings": [{"name": "context", "type": "orchestrationTrigger", "direction": "in"}]}`
	activityConfig     = `{"bindings": [{"name": "input", "type": "activityTrigger", "direction": "in"}]}`
	entityConfig       = `{"bindings": [{"name": "ctx", "type": "entityTrigger", "direction": "in"}]}`
	hostConfig         = `{"version": "2.0", "customHandler": {"description": {"defaultExecutablePath": "app"}}}`
)

func TestLoad(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"host.json":                    hostConfig,
		"HelloCities/function.json":    orchestratorConfig,
		"HelloCities_v2/function.json": orchestratorConfig,
		"SayHello_v3/function.json":    activityConfig,
		"Counter_v9/function.json":     entityConfig, // entities do not count toward the app's version
		"handler/main.go":              "package main",
		".git/function.json":           orchestratorConfig, // hidden folders are not functions
		"README.md":                    "not a folder",
	})
	app, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range app.Functions {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); got != "Counter_v9 HelloCities HelloCities_v2 SayHello_v3" {
		t.Errorf("functions: %s", got)
	}
	if v := app.Version(); v != 3 {
		t.Errorf("Version() = %d, want 3", v)
	}
	if f := app.Function("HelloCities_v2"); f == nil || f.Base != "HelloCities" || f.Version != 2 {
		t.Errorf("Function(HelloCities_v2) = %+v", f)
	}
	if app.Function("Missing") != nil {
		t.Error("Function(Missing) found something")
	}
	if f := app.Registered("sayhello_v3"); f == nil || f.Name != "SayHello_v3" {
		t.Errorf("Registered is case-insensitive, as the host is: %+v", f)
	}
	if len(app.Warnings) != 0 {
		t.Errorf("warnings: %v", app.Warnings)
	}
}

func TestLoadNoDurableFunctions(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"host.json":              `{"version": "2.0"}`,
		"Timer/function.json":    `{"bindings": [{"name": "t", "type": "timerTrigger", "direction": "in"}]}`,
		"Bad Name/function.json": `{"bindings": [{"name": "t", "type": "timerTrigger", "direction": "in"}]}`,
	})
	app, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if v := app.Version(); v != 0 {
		t.Errorf("Version() = %d, want 0 for an app without orchestrators or activities", v)
	}
	var msgs []string
	for _, w := range app.Warnings {
		msgs = append(msgs, w.Error())
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{"no customHandler section", `"Bad Name" is not a valid function name`} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings %q lack %q", got, want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	root := t.TempDir()
	if _, err := Load(filepath.Join(root, "nowhere")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing root: %v", err)
	}
	if _, err := Load(root); err == nil || !strings.Contains(err.Error(), "no host.json") {
		t.Errorf("no host.json: %v", err)
	}
	writeTree(t, root, map[string]string{
		"host.json":       hostConfig,
		"A/function.json": orchestratorConfig,
		"B/function.json": `{"bindings": [{"name": "c", "type": "orchestrationTrigger", "direction": "in", "orchestration": "a"}]}`,
	})
	_, err := Load(root)
	if err == nil || !strings.Contains(err.Error(), `function B registers the name "a", which function A already has`) {
		t.Errorf("duplicate registered name: %v", err)
	}
}

// TestParseLockFormats reads both lock formats: 1 (written before durable
// slices were recorded) and 2, and refuses a newer one.
func TestParseLockFormats(t *testing.T) {
	for _, tc := range []struct {
		format int
		ok     bool
	}{{1, true}, {2, true}, {3, false}, {0, false}} {
		data := []byte(`{"lockVersion": ` + string(rune('0'+tc.format)) + `, "functions": {"H": {"kind": "orchestrator", "version": 1, "bindings": "b", "code": {"H": "x"}, "reach": 2}}}`)
		lock, err := ParseLock("dfversion.lock", data)
		if (err == nil) != tc.ok {
			t.Errorf("lockVersion %d: err %v, want ok=%v", tc.format, err, tc.ok)
			continue
		}
		if tc.ok && (lock.Functions["H"].Code["H"] != "x" || lock.Functions["H"].Slice != nil) {
			t.Errorf("lockVersion %d: read %+v", tc.format, lock.Functions["H"])
		}
	}
	l := &Lock{Functions: map[string]LockEntry{"H": {Kind: Orchestrator, Version: 1, Reach: ReachSlice, Slice: map[string]string{"H": "s"}}}}
	back, err := ParseLock("dfversion.lock", l.Marshal())
	if err != nil || back.Functions["H"].Slice["H"] != "s" {
		t.Errorf("a written lock reads back as %+v (%v)", back.Functions["H"], err)
	}
}
