package jsonfile

import (
	"bytes"
	"testing"
)

func TestCleanKeepsOffsets(t *testing.T) {
	for _, in := range []string{
		"\uFEFF{\"a\": 1}",
		"{\n  // comment\n  \"a\": [1, 2,],\n  /* block\n comment */ \"b\": 2,\n}\r\n",
		"0/*", // an unterminated comment at the end
		"",
	} {
		out := Clean([]byte(in))
		if len(out) != len(in) {
			t.Errorf("Clean(%q) has length %d, want %d", in, len(out), len(in))
		}
		if bytes.Count(out, []byte("\n")) != bytes.Count([]byte(in), []byte("\n")) {
			t.Errorf("Clean(%q) = %q moved line breaks", in, out)
		}
	}
	if got := string(Clean([]byte("{\"a\": [1, 2,], // x\n}"))); got != "{\"a\": [1, 2 ]      \n}" {
		t.Errorf("Clean = %q", got)
	}
}

func TestPosition(t *testing.T) {
	data := []byte("\uFEFF{\n  \"a\": 1\r\n}")
	tests := []struct{ offset, line, col int }{
		{0, 1, 1},
		{3, 1, 1}, // the mark takes no column
		{4, 1, 2},
		{7, 2, 3},
		{1000, 3, 2}, // clamped to the end
		{-5, 1, 1},
	}
	for _, tt := range tests {
		if line, col := Position(data, tt.offset); line != tt.line || col != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.offset, line, col, tt.line, tt.col)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"{\n  \"a\": 1\n  \"b\": 2\n}", `f.json:3:3: invalid JSON: invalid character '"' after object key:value pair; a ',' between members (or the closing '}') is missing before it`},
		{"{\"a\": ", `f.json:1:7: invalid JSON: unexpected end of JSON input; the file ends early: a closing '}' or ']' (or a quote) is missing`},
		{"  \n ", `f.json: file is empty; expected a JSON value`},
		{`{"a": "x"}`, `f.json:1:7: a must be a number, not string`},
		{`{"a": [1, {"b": 2}]}`, `f.json:1:7: a must be a number, not array`},
		{`{"a": {"b": 2}}`, `f.json:1:7: a must be a number, not object`},
	}
	for _, tt := range tests {
		var v struct {
			A int `json:"a"`
		}
		err := Decode("f.json", []byte(tt.in), &v)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Decode(%q):\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
	var ok struct{ A []int }
	if err := Decode("f.json", []byte("// c\n{\"A\": [1, 2,],}"), &ok); err != nil || len(ok.A) != 2 {
		t.Errorf("JSONC: %v, %v", err, ok)
	}
}

func TestReplaceString(t *testing.T) {
	data := []byte("{\r\n  // keep me\r\n  \"a\": \"x\\\"y\",\r\n  \"b\": 1\r\n}")
	off := bytes.Index(data, []byte(`"x`))
	got, err := ReplaceString(data, off, `new "v" <&>`)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\r\n  // keep me\r\n  \"a\": \"new \\\"v\\\" <&>\",\r\n  \"b\": 1\r\n}"
	if string(got) != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if _, err := ReplaceString(data, 0, "x"); err == nil {
		t.Error("no string at offset 0, yet no error")
	}
	if _, err := ReplaceString([]byte(`"abc`), 0, "x"); err == nil {
		t.Error("unterminated string, yet no error")
	}
}
