package appsettings

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dfversion/dfversion/manifest"
)

// pointerApp is an app with the orchestrator HelloCities at versions 1 and
// 2, an activity and a client.
func pointerApp(t *testing.T) *manifest.App {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"host.json":                    `{"version": "2.0"}`,
		"HelloCities/function.json":    `{"bindings": [{"name": "c", "type": "orchestrationTrigger", "direction": "in"}]}`,
		"HelloCities_v2/function.json": `{"bindings": [{"name": "c", "type": "orchestrationTrigger", "direction": "in"}]}`,
		"SayHello_v2/function.json":    `{"bindings": [{"name": "i", "type": "activityTrigger", "direction": "in"}]}`,
	}
	for name, content := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	app, err := manifest.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

func TestFindPointers(t *testing.T) {
	app := pointerApp(t)
	local, err := Parse("local.settings.json", []byte(`{"Values": {
		"FULL": "HelloCities_v2",
		"STALE": "HelloCities_v7",
		"BARE": "v2",
		"NUMBER": "2",
		"ACTIVITY": "SayHello_v2",
		"URL": "https://example.com",
		"UNREAD": "HelloCities"
	}}`))
	if err != nil {
		t.Fatal(err)
	}
	azure, err := Parse("azure.json", []byte(`[{"name": "FULL", "value": "HelloCities", "slotSetting": false}]`))
	if err != nil {
		t.Fatal(err)
	}
	readers := []Reader{
		{Settings: []string{"FULL", "STALE", "ACTIVITY", "URL"}, Strings: map[string]bool{}},
		// Bare versions count only where the code holds a base to join them to.
		{Settings: []string{"BARE", "NUMBER"}, Strings: map[string]bool{"HelloCities_": true}},
		{Settings: []string{"FULL"}, Strings: map[string]bool{}}, // read twice: one pointer
	}
	got := FindPointers([]*File{local, azure}, readers, app)
	want := []struct {
		setting, file, value string
		form                 PointerForm
		version              int
		bareV                bool
	}{
		{"BARE", "local.settings.json", "v2", BareVersion, 2, true},
		{"FULL", "local.settings.json", "HelloCities_v2", FullName, 2, false},
		{"FULL", "azure.json", "HelloCities", FullName, 1, false},
		{"NUMBER", "local.settings.json", "2", BareVersion, 2, false},
		{"STALE", "local.settings.json", "HelloCities_v7", FullName, 7, false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d pointers, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Setting != w.setting || g.File.Path != w.file || g.Value != w.value || g.Form != w.form ||
			g.Version != w.version || g.BareV != w.bareV || g.Base != "HelloCities" {
			t.Errorf("pointer %d = %+v (file %s), want %+v", i, g, g.File.Path, w)
		}
	}
}

func TestFindPointersNeedsABase(t *testing.T) {
	app := pointerApp(t)
	local, err := Parse("local.settings.json", []byte(`{"Values": {"SCHEMA_VERSION": "3"}}`))
	if err != nil {
		t.Fatal(err)
	}
	// A client that reads a number but holds no orchestrator base name.
	readers := []Reader{{Settings: []string{"SCHEMA_VERSION"}, Strings: map[string]bool{"schema": true, "HelloCitiesX": true}}}
	if got := FindPointers([]*File{local}, readers, app); len(got) != 0 {
		t.Errorf("got pointers %+v, want none", got)
	}
}
