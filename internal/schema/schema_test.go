package schema

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{
		Function:      "function.json",
		Host:          "host.json",
		LocalSettings: "local.settings.json",
		Kind(0):       "Kind(0)",
	} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

// TestSchemasCompile guards the embedded schemas: each compiles from the
// embedded file alone, with draft-07 semantics.
func TestSchemasCompile(t *testing.T) {
	for _, k := range []Kind{Function, Host, LocalSettings} {
		sch, err := compiledSchemas[k]()
		if err != nil {
			t.Errorf("%v: %v", k, err)
			continue
		}
		if sch.root.DraftVersion != 7 {
			t.Errorf("%v compiled as draft %d, want 7", k, sch.root.DraftVersion)
		}
	}
}

// TestRemoteRefFails checks that a schema referring to another document
// fails to compile rather than fetching it or ignoring the reference.
func TestRemoteRefFails(t *testing.T) {
	for _, ref := range []string{
		"https://json.schemastore.org/other.json#/definitions/x",
		"other.json",
		"file:///etc/passwd",
	} {
		doc := fmt.Sprintf(`{"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"a": {"$ref": %q}}}`, ref)
		_, err := compile("https://json.schemastore.org/test.json", []byte(doc))
		if err == nil || !strings.Contains(err.Error(), "not embedded") {
			t.Errorf("compiling a schema with $ref %q: err = %v, want one saying it is not embedded", ref, err)
		}
	}
}

// TestFixturesValid validates every function.json, host.json and
// local.settings.json of the test apps, which must all be valid.
func TestFixturesValid(t *testing.T) {
	kinds := map[string]Kind{"function.json": Function, "host.json": Host, "local.settings.json": LocalSettings}
	seen := map[Kind]int{}
	root := filepath.Join("..", "..", "testdata", "apps")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		k, ok := kinds[d.Name()]
		if d.IsDir() || !ok {
			return nil
		}
		seen[k]++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		problems, err := Validate(k, data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		for _, p := range problems {
			t.Errorf("%s:%d:%d: %s (at %s)", path, p.Line, p.Col, p.Message, p.Pointer)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []Kind{Function, Host, LocalSettings} {
		if seen[k] == 0 {
			t.Errorf("no %v under %s", k, root)
		}
	}
}

var problemTests = []struct {
	name string
	kind Kind
	data string
	want []Problem
}{
	{
		name: "binding without type",
		kind: Function,
		data: `{
  "bindings": [
    {
      "name": "input",
      "direction": "in"
    }
  ]
}`,
		want: []Problem{{3, 5, "/bindings/0", `item 0 of "bindings" is missing required property "type"`}},
	},
	{
		name: "unknown direction",
		kind: Function,
		data: `{
  "bindings": [
    {
      "name": "context",
      "type": "orchestrationTrigger",
      "direction": "input"
    }
  ]
}`,
		want: []Problem{{6, 20, "/bindings/0/direction", `"direction" must be one of "in", "out", "inout", not "input"`}},
	},
	{
		name: "unknown direction on a built-in trigger",
		kind: Function,
		data: `{"bindings": [{"name": "msg", "type": "queueTrigger", "direction": "input"}]}`,
		want: []Problem{{1, 68, "/bindings/0/direction", `"direction" must be "in", not "input"`}},
	},
	{
		name: "trigger with direction out",
		kind: Function,
		data: `{"bindings": [{"name": "msg", "type": "queueTrigger", "direction": "out"}]}`,
		want: []Problem{{1, 68, "/bindings/0/direction", `"direction" must be "in", not "out"`}},
	},
	{
		name: "output binding with direction in",
		kind: Function,
		data: `{"bindings": [{"name": "msg", "type": "queue", "direction": "in"}]}`,
		want: []Problem{{1, 61, "/bindings/0/direction", `"direction" must be "out", not "in"`}},
	},
	{
		name: "binding property of the wrong type",
		kind: Function,
		data: `{"bindings": [{"name": "msg", "type": "queueTrigger", "direction": "in", "queueName": 5}]}`,
		want: []Problem{{1, 87, "/bindings/0/queueName", `"queueName" must be a string, not 5`}},
	},
	{
		name: "binding without name and direction, and bad method",
		kind: Function,
		data: `{
  "disabled": "no",
  "bindings": [
    {"type": "activityTrigger"},
    {"name": "req", "type": "httpTrigger", "direction": "in", "methods": ["gett"]}
  ]
}`,
		want: []Problem{
			{2, 15, "/disabled", `"disabled" must be true or false, not "no"`},
			{4, 5, "/bindings/0", `item 0 of "bindings" is missing required property "direction"`},
			{4, 5, "/bindings/0", `item 0 of "bindings" is missing required property "name"`},
			{5, 75, "/bindings/1/methods/0", `item 0 of "methods" must be one of "get", "post", "delete", "head", "patch", "put", "options", "trace", not "gett"`},
		},
	},
	{
		name: "retry interval",
		kind: Function,
		data: `{"retry": {"strategy": "fixedDelay", "delayInterval": "1:00"}, "bindings": []}`,
		want: []Problem{{1, 55, "/retry/delayInterval", `"delayInterval" must be a time span "hh:mm:ss" up to 23:59:59, not "1:00"`}},
	},
	{
		name: "host version 1.0",
		kind: Host,
		data: `{
  "version": "1.0",
  "extensionBundle": {
    "id": "Microsoft.Azure.Functions.ExtensionBundle",
    "version": "[4.*, 5.0.0)"
  }
}`,
		want: []Problem{{2, 14, "/version", `"version" must be "2.0", not "1.0"`}},
	},
	{
		name: "host unknown property",
		kind: Host,
		data: `{
  "version": "2.0",
  "extensions": {
    "durableTask": {
      "hubName": "MyHub",
      "maxConcurentActivityFunctions": 4
    }
  }
}`,
		want: []Problem{{6, 7, "/extensions/durableTask/maxConcurentActivityFunctions", `unknown property "maxConcurentActivityFunctions" in "durableTask"`}},
	},
	{
		name: "host unknown top-level property with an odd name",
		kind: Host,
		data: `{"version": "2.0", "a/b~c": 1}`,
		want: []Problem{{1, 20, "/a~1b~0c", `unknown property "a/b~c"`}},
	},
	{
		name: "host versioning strategy (local schema addition)",
		kind: Host,
		data: `{"version": "2.0", "extensions": {"durableTask": {"defaultVersion": "2", "versionMatchStrategy": "strict"}}}`,
		want: []Problem{{1, 98, "/extensions/durableTask/versionMatchStrategy", `"versionMatchStrategy" must be one of "None", "Strict", "CurrentOrOlder", not "strict"`}},
	},
	{
		name: "host function timeout",
		kind: Host,
		data: `{"version": "2.0", "functionTimeout": "10:00"}`,
		want: []Problem{{1, 39, "/functionTimeout", `"functionTimeout" must be -1 or a time span "hh:mm:ss" up to 23:59:59, not "10:00"`}},
	},
	{
		name: "host not an object",
		kind: Host,
		data: "\n  [\"version\", \"2.0\"]\n",
		want: []Problem{{2, 3, "", `the top-level value must be an object, not an array`}},
	},
	{
		name: "duplicate key: the last one counts",
		kind: Host,
		data: `{"version": "2.0", "version": "1.0"}`,
		want: []Problem{{1, 31, "/version", `"version" must be "2.0", not "1.0"`}},
	},
	{
		name: "local settings of the wrong types",
		kind: LocalSettings,
		data: `{
  "IsEncrypted": "false",
  "Values": {
    "AzureWebJobsStorage": 1,
    "FUNCTIONS_WORKER_RUNTIME": "go"
  },
  "Host": {"LocalHttpPort": "7071"}
}`,
		want: []Problem{
			{2, 18, "/IsEncrypted", `"IsEncrypted" must be true or false, not "false"`},
			{4, 28, "/Values/AzureWebJobsStorage", `"AzureWebJobsStorage" must be a string, not 1`},
			{5, 33, "/Values/FUNCTIONS_WORKER_RUNTIME", `"FUNCTIONS_WORKER_RUNTIME" must be one of "custom", "dotnet", "dotnet-isolated", "node", "java", "powershell", "python", not "go"`},
			{7, 29, "/Host/LocalHttpPort", `"LocalHttpPort" must be a whole number, not "7071"`},
		},
	},
	{
		name: "JSONC with a byte-order mark",
		kind: Function,
		data: "\uFEFF{\"bindings\": [ // the trigger\n" +
			"  /* an activity */ {\"name\": \"in\", \"type\": \"activityTrigger\", \"direction\": \"inward\",},\n" +
			"],}\n",
		want: []Problem{{2, 76, "/bindings/0/direction", `"direction" must be one of "in", "out", "inout", not "inward"`}},
	},
	{
		name: "byte-order mark on the line of the problem",
		kind: Host,
		data: "\uFEFF{\"version\": \"1.0\"}",
		want: []Problem{{1, 13, "/version", `"version" must be "2.0", not "1.0"`}},
	},
}

func TestProblems(t *testing.T) {
	for _, tt := range problemTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.kind, []byte(tt.data))
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate(%v) =\n%s\nwant\n%s", tt.kind, format(got), format(tt.want))
			}
			for _, p := range got {
				r, _ := utf8.DecodeRuneInString(p.Message)
				if unicode.IsUpper(r) || strings.ContainsAny(p.Message, "\r\n") {
					t.Errorf("message %q is not lower-case on one line", p.Message)
				}
			}
		})
	}
}

// TestAccepted pins files the schemas accept, most of them quirks of the
// schemas: files the Functions host would reject or that are likely typos.
func TestAccepted(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		data string
	}{
		// The schema puts no constraint on task hub names; the host wants
		// 3 to 45 letters and digits, starting with a letter.
		{"task hub name with a dash", Host, `{"version": "2.0", "extensions": {"durableTask": {"hubName": "my-hub"}}}`},
		// Values is an open object: only the settings the schema names
		// must be strings.
		{"non-string value of another setting", LocalSettings, `{"Values": {"MAX_ITEMS": 5, "FLAGS": {"a": true}}}`},
		// Tolerated here, see tolerated: the host reads the runtime name
		// case-insensitively.
		{"worker runtime Custom", LocalSettings, `{"IsEncrypted": false, "Values": {"FUNCTIONS_WORKER_RUNTIME": "Custom"}}`},
		// Any type the schema does not know is a valid binding, so typos
		// in durable binding types pass.
		{"unknown binding type", Function, `{"bindings": [{"name": "x", "type": "activityTriger", "direction": "in"}]}`},
		// Bindings need not be objects, and function.json need not have any.
		{"binding that is not an object", Function, `{"bindings": ["queueTrigger"]}`},
		{"function.json without bindings", Function, `{}`},
		// "methods" is a one-item tuple: only the first method is checked.
		{"second HTTP method unchecked", Function, `{"bindings": [{"name": "req", "type": "httpTrigger", "direction": "in", "methods": ["get", "gett"]}]}`},
		// Without "version", host.json is a valid version 1 host.json.
		{"host.json without version", Host, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.kind, []byte(tt.data))
			if err != nil || len(got) != 0 {
				t.Errorf("Validate(%v) = %s, %v; want no problems", tt.kind, format(got), err)
			}
		})
	}
}

func TestNotJSON(t *testing.T) {
	tests := []struct {
		data string
		line int
	}{
		{"{\n  \"version\": \"2.0\"\n  \"logging\": {}\n}", 3},
		{"", 0},
		{"  // only a comment\n", 0},
		{"{\"version\": \"2.0\"} {}", 1},
		{"{\"version\": ", 1},
	}
	for _, tt := range tests {
		got, err := Validate(Host, []byte(tt.data))
		var jerr *jsonfile.Error
		if !errors.As(err, &jerr) {
			t.Errorf("Validate(%q) = %v, %v; want a *jsonfile.Error", tt.data, got, err)
			continue
		}
		if jerr.File != "host.json" || jerr.Line != tt.line {
			t.Errorf("Validate(%q): error %q at %s line %d, want host.json line %d", tt.data, jerr, jerr.File, jerr.Line, tt.line)
		}
	}
}

func TestUnknownKind(t *testing.T) {
	if _, err := Validate(Kind(0), []byte(`{}`)); err == nil {
		t.Error("Validate(Kind(0)) succeeded")
	}
}

func format(ps []Problem) string {
	if len(ps) == 0 {
		return "\t(no problems)"
	}
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\t{%d, %d, %q, %q},\n", p.Line, p.Col, p.Pointer, p.Message)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// functionJSON returns a function.json with n bindings of the kinds a
// durable app has.
func functionJSON(n int, direction string) []byte {
	var b strings.Builder
	b.WriteString("{\n  \"bindings\": [\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, `    {"name": "req%d", "type": "httpTrigger", "direction": "in", "authLevel": "function", "methods": ["post"], "route": "r/%d"}`, i, i)
		case 1:
			fmt.Fprintf(&b, `    {"name": "res%d", "type": "http", "direction": "out"}`, i)
		case 2:
			fmt.Fprintf(&b, `    {"name": "client%d", "type": "durableClient", "direction": %q}`, i, direction)
		case 3:
			fmt.Fprintf(&b, `    {"name": "q%d", "type": "queue", "direction": "out", "queueName": "items", "connection": "Storage"}`, i)
		}
	}
	b.WriteString("\n  ]\n}\n")
	return []byte(b.String())
}

func TestBenchmarkInput(t *testing.T) {
	if got, err := Validate(Function, functionJSON(20, "in")); err != nil || len(got) != 0 {
		t.Errorf("valid input: %s, %v", format(got), err)
	}
	got, err := Validate(Function, functionJSON(20, "input"))
	if err != nil || len(got) != 5 {
		t.Errorf("invalid input: %s, %v; want 5 problems", format(got), err)
	}
}

func BenchmarkValidate(b *testing.B) {
	for _, bm := range []struct{ name, direction string }{{"valid", "in"}, {"invalid", "input"}} {
		data := functionJSON(20, bm.direction)
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Validate(Function, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestConcurrentValidate(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for _, tt := range problemTests {
				got, err := Validate(tt.kind, []byte(tt.data))
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Errorf("%s: concurrent Validate = %s, %v", tt.name, format(got), err)
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
}
