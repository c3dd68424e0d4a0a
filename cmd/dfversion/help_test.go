package main

import (
	"bytes"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// TestHelp: every command's help, asked either way, has examples and exit
// statuses, names each value by what it is, and does not say
// "(default: false)".
func TestHelp(t *testing.T) {
	commands := [][]string{{"list"}, {"bump"}, {"check"}, {"lock"}, {"prune"}, {"hook"}, {"hook", "install"}, {"status"}, {"wait"}}
	valuePlaceholder := regexp.MustCompile(`--[a-z-]+ value\b`)
	for _, cmd := range commands {
		for _, form := range [][]string{append(append([]string{"dfversion"}, cmd...), "--help"), append([]string{"dfversion", "help"}, cmd...)} {
			var stdout, stderr bytes.Buffer
			if code := run(form, &stdout, &stderr); code != 0 {
				t.Errorf("%s: exit status %d: %s", strings.Join(form, " "), code, stderr.String())
				continue
			}
			help := stdout.String()
			for _, want := range []string{"\nEXAMPLES:\n   dfversion ", "\nEXIT STATUS:\n   0    "} {
				if !strings.Contains(help, want) {
					t.Errorf("%s: no %q in\n%s", strings.Join(form, " "), want, help)
				}
			}
			if strings.Contains(help, "(default: false)") {
				t.Errorf("%s: a boolean flag says (default: false):\n%s", strings.Join(form, " "), help)
			}
			if m := valuePlaceholder.FindString(help); m != "" {
				t.Errorf("%s: %q: a flag's value has no name:\n%s", strings.Join(form, " "), m, help)
			}
		}
	}
}

func TestUnknownCommandSuggests(t *testing.T) {
	for args, want := range map[string]string{
		"bmup":  `dfversion: unknown command "bmup"; did you mean "bump"? (see 'dfversion --help')`,
		"chekc": `dfversion: unknown command "chekc"; did you mean "check"? (see 'dfversion --help')`,
		"xyz":   `dfversion: unknown command "xyz" (see 'dfversion --help')`,
	} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"dfversion", args}, &stdout, &stderr); code != 2 || strings.TrimSpace(stderr.String()) != want {
			t.Errorf("dfversion %s: exit %d, stderr %q; want exit 2, %q", args, code, stderr.String(), want)
		}
	}
}

func TestVersionFromBuildInfo(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	for _, tt := range []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261129230408-4a38bbac9cce+dirty"}}, "v0.0.0-20261129230408-4a38bbac9cce+dirty"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: settings("vcs.revision", "4a38bbac9cce1234", "vcs.modified", "true")}, "devel 4a38bbac9cce+dirty"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: settings("vcs.revision", "4a38bbac9cce1234", "vcs.modified", "false")}, "devel 4a38bbac9cce"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
	} {
		if got := versionFromBuildInfo(&tt.info); got != tt.want {
			t.Errorf("versionFromBuildInfo(%+v) = %q, want %q", tt.info.Main, got, tt.want)
		}
	}
}

// TestVersionFlag: --version prints what -ldflags set, when set.
func TestVersionFlag(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = "v9.8.7"
	var stdout, stderr bytes.Buffer
	if code := run([]string{"dfversion", "--version"}, &stdout, &stderr); code != 0 || stdout.String() != "dfversion version v9.8.7\n" {
		t.Errorf("dfversion --version: exit %d, %q", code, stdout.String())
	}
}
