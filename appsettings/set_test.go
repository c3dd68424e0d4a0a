package appsettings

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

// offsetOf converts a 1-based line and byte column back to an offset.
func offsetOf(data []byte, line, col int) int {
	off := 0
	for ; line > 1; line-- {
		off += bytes.IndexByte(data[off:], '\n') + 1
	}
	return off + col - 1
}

// checkSet checks out, the result of f.Set(name, value): it parses, has
// name set to value, and leaves every other setting as it was, in order.
func checkSet(t *testing.T, f *File, out []byte, name, value string) *File {
	t.Helper()
	g, err := Parse(f.Path, out)
	if err != nil {
		t.Fatalf("result does not parse: %v\n%s", err, out)
	}
	if g.Format != f.Format {
		t.Errorf("format changed from %v to %v", f.Format, g.Format)
	}
	if s, ok := g.Lookup(name); !ok || s.Value != value {
		t.Errorf("after Set, Lookup(%q) = %+v, %v; want value %q", name, s, ok, value)
	}
	var before, after []Setting
	for _, s := range f.Settings {
		if s.Name != name {
			before = append(before, Setting{Name: s.Name, Value: s.Value, SlotSetting: s.SlotSetting})
		}
	}
	for _, s := range g.Settings {
		if s.Name != name {
			after = append(after, Setting{Name: s.Name, Value: s.Value, SlotSetting: s.SlotSetting})
		}
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("other settings changed:\n%+v\nbecame\n%+v", before, after)
	}
	if _, existed := f.Lookup(name); !existed && len(g.Settings) > 0 && g.Settings[len(g.Settings)-1].Name != name {
		t.Errorf("new setting %q is not the last one: %+v", name, g.Settings)
	}
	again, err := g.Set(name, value)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("setting the same value again changed the file:\n%s\n->\n%s (%v)", out, again, err)
	}
	return g
}

const pretty = `{
  "IsEncrypted": false,
  // storage for the durable task hub
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true", /* local */
    "FUNCTIONS_WORKER_RUNTIME": "custom",
    "ORCHESTRATOR_VERSION": "v1"
  },
  "Host": {
    "LocalHttpPort": 7071
  }
}
`

func TestSetExisting(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		setting string
		old     string // the value's JSON text before
		value   string
		new     string // its JSON text after
	}{
		{"pretty with comments", pretty, "ORCHESTRATOR_VERSION", `"v1"`, "v2", `"v2"`},
		{"before a comment", pretty, "AzureWebJobsStorage", `"UseDevelopmentStorage=true"`, "DefaultEndpointsProtocol=https;AccountName=x", `"DefaultEndpointsProtocol=https;AccountName=x"`},
		{"CRLF and BOM", "\xEF\xBB\xBF{\r\n\t\"Values\": {\r\n\t\t\"A\": \"1\", // one\r\n\t\t\"B\": \"2\",\r\n\t},\r\n}\r\n", "A", `"1"`, "11", `"11"`},
		{"number becomes a string", `{"Values": {"N": 42, "M": 1}}`, "N", `42`, "43", `"43"`},
		{"boolean becomes a string", `{"Values": {"B": true}}`, "B", `true`, "false", `"false"`},
		{"null becomes a string", `{"Values": {"Z": null}}`, "Z", `null`, "x", `"x"`},
		{"quotes and backslashes", `{"Values": {"A": "1"}}`, "A", `"1"`, `C:\path\"q"`, `"C:\\path\\\"q\""`},
		{"control characters", `{"Values": {"A": "1"}}`, "A", `"1"`, "line\nnext\ttab\x01\x7f", `"line\nnext\ttab\u0001` + "\x7f" + `"`},
		{"unicode kept, HTML not escaped", `{"Values": {"A": "1"}}`, "A", `"1"`, "é ✓ 🙂 <a>&", `"é ✓ 🙂 <a>&"`},
		{"line separators escaped", `{"Values": {"A": "1"}}`, "A", `"1"`, "a\u2028b", `"a\u2028b"`},
		{"value with comment syntax", `{"Values": {"A": "1"} /* c */}`, "A", `"1"`, "// not /* a comment", `"// not /* a comment"`},
		{"escaped name", `{"Values": {"a\"b": "1"}}`, `a"b`, `"1"`, "2", `"2"`},
		{"name with a dot", `{"Values": {"a.b": "1", "a": "x"}, "a": {"b": "y"}}`, "a.b", `"1"`, "2", `"2"`},
		{"name with a star", `{"Values": {"x*y": "1", "xzy": "0"}}`, "x*y", `"1"`, "2", `"2"`},
		{"name with a question mark", `{"Values": {"x?": "1", "xy": "0"}}`, "x?", `"1"`, "2", `"2"`},
		{"name that is a hash", `{"Values": {"#": "1"}}`, "#", `"1"`, "2", `"2"`},
		{"name with a pipe", `{"Values": {"a|b": "1"}}`, "a|b", `"1"`, "2", `"2"`},
		{"name with an at sign", `{"Values": {"@this": "1"}}`, "@this", `"1"`, "2", `"2"`},
		{"name with a colon", `{"Values": {"FOO:BAR": "1"}}`, "FOO:BAR", `"1"`, "2", `"2"`},
		{"name with two underscores", `{"Values": {"FOO__BAR": "1"}}`, "FOO__BAR", `"1"`, "2", `"2"`},
		{
			"Azure CLI",
			"[\n  {\n    \"name\": \"A\",\n    \"slotSetting\": true,\n    \"value\": \"1\"\n  },\n  {\n    \"name\": \"x.y\",\n    \"slotSetting\": false,\n    \"value\": \"2\"\n  }\n]\n",
			"x.y", `"2"`, "v\"2", `"v\"2"`,
		},
		{"Azure CLI null value", `[{"name": "A", "value": null}]`, "A", `null`, "1", `"1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "control characters" {
				tt.new = `"line\nnext\ttab\u0001` + "\x7f" + `"`
			}
			f, err := Parse("f.json", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			s, ok := f.Lookup(tt.setting)
			if !ok {
				t.Fatalf("no setting %q", tt.setting)
			}
			data := append([]byte(nil), f.Data...)
			out, err := f.Set(tt.setting, tt.value)
			if err != nil {
				t.Fatalf("Set: %v", err)
			}
			if !bytes.Equal(f.Data, data) {
				t.Errorf("Set changed f.Data")
			}
			off := offsetOf(f.Data, s.Line, s.Col)
			if got := string(f.Data[off : off+len(tt.old)]); got != tt.old {
				t.Fatalf("value at %d:%d is %q, want %q", s.Line, s.Col, got, tt.old)
			}
			want := tt.in[:off] + tt.new + tt.in[off+len(tt.old):]
			if string(out) != want {
				t.Errorf("Set(%q, %q) =\n%q\nwant\n%q", tt.setting, tt.value, out, want)
			}
			g := checkSet(t, f, out, tt.setting, tt.value)
			if got, _ := g.Lookup(tt.setting); got.Line != s.Line || got.Col != s.Col || got.SlotSetting != s.SlotSetting {
				t.Errorf("setting moved: %+v, was %+v", got, s)
			}
		})
	}
}

func TestSetAdd(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "two spaces, comments",
			in:   pretty,
			want: `{
  "IsEncrypted": false,
  // storage for the durable task hub
  "Values": {
    "AzureWebJobsStorage": "UseDevelopmentStorage=true", /* local */
    "FUNCTIONS_WORKER_RUNTIME": "custom",
    "ORCHESTRATOR_VERSION": "v1",
    "NEW": "v"
  },
  "Host": {
    "LocalHttpPort": 7071
  }
}
`,
		},
		{
			name: "four spaces",
			in:   "{\n    \"Values\": {\n        \"A\": \"1\"\n    }\n}\n",
			want: "{\n    \"Values\": {\n        \"A\": \"1\",\n        \"NEW\": \"v\"\n    }\n}\n",
		},
		{
			name: "tabs",
			in:   "{\n\t\"Values\": {\n\t\t\"A\": \"1\"\n\t}\n}",
			want: "{\n\t\"Values\": {\n\t\t\"A\": \"1\",\n\t\t\"NEW\": \"v\"\n\t}\n}",
		},
		{
			name: "CRLF",
			in:   "{\r\n  \"Values\": {\r\n    \"A\": \"1\"\r\n  }\r\n}\r\n",
			want: "{\r\n  \"Values\": {\r\n    \"A\": \"1\",\r\n    \"NEW\": \"v\"\r\n  }\r\n}\r\n",
		},
		{
			name: "BOM, CRLF, tabs, trailing comma",
			in:   "\xEF\xBB\xBF{\r\n\t\"Values\": {\r\n\t\t\"A\": \"1\",\r\n\t},\r\n}\r\n",
			want: "\xEF\xBB\xBF{\r\n\t\"Values\": {\r\n\t\t\"A\": \"1\",\r\n\t\t\"NEW\": \"v\"\r\n\t},\r\n}\r\n",
		},
		{
			name: "separator without a space",
			in:   "{\n  \"Values\": {\n    \"A\":\"1\"\n  }\n}",
			want: "{\n  \"Values\": {\n    \"A\":\"1\",\n    \"NEW\":\"v\"\n  }\n}",
		},
		{
			name: "line comment after the last setting",
			in:   "{\n  \"Values\": {\n    \"A\": \"1\" // one\n  }\n}",
			want: "{\n  \"Values\": {\n    \"A\": \"1\", // one\n    \"NEW\": \"v\"\n  }\n}",
		},
		{
			name: "trailing comma and a line commented out",
			in:   "{\n  \"Values\": {\n    \"A\": \"1\", // one\n    // \"B\": \"2\",\n  },\n}",
			want: "{\n  \"Values\": {\n    \"A\": \"1\", // one\n    // \"B\": \"2\",\n    \"NEW\": \"v\"\n  },\n}",
		},
		{
			name: "comma on the closing line",
			in:   "{\n  \"Values\": {\n    \"A\": \"1\"\n    ,}\n}",
			want: "{\n  \"Values\": {\n    \"A\": \"1\",\n    \"NEW\": \"v\"\n    ,}\n}",
		},
		{
			name: "block comment spanning the closing line",
			in:   "{\n  \"Values\": {\n    \"A\": \"1\" /* one\n    */ }\n}",
			want: "{\n  \"Values\": {\n    \"A\": \"1\", \"NEW\": \"v\" /* one\n    */ }\n}",
		},
		{
			name: "empty Values",
			in:   "{\n  \"IsEncrypted\": false,\n  \"Values\": {}\n}\n",
			want: "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"NEW\": \"v\"\n  }\n}\n",
		},
		{
			name: "empty Values with a space",
			in:   "{\n    \"Values\": { }\n}\n",
			want: "{\n    \"Values\": {\n        \"NEW\": \"v\"\n    }\n}\n",
		},
		{
			name: "empty Values on two lines",
			in:   "{\n  \"Values\": {\n  }\n}\n",
			want: "{\n  \"Values\": {\n    \"NEW\": \"v\"\n  }\n}\n",
		},
		{
			name: "empty Values holding a comment",
			in:   "{\n  \"Values\": { // none yet\n  }\n}\n",
			want: "{\n  \"Values\": {\n    \"NEW\": \"v\" // none yet\n  }\n}\n",
		},
		{
			name: "empty Values with a lone comma",
			in:   "{\"Values\": {,}}",
			want: "{\"Values\": {\"NEW\": \"v\",}}",
		},
		{
			name: "one line",
			in:   `{"IsEncrypted": false, "Values": {"A": "1"}}`,
			want: `{"IsEncrypted": false, "Values": {"A": "1", "NEW": "v"}}`,
		},
		{
			name: "one line, compact",
			in:   `{"Values":{"A":"1",}}`,
			want: `{"Values":{"A":"1","NEW":"v",}}`,
		},
		{
			name: "one line, empty Values",
			in:   `{"Values": {}}`,
			want: `{"Values": {"NEW": "v"}}`,
		},
		{
			name: "no Values",
			in:   "{\n  \"IsEncrypted\": false\n}\n",
			want: "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"NEW\": \"v\"\n  }\n}\n",
		},
		{
			name: "no Values, tabs, trailing comma",
			in:   "{\n\t\"IsEncrypted\": false,\n}\n",
			want: "{\n\t\"IsEncrypted\": false,\n\t\"Values\": {\n\t\t\"NEW\": \"v\"\n\t}\n}\n",
		},
		{
			name: "null Values",
			in:   "{\n  \"Values\": null,\n  \"Host\": {}\n}",
			want: "{\n  \"Values\": {\n    \"NEW\": \"v\"\n  },\n  \"Host\": {}\n}",
		},
		{
			name: "empty object",
			in:   "{}\n",
			want: "{\"Values\": {\"NEW\": \"v\"}}\n",
		},
		{
			name: "Azure CLI",
			in:   "[\n  {\n    \"name\": \"A\",\n    \"slotSetting\": true,\n    \"value\": \"1\"\n  }\n]\n",
			want: "[\n  {\n    \"name\": \"A\",\n    \"slotSetting\": true,\n    \"value\": \"1\"\n  },\n  {\n    \"name\": \"NEW\",\n    \"slotSetting\": false,\n    \"value\": \"v\"\n  }\n]\n",
		},
		{
			name: "Azure CLI, CRLF, four spaces, other key order",
			in:   "[\r\n    {\r\n        \"value\": \"1\",\r\n        \"name\": \"A\"\r\n    }\r\n]",
			want: "[\r\n    {\r\n        \"value\": \"1\",\r\n        \"name\": \"A\"\r\n    },\r\n    {\r\n        \"value\": \"v\",\r\n        \"name\": \"NEW\",\r\n        \"slotSetting\": false\r\n    }\r\n]",
		},
		{
			name: "Azure CLI, one element a line",
			in:   "[\n  {\"name\": \"A\", \"value\": \"1\"}\n]",
			want: "[\n  {\"name\": \"A\", \"value\": \"1\"},\n  {\"name\": \"NEW\", \"value\": \"v\", \"slotSetting\": false}\n]",
		},
		{
			name: "Azure CLI, empty",
			in:   "[]\n",
			want: "[{\"name\": \"NEW\", \"slotSetting\": false, \"value\": \"v\"}]\n",
		},
		{
			name: "Azure CLI, empty on two lines",
			in:   "[\n]\n",
			want: "[\n  {\n    \"name\": \"NEW\",\n    \"slotSetting\": false,\n    \"value\": \"v\"\n  }\n]\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("f.json", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			out, err := f.Set("NEW", "v")
			if err != nil {
				t.Fatalf("Set: %v", err)
			}
			if string(out) != tt.want {
				t.Errorf("Set =\n%s\nwant\n%s\n(%q)", out, tt.want, out)
			}
			if string(f.Data) != tt.in {
				t.Errorf("Set changed f.Data")
			}
			checkSet(t, f, out, "NEW", "v")
		})
	}
}

// TestSetAddsValueMember covers an Azure CLI element without "value".
func TestSetAddsValueMember(t *testing.T) {
	in := "[\n  {\n    \"name\": \"A\",\n    \"slotSetting\": false\n  }\n]"
	want := "[\n  {\n    \"name\": \"A\",\n    \"slotSetting\": false,\n    \"value\": \"1\"\n  }\n]"
	f, err := Parse("f.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.Set("A", "1")
	if err != nil || string(out) != want {
		t.Fatalf("Set = %q, %v; want %q", out, err, want)
	}
	checkSet(t, f, out, "A", "1")
}

// TestSetNames adds and then changes settings whose names are JSON path
// syntax to gjson and sjson.
func TestSetNames(t *testing.T) {
	names := []string{"a.b", "x*y", "q?", "#", "a|b", "@this", "FOO:BAR", "a\\.b", `quo"te`, "é", "a b", "..", "0", "Values"}
	for _, in := range []string{pretty, "[]", `{"Values": {"a": "x"}, "a": {"b": "y"}}`} {
		data := []byte(in)
		for _, name := range names {
			f, err := Parse("f.json", data)
			if err != nil {
				t.Fatal(err)
			}
			if data, err = f.Set(name, "new "+name); err != nil {
				t.Fatalf("Set(%q): %v", name, err)
			}
			checkSet(t, f, data, name, "new "+name)
		}
		for _, name := range names {
			f, err := Parse("f.json", data)
			if err != nil {
				t.Fatal(err)
			}
			out, err := f.Set(name, "changed")
			if err != nil {
				t.Fatalf("Set(%q): %v", name, err)
			}
			if len(out) != len(data)-len(quote("new "+name))+len(`"changed"`) {
				t.Errorf("Set(%q) changed more than the value:\n%s", name, out)
			}
			checkSet(t, f, out, name, "changed")
		}
	}
}

func TestSetUnchanged(t *testing.T) {
	in := `{"Values": {"A": "\u0031", "N": 1}}`
	f, err := Parse("f.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.Set("A", "1")
	if err != nil || string(out) != in {
		t.Fatalf("Set(A, 1) = %q, %v; want the file as it was", out, err)
	}
	out[0] = 'X'
	if f.Data[0] != '{' {
		t.Errorf("the result shares memory with f.Data")
	}
	// A number becomes a string, as the host reads it anyway.
	out, err = f.Set("N", "1")
	if want := `{"Values": {"A": "\u0031", "N": "1"}}`; err != nil || string(out) != want {
		t.Errorf("Set(N, 1) = %q, %v; want %q", out, err, want)
	}
}

func TestSetErrors(t *testing.T) {
	good := &File{Path: "f.json", Data: []byte(`{"Values": {"A": "1"}}`)}
	tests := []struct {
		name        string
		file        *File
		key, value  string
		want        string
		isJSONError bool
	}{
		{"empty name", good, "", "v", `setting "" in f.json: empty setting name`, false},
		{"name not UTF-8", good, "a\xff", "v", `setting "a\xff" in f.json: setting name is not valid UTF-8`, false},
		{"value not UTF-8", good, "A", "\xc3", `setting "A" in f.json: value is not valid UTF-8`, false},
		{
			"encrypted",
			&File{Path: "f.json", Data: []byte(`{"IsEncrypted": true, "Values": {}}`)},
			"A", "v",
			"setting \"A\" in f.json: values are encrypted (\"IsEncrypted\": true); run `func settings decrypt` first",
			false,
		},
		{
			"malformed data",
			&File{Path: "f.json", Data: []byte("{\n  \"Values\": {\"A\": 1,, }\n}")},
			"A", "v",
			"f.json:2:23: invalid JSON: invalid character '}' looking for beginning of object key string; keys must be quoted strings (a merge-conflict marker or a stray character?)",
			true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := tt.file.Set(tt.key, tt.value)
			if err == nil {
				t.Fatalf("Set = %q, want an error", out)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n%s\nwant\n%s", err, tt.want)
			}
			var jerr *jsonfile.Error
			if errors.As(err, &jerr) != tt.isJSONError {
				t.Errorf("error is %T", err)
			}
			if strings.ToLower(err.Error()[:1]) != err.Error()[:1] {
				t.Errorf("error %q starts with a capital", err)
			}
		})
	}
}
