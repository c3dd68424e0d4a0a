package bump

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/project"
)

func TestVersionLike(t *testing.T) {
	for old, want := range map[string]string{
		"2":     "7",
		"v2":    "v7",
		"V2":    "V7",
		"2.0":   "7.0",
		"2.0.0": "7.0.0",
		"":      "7",
		"beta":  "7",
	} {
		if got := versionLike(old, 7); got != want {
			t.Errorf("versionLike(%q, 7) = %q, want %q", old, got, want)
		}
	}
}

// sampleApp copies a sample app and the stand-in SDK into a temporary
// directory and loads it.
func sampleApp(t *testing.T, name, root string, settings ...string) *project.Project {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"apps/" + name, "sdk"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join("../testdata", d))); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOPROXY", "off")
	var extra []string
	for _, s := range settings {
		extra = append(extra, filepath.Join(dir, s))
	}
	p, err := project.Load(project.Options{AppDir: filepath.Join(dir, root), SettingsFiles: extra})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPlanReferencesPointAtTheirText checks the summary against the plan:
// every reported reference's position, in the new content of its file,
// holds the new name, and every cloned function has its function.json.
func TestPlanReferencesPointAtTheirText(t *testing.T) {
	p := sampleApp(t, "orders", "apps/orders", "apps/orders/appsettings.azure.json")
	res, err := Plan(p, Options{Root: filepath.Dir(filepath.Dir(p.App.Root))})
	if err != nil {
		t.Fatal(err)
	}
	if res.From != 2 || res.To != 3 {
		t.Fatalf("bump from %d to %d, want 2 to 3", res.From, res.To)
	}
	if len(res.References) == 0 {
		t.Fatal("no references rewritten")
	}
	for _, r := range res.References {
		ch, ok := res.Plan.Lookup(r.Pos.Filename)
		if !ok {
			t.Errorf("%s: reference in a file the plan does not change", r.Pos)
			continue
		}
		lines := strings.Split(string(ch.New), "\n")
		if r.Pos.Line < 1 || r.Pos.Line > len(lines) {
			t.Errorf("%s: line out of range", r.Pos)
			continue
		}
		line := lines[r.Pos.Line-1]
		at := line[min(r.Pos.Column-1, len(line)):]
		if !strings.HasPrefix(strings.TrimLeft(at, `"`+"`"), r.To) {
			t.Errorf("%s: %q does not start with the new name %q", r.Pos, at, r.To)
		}
		if !strings.HasSuffix(r.To, "_v3") && !strings.HasSuffix(r.To, "V3") {
			t.Errorf("%s: reference moved to %q, not to version 3", r.Pos, r.To)
		}
	}
	for _, c := range res.Cloned {
		if _, ok := res.Plan.Lookup("apps/orders/" + c.To + "/function.json"); !ok {
			t.Errorf("no function.json planned for %s", c.To)
		}
	}
	var settings []string
	for _, s := range res.Settings {
		settings = append(settings, s.File+":"+s.Setting+"="+s.To)
	}
	want := "apps/orders/local.settings.json:ORDERS_VERSION=v3 apps/orders/appsettings.azure.json:ORDERS_VERSION=v3 apps/orders/host.json:extensions.durableTask.defaultVersion=3"
	if got := strings.Join(settings, " "); got != want {
		t.Errorf("settings changed:\n got %s\nwant %s", got, want)
	}
}
