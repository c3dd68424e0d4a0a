package manifest

import (
	"errors"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

func TestParseFunctionKinds(t *testing.T) {
	tests := []struct {
		config     string
		kind       Kind
		registered string
	}{
		{`{"bindings": [{"name": "context", "type": "orchestrationTrigger", "direction": "in"}]}`, Orchestrator, "Fn_v2"},
		{`{"bindings": [{"name": "context", "type": "orchestrationTrigger", "direction": "in", "orchestration": "Other"}]}`, Orchestrator, "Other"},
		{`{"bindings": [{"name": "input", "type": "activityTrigger", "direction": "in"}]}`, Activity, "Fn_v2"},
		{`{"bindings": [{"name": "input", "type": "activityTrigger", "direction": "in", "activity": "Act"}]}`, Activity, "Act"},
		{`{"bindings": [{"name": "ctx", "type": "entityTrigger", "direction": "in"}]}`, Entity, "Fn_v2"},
		{`{"bindings": [
			{"name": "req", "type": "httpTrigger", "direction": "in"},
			{"name": "$return", "type": "http", "direction": "out"},
			{"name": "starter", "type": "durableClient", "direction": "in"}]}`, Client, "Fn_v2"},
		{`{"bindings": [
			{"name": "req", "type": "queueTrigger", "direction": "in"},
			{"name": "starter", "type": "orchestrationClient", "direction": "in"}]}`, Client, "Fn_v2"},
		{`{"bindings": [{"name": "timer", "type": "timerTrigger", "direction": "in"}]}`, Other, "Fn_v2"},
		// The host matches binding types ignoring case.
		{`{"bindings": [{"name": "input", "type": "ActivityTrigger", "direction": "in", "activity": "Act"}]}`, Activity, "Act"},
		{`{"bindings": [{"name": "context", "type": "orchestrationtrigger", "direction": "in"}]}`, Orchestrator, "Fn_v2"},
		// Types of other extensions, even close to durable ones, and custom
		// ones far from them, are not durable.
		{`{"bindings": [{"name": "e", "type": "eventHubTrigger", "direction": "in"}]}`, Other, "Fn_v2"},
		{`{"bindings": [{"name": "e", "type": "myCustomTrigger", "direction": "in"}]}`, Other, "Fn_v2"},
		// An override on the wrong kind of trigger does not rename.
		{`{"bindings": [{"name": "input", "type": "activityTrigger", "direction": "in", "orchestration": "X"}]}`, Activity, "Fn_v2"},
	}
	for _, tt := range tests {
		f, err := ParseFunction("Fn_v2", "Fn_v2/function.json", []byte(tt.config))
		if err != nil {
			t.Errorf("%s: %v", tt.config, err)
			continue
		}
		if f.Kind != tt.kind || f.RegisteredName != tt.registered {
			t.Errorf("%s: kind %s, registered %q; want %s, %q", tt.config, f.Kind, f.RegisteredName, tt.kind, tt.registered)
		}
		if f.Base != "Fn" || f.Version != 2 || f.ConfigPath != "Fn_v2/function.json" {
			t.Errorf("%s: base %q version %d path %q", tt.config, f.Base, f.Version, f.ConfigPath)
		}
	}
}

func TestParseFunctionErrors(t *testing.T) {
	tests := []struct {
		config string
		want   string
	}{
		{`{}`, `Fn/function.json:1:1: function Fn has no bindings; every function needs a trigger binding`},
		{`{"bindings": []}`, `Fn/function.json:1:14: function Fn has no bindings; every function needs a trigger binding`},
		{"{\n  \"bindings\": [\n    {\"name\": \"x\", \"direction\": \"in\"}\n  ]\n}", `Fn/function.json:3:5: binding has no "type"; every binding needs a "type", such as orchestrationTrigger, activityTrigger or httpTrigger`},
		{`{"bindings": "none"}`, `Fn/function.json:1:14: bindings must be an array, not string`},
		{`{"bindings": [{"type": 3}]}`, `Fn/function.json:1:24: bindings.type must be a string, not number`},
		{"{\"bindings\": [\n]\n", `Fn/function.json:3:1: invalid JSON: unexpected end of JSON input; the file ends early: a closing '}' or ']' (or a quote) is missing`},
		{"", `Fn/function.json: file is empty; expected a JSON value`},
		// A misspelt durable type would silently make the function "other".
		{"{\"bindings\": [\n  {\"name\": \"context\", \"type\": \"orchestrationTriger\", \"direction\": \"in\"}]}",
			`Fn/function.json:2:31: binding type "orchestrationTriger" is not one the Functions host knows; did you mean "orchestrationTrigger"? (fix the spelling: the host would not run Fn)`},
		{`{"bindings": [{"type": "activityTriger", "name": "input", "direction": "in"}]}`,
			`Fn/function.json:1:24: binding type "activityTriger" is not one the Functions host knows; did you mean "activityTrigger"? (fix the spelling: the host would not run Fn)`},
		{`{"bindings": [{"type": "orchestratorTrigger", "name": "c", "direction": "in"}]}`,
			`Fn/function.json:1:24: binding type "orchestratorTrigger" is not one the Functions host knows; did you mean "orchestrationTrigger"? (fix the spelling: the host would not run Fn)`},
		{`{"bindings": [{"type": "entityTrigge", "name": "c", "direction": "in"}]}`,
			`Fn/function.json:1:24: binding type "entityTrigge" is not one the Functions host knows; did you mean "entityTrigger"? (fix the spelling: the host would not run Fn)`},
		{`{"bindings": [{"type": "httpTrigger", "name": "r", "direction": "in"}, {"type": "durableClent", "name": "c", "direction": "in"}]}`,
			`Fn/function.json:1:81: binding type "durableClent" is not one the Functions host knows; did you mean "durableClient"? (fix the spelling: the host would not run Fn)`},
	}
	for _, tt := range tests {
		_, err := ParseFunction("Fn", "Fn/function.json", []byte(tt.config))
		var jerr *jsonfile.Error
		if !errors.As(err, &jerr) {
			t.Errorf("%q: got %v, want a *jsonfile.Error", tt.config, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.config, err, tt.want)
		}
	}
}

func TestParseFunctionTolerates(t *testing.T) {
	// What the Functions host accepts: a byte-order mark, comments,
	// trailing commas, CRLF line endings.
	config := "\uFEFF{\r\n  // the trigger\r\n  \"bindings\": [\r\n    {\"name\": \"input\", \"type\": \"activityTrigger\", \"direction\": \"in\",},\r\n  ],\r\n}\r\n"
	f, err := ParseFunction("SayHello", "SayHello/function.json", []byte(config))
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != Activity {
		t.Errorf("kind = %s, want activity", f.Kind)
	}
	if string(f.Config) != config {
		t.Errorf("Config is not the bytes read")
	}
}

func TestHTTPRoute(t *testing.T) {
	f, err := ParseFunction("Start", "Start/function.json", []byte(`{"bindings": [
		{"name": "req", "type": "httpTrigger", "direction": "in", "route": "orchestrators/{name}"},
		{"name": "starter", "type": "durableClient", "direction": "in"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if route, ok := f.HTTPRoute(); !ok || route != "orchestrators/{name}" {
		t.Errorf("HTTPRoute() = %q, %v", route, ok)
	}
	g, err := ParseFunction("Plain", "Plain/function.json", []byte(`{"bindings": [{"name": "req", "type": "httpTrigger", "direction": "in"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if route, ok := g.HTTPRoute(); !ok || route != "Plain" {
		t.Errorf("HTTPRoute() = %q, %v; want the function name", route, ok)
	}
}

func TestNameProblem(t *testing.T) {
	long := "A" + strings.Repeat("b", 128)
	for name, want := range map[string]string{
		"HelloCities_v2": "",
		"Say-Hello":      "",
		"Pick.Fast":      `its '.' at character 5 is not allowed: use letters, digits, '_' or '-'`,
		"Pick Fast":      `its ' ' at character 5 is not allowed: use letters, digits, '_' or '-'`,
		"2Fast":          `it starts with '2': a function name starts with a letter`,
		"_Fast":          `it starts with '_': a function name starts with a letter`,
		"Grüße":          `its 'ü' at character 3 is not allowed: use letters, digits, '_' or '-'`,
		long:             "it is 129 characters long: at most 128 are allowed",
		"":               "it is empty",
	} {
		if got := NameProblem(name); got != want {
			t.Errorf("NameProblem(%q) = %q, want %q", name, got, want)
		}
	}
}
