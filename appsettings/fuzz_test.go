package appsettings

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dfversion/dfversion/internal/fuzzclock"
	"github.com/dfversion/dfversion/internal/jsonfile"
)

// seeds are files from the other tests, for the fuzzer to start from.
var seeds = []string{
	pretty,
	"\xEF\xBB\xBF{\"Values\": {\"A\": \"1\"}}",
	"// local only\n{\n  /* c */\n  \"Values\": {\n    \"A\": \"1\", // first\n    // \"B\": \"x\",\n    \"C\": \"/* not */\", /* t */\n  },\n}",
	"{\r\n  \"Values\": {\r\n    \"A\": \"1\",\r\n    \"B\": \"2\"\r\n  }\r\n}\r\n",
	"{\n\t\"Values\": {\n\t\t\"A\": \"1\"\n\t}\n}",
	"{\n    \"Values\": {\n        \"A\": \"1\"\n    }\n}\n",
	`{"Values": {"N": 12.5e1, "T": true, "F": false, "Z": null}}`,
	`{"Values": {"a\"b": "q\"\\\u00e9\n"}}`,
	`{"Values": {"a.b": "1", "x*y": "2", "q?": "3", "#": "4", "p|q": "5", "@this": "6", "FOO:BAR": "7"}}`,
	`{"IsEncrypted": false}`,
	`{"Values": null}`,
	`{"Values": {}}`,
	"{\n  \"Values\": {\n  }\n}\n",
	"{\n  \"Values\": { // none yet\n  }\n}\n",
	`{"Values": {,}}`,
	`{"Values":{"A":"1",}}`,
	"{\n  \"Values\": {\n    \"A\": \"1\"\n    ,}\n}",
	"{\n  \"Values\": {\n    \"A\": \"1\" /* one\n    */ }\n}",
	"{}",
	`{"IsEncrypted": true, "Values": {"A": "AQAAANCMnd8="}}`,
	"[\n  {\n    \"name\": \"A\",\n    \"slotSetting\": false,\n    \"value\": \"~4\"\n  }\n]\n",
	`[{"name": "A"}, {"value": null, "name": "B", "slotSetting": null, "extra": [1]}]`,
	"[]\n",
	"[\n]\n",
	"\xEF\xBB\xBF[\r\n  // exported\r\n  {\"name\": \"A\", \"value\": \"1\",},\r\n]\r\n",
	"[\n  {\"name\": \"A\", \"value\": \"1\"}\n]",
	"{\n  \"Values\": {\n    \"A\": \"1\",\n    \"A\": \"3\"\n  }\n}",
	"[{\"name\": 7}]",
	"{\"Values\": [1]}",
	"",
}

// FuzzParseSet checks, for any file Parse accepts, that setting an existing
// name and adding a new one give files Parse accepts, with the value set and
// every other setting unchanged, and that nothing panics.
func FuzzParseSet(f *testing.F) {
	for i, s := range seeds {
		f.Add([]byte(s), uint(i), "NEW.name", "v\"\\\n\u2028<&>é")
	}
	f.Fuzz(func(t *testing.T, data []byte, pick uint, name, value string) {
		defer fuzzclock.Start(t, data, pick, name, value)()
		file, err := Parse("f.json", data)
		if err != nil {
			var jerr *jsonfile.Error
			if !errors.As(err, &jerr) {
				t.Fatalf("Parse error %v is %T, not *jsonfile.Error", err, err)
			}
			return
		}
		if len(jsonfile.Clean(data)) != len(data) {
			t.Fatalf("Clean changed the length of an accepted file")
		}
		if file.Encrypted {
			if _, err := file.Set("A", value); err == nil {
				t.Fatalf("Set on an encrypted file succeeded")
			}
			return
		}
		if !utf8.ValidString(value) {
			if _, err := file.Set("A", value); err == nil {
				t.Fatalf("Set with a value that is not UTF-8 succeeded")
			}
			value = strings.ToValidUTF8(value, "\uFFFD")
		}
		if n := len(file.Settings); n > 0 {
			target := file.Settings[pick%uint(n)]
			out, err := file.Set(target.Name, value)
			if err != nil {
				t.Fatalf("Set(%q, %q): %v", target.Name, value, err)
			}
			want := append([]Setting(nil), file.Settings...)
			want[pick%uint(n)].Value = value
			off := offsetOf(data, target.Line, target.Col)
			if !bytes.Equal(out[:off], data[:off]) {
				t.Errorf("Set(%q) changed bytes before the value:\n%q\n->\n%q", target.Name, data, out)
			}
			checkFuzzResult(t, data, out, want, int(pick%uint(n)))
		}
		if name == "" || !utf8.ValidString(name) {
			return
		}
		if _, exists := file.Lookup(name); exists {
			return
		}
		out, err := file.Set(name, value)
		if err != nil {
			t.Fatalf("Set(%q, %q) adding: %v", name, value, err)
		}
		want := append(append([]Setting(nil), file.Settings...), Setting{Name: name, Value: value})
		checkFuzzResult(t, data, out, want, len(want)-1)
	})
}

// checkFuzzResult checks that out parses to the settings want, whose
// entries before changed keep their positions, and that setting the changed
// one again changes nothing.
func checkFuzzResult(t *testing.T, data, out []byte, want []Setting, changed int) {
	t.Helper()
	g, err := Parse("f.json", out)
	if err != nil {
		t.Fatalf("result does not parse: %v\n%q\n->\n%q", err, data, out)
	}
	if len(g.Settings) != len(want) {
		t.Fatalf("got %d settings, want %d\n%q\n->\n%q", len(g.Settings), len(want), data, out)
	}
	for i, s := range g.Settings {
		w := want[i]
		if s.Name != w.Name || s.Value != w.Value || s.SlotSetting != w.SlotSetting {
			t.Fatalf("setting %d = %+v, want %+v\n%q\n->\n%q", i, s, w, data, out)
		}
		if i < changed && (s.Line != w.Line || s.Col != w.Col) {
			t.Errorf("setting %q moved from %d:%d to %d:%d", s.Name, w.Line, w.Col, s.Line, s.Col)
		}
	}
	s := g.Settings[changed]
	again, err := g.Set(s.Name, s.Value)
	if err != nil || !bytes.Equal(again, out) {
		t.Errorf("setting %q again changed the file: %v\n%q\n->\n%q", s.Name, err, out, again)
	}
}
