package appsettings

import (
	"errors"
	"reflect"
	"testing"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		format    Format
		encrypted bool
		want      []Setting
	}{
		{
			name:   "local settings",
			in:     "{\n  \"IsEncrypted\": false,\n  \"Values\": {\n    \"AzureWebJobsStorage\": \"UseDevelopmentStorage=true\",\n    \"FUNCTIONS_WORKER_RUNTIME\": \"custom\"\n  },\n  \"Host\": {\"LocalHttpPort\": 7071}\n}\n",
			format: LocalSettings,
			want: []Setting{
				{Name: "AzureWebJobsStorage", Value: "UseDevelopmentStorage=true", Line: 4, Col: 28},
				{Name: "FUNCTIONS_WORKER_RUNTIME", Value: "custom", Line: 5, Col: 33},
			},
		},
		{
			name:   "byte-order mark",
			in:     "\xEF\xBB\xBF{\"Values\": {\"A\": \"1\"}}",
			format: LocalSettings,
			// A byte-order mark takes no column, as in an editor.
			want: []Setting{{Name: "A", Value: "1", Line: 1, Col: 18}},
		},
		{
			name: "comments and trailing commas",
			in: `// local only
{
  /* "IsEncrypted": true, */
  "Values": {
    "A": "1", // first
    // "B": "commented out",
    "C": "/* not a comment */", /* trailing */
  },
}`,
			format: LocalSettings,
			want: []Setting{
				{Name: "A", Value: "1", Line: 5, Col: 10},
				{Name: "C", Value: "/* not a comment */", Line: 7, Col: 10},
			},
		},
		{
			name:   "CRLF",
			in:     "{\r\n  \"Values\": {\r\n    \"A\": \"1\",\r\n    \"B\": \"2\"\r\n  }\r\n}\r\n",
			format: LocalSettings,
			want: []Setting{
				{Name: "A", Value: "1", Line: 3, Col: 10},
				{Name: "B", Value: "2", Line: 4, Col: 10},
			},
		},
		{
			name:   "tabs",
			in:     "{\n\t\"Values\": {\n\t\t\"A\": \"1\"\n\t}\n}",
			format: LocalSettings,
			want:   []Setting{{Name: "A", Value: "1", Line: 3, Col: 8}},
		},
		{
			name:   "numbers, booleans and null as text",
			in:     `{"Values": {"N": 12.5e1, "T": true, "F": false, "Z": null}}`,
			format: LocalSettings,
			want: []Setting{
				{Name: "N", Value: "12.5e1", Line: 1, Col: 18},
				{Name: "T", Value: "true", Line: 1, Col: 31},
				{Name: "F", Value: "false", Line: 1, Col: 42},
				{Name: "Z", Value: "", Line: 1, Col: 54},
			},
		},
		{
			name:   "escapes are decoded",
			in:     `{"Values": {"a\"b": "q\"\\\u00e9\n"}}`,
			format: LocalSettings,
			want:   []Setting{{Name: `a"b`, Value: "q\"\\é\n", Line: 1, Col: 21}},
		},
		{
			name:   "names that are path syntax elsewhere",
			in:     `{"Values": {"a.b": "1", "x*y": "2", "q?": "3", "#": "4", "p|q": "5", "@this": "6", "FOO:BAR": "7"}}`,
			format: LocalSettings,
			want: []Setting{
				{Name: "a.b", Value: "1", Line: 1, Col: 20},
				{Name: "x*y", Value: "2", Line: 1, Col: 32},
				{Name: "q?", Value: "3", Line: 1, Col: 43},
				{Name: "#", Value: "4", Line: 1, Col: 53},
				{Name: "p|q", Value: "5", Line: 1, Col: 65},
				{Name: "@this", Value: "6", Line: 1, Col: 79},
				{Name: "FOO:BAR", Value: "7", Line: 1, Col: 95},
			},
		},
		{name: "no Values", in: `{"IsEncrypted": false}`, format: LocalSettings},
		{name: "null Values", in: `{"Values": null}`, format: LocalSettings},
		{name: "empty Values", in: `{"Values": {}}`, format: LocalSettings},
		{name: "Values nested elsewhere is not read", in: `{"Host": {"Values": {"A": "1"}}}`, format: LocalSettings},
		{
			name:      "encrypted",
			in:        `{"IsEncrypted": true, "Values": {"A": "AQAAANCMnd8="}}`,
			format:    LocalSettings,
			encrypted: true,
			want:      []Setting{{Name: "A", Value: "AQAAANCMnd8=", Line: 1, Col: 39}},
		},
		{
			name: "Azure CLI",
			in: `[
  {
    "name": "FUNCTIONS_EXTENSION_VERSION",
    "slotSetting": false,
    "value": "~4"
  },
  {
    "name": "ORCHESTRATOR_VERSION",
    "slotSetting": true,
    "value": "v2"
  }
]
`,
			format: AzureCLI,
			want: []Setting{
				{Name: "FUNCTIONS_EXTENSION_VERSION", Value: "~4", Line: 5, Col: 14},
				{Name: "ORCHESTRATOR_VERSION", Value: "v2", Line: 10, Col: 14, SlotSetting: true},
			},
		},
		{
			name:   "Azure CLI without value or slotSetting, null value, extra keys",
			in:     `[{"name": "A"}, {"value": null, "name": "B", "slotSetting": null, "extra": [1]}]`,
			format: AzureCLI,
			want: []Setting{
				{Name: "A", Value: "", Line: 1, Col: 2},
				{Name: "B", Value: "", Line: 1, Col: 27},
			},
		},
		{
			name:      "encrypted, as a string",
			in:        `{"IsEncrypted": "True", "Values": {}}`,
			format:    LocalSettings,
			encrypted: true,
		},
		{name: "not encrypted", in: `{"IsEncrypted": "no", "Values": {}}`, format: LocalSettings},
		{name: "Azure CLI empty", in: "[]\n", format: AzureCLI},
		{
			name:   "Azure CLI with BOM, CRLF and comments",
			in:     "\xEF\xBB\xBF[\r\n  // exported\r\n  {\"name\": \"A\", \"value\": \"1\",},\r\n]\r\n",
			format: AzureCLI,
			want:   []Setting{{Name: "A", Value: "1", Line: 3, Col: 26}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("local.settings.json", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if f.Format != tt.format {
				t.Errorf("Format = %v, want %v", f.Format, tt.format)
			}
			if f.Encrypted != tt.encrypted {
				t.Errorf("Encrypted = %v, want %v", f.Encrypted, tt.encrypted)
			}
			if f.Path != "local.settings.json" || string(f.Data) != tt.in {
				t.Errorf("Path, Data = %q, %q; want the arguments", f.Path, f.Data)
			}
			if !reflect.DeepEqual(f.Settings, tt.want) {
				t.Errorf("Settings =\n%+v\nwant\n%+v", f.Settings, tt.want)
			}
			for _, s := range tt.want {
				got, ok := f.Lookup(s.Name)
				if !ok || got != s {
					t.Errorf("Lookup(%q) = %+v, %v; want %+v, true", s.Name, got, ok, s)
				}
			}
			if s, ok := f.Lookup("missing"); ok {
				t.Errorf("Lookup(missing) = %+v, true", s)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the full message, position included
	}{
		{"empty", "", "f.json: file is empty; expected a JSON value"},
		{"only a comment", "// nothing\n", "f.json: file is empty; expected a JSON value"},
		{"malformed", "{\n  \"Values\": {\n    \"A\": \"1\"\n    \"B\": \"2\"\n  }\n}", "f.json:4:5: invalid JSON: invalid character '\"' after object key:value pair; a ',' between members (or the closing '}') is missing before it"},
		{"unterminated", "{\"Values\": {", "f.json:1:13: invalid JSON: unexpected end of JSON input; the file ends early: a closing '}' or ']' (or a quote) is missing"},
		{"scalar root", "\n  \"x\"", "f.json:2:3: app settings must be an object (local.settings.json) or an array (az functionapp config appsettings list), not a string"},
		{"Values an array", "{\n  \"Values\": [\"A\"]\n}", "f.json:2:13: \"Values\" must be an object, not an array"},
		{"Values a string", "{\"Values\": \"A=1\"}", "f.json:1:12: \"Values\" must be an object, not a string"},
		{"Values twice", "{\n  \"Values\": {},\n  \"Values\": {}\n}", "f.json:3:3: duplicate \"Values\"; the first is at line 2, column 3"},
		{"object value", "{\n  \"Values\": {\n    \"A\": {\"nested\": 1}\n  }\n}", "f.json:3:10: setting \"A\" must be a string, not an object"},
		{"array value", "{\"Values\": {\"A\": \"1\", \"B\": [1]}}", "f.json:1:28: setting \"B\" must be a string, not an array"},
		{"duplicate setting", "{\n  \"Values\": {\n    \"A\": \"1\",\n    \"B\": \"2\",\n    \"A\": \"3\"\n  }\n}", "f.json:5:5: duplicate setting \"A\" (the first is at line 3, column 5); remove one of them"},
		{"duplicate after BOM and CRLF", "\xEF\xBB\xBF{\"Values\": {\"A\": \"1\",\r\n \"A\": \"1\"}}", "f.json:2:2: duplicate setting \"A\" (the first is at line 1, column 13); remove one of them"},
		{"element not an object", "[\n  \"A=1\"\n]", "f.json:2:3: app setting must be an object with \"name\" and \"value\", not a string"},
		{"element without name", "[\n  {\"name\": \"A\", \"value\": \"1\"},\n  {\"value\": \"2\"}\n]", "f.json:3:3: app setting has no \"name\"; every element needs a \"name\" and a \"value\""},
		{"name not a string", "[{\"name\": 7, \"value\": \"1\"}]", "f.json:1:11: app setting \"name\" must be a string, not a number"},
		{"element value an object", "[{\"name\": \"A\", \"value\": {}}]", "f.json:1:25: setting \"A\" must be a string, not an object"},
		{"slotSetting not a boolean", "[{\"name\": \"A\", \"slotSetting\": \"yes\"}]", "f.json:1:31: \"slotSetting\" of \"A\" must be true or false, not a string"},
		{"name twice in an element", "[{\"name\": \"A\",\n  \"name\": \"B\"}]", "f.json:2:3: duplicate \"name\" in app setting; the first is at line 1, column 3"},
		{"duplicate element", "[\n  {\"name\": \"A\", \"value\": \"1\"},\n  {\"value\": \"2\", \"name\": \"A\"}\n]", "f.json:3:26: duplicate setting \"A\" (the first is at line 2, column 12); remove one of them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("f.json", []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse = %+v, want error %q", f, tt.want)
			}
			var jerr *jsonfile.Error
			if !errors.As(err, &jerr) {
				t.Errorf("error %v is %T, want *jsonfile.Error", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}

func TestFormatString(t *testing.T) {
	for f, want := range map[Format]string{
		LocalSettings: "local.settings.json",
		AzureCLI:      "Azure CLI app settings",
		Format(7):     "Format(7)",
	} {
		if got := f.String(); got != want {
			t.Errorf("Format(%d).String() = %q, want %q", int(f), got, want)
		}
	}
}

// TestCleanKeepsOffsets checks what Parse and Set rely on: the cleaned copy
// has every byte at the offset it has in the file, even for input that ends
// in an unterminated comment.
func TestCleanKeepsOffsets(t *testing.T) {
	for _, in := range []string{"0/*", "{}/*", "/*", "{\"a\": 1, /* x */ }// y", "\xEF\xBB\xBF[1,]"} {
		if got := jsonfile.Clean([]byte(in)); len(got) != len(in) {
			t.Errorf("Clean(%q) = %q: length changed", in, got)
		}
	}
	if _, err := Parse("f.json", []byte("{}\n/*")); err == nil || err.Error() != "f.json:2:1: invalid JSON: invalid character '/' after top-level value; the file holds more than one JSON value: remove what follows the first" {
		t.Errorf("Parse of an unterminated comment: %v", err)
	}
}

// TestParseSkipsEmptyName: a setting with an empty name is skipped with a
// warning at its position, as the Core Tools skip it, in both formats; the
// settings around it are read as usual.
func TestParseSkipsEmptyName(t *testing.T) {
	for _, tt := range []struct {
		data, warning string
	}{
		{"{\"Values\": {\n  \"A\": \"1\",\n  \"\": \"x\",\n  \"B\": \"2\"}}", "f.json:3:3: a setting with an empty name is skipped, as the Core Tools skip it; remove it or name it"},
		{"[{\"name\": \"A\", \"value\": \"1\"},\n {\"name\": \"\", \"value\": \"x\"},\n {\"name\": \"B\", \"value\": \"2\"}]", "f.json:2:11: a setting with an empty name is skipped, as the Core Tools skip it; remove it or name it"},
	} {
		f, err := Parse("f.json", []byte(tt.data))
		if err != nil {
			t.Fatalf("%s: %v", tt.data, err)
		}
		if len(f.Settings) != 2 || f.Settings[0].Name != "A" || f.Settings[1].Name != "B" {
			t.Errorf("%s: settings %+v, want A and B", tt.data, f.Settings)
		}
		if len(f.Warnings) != 1 || f.Warnings[0] != tt.warning {
			t.Errorf("%s: warnings %q, want %q", tt.data, f.Warnings, tt.warning)
		}
		if _, ok := f.Lookup(""); ok {
			t.Errorf("%s: Lookup finds the empty name", tt.data)
		}
		if _, err := f.Set("", "v"); err == nil {
			t.Errorf("%s: Set of the empty name succeeded", tt.data)
		}
	}
}
