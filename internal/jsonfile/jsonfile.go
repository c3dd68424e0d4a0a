// Package jsonfile reads the JSON files of a function app the way the
// Functions host does: a UTF-8 byte-order mark, comments and trailing commas
// are tolerated, and every problem is reported at a file:line:col position.
//
// Nothing here rewrites a file. Callers that edit JSON splice into the
// original bytes, using offsets found in the cleaned copy that Clean returns:
// Clean keeps every byte at its offset, so positions in one are positions in
// the other.
package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/jsonc"
)

// Error is a problem found at a position in a JSON file.
type Error struct {
	File string // path as the user should see it
	Line int    // 1-based line
	Col  int    // 1-based column, in bytes
	Msg  string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// HasBOM reports whether data starts with a UTF-8 byte-order mark.
func HasBOM(data []byte) bool { return bytes.HasPrefix(data, bom) }

// Clean returns a copy of data that standard JSON parsers accept: a leading
// byte-order mark, comments and trailing commas are replaced by spaces.
// Every other byte, line breaks included, stays at its offset.
func Clean(data []byte) []byte {
	out := jsonc.ToJSON(data)
	// jsonc writes one byte too many when the input ends in "/*"; what it
	// wrote is not JSON either way, so keep the length.
	out = out[:min(len(out), len(data))]
	if HasBOM(out) {
		copy(out, "   ")
	}
	return out
}

// Position converts a byte offset in data into a 1-based line and column,
// as editors count them: a byte-order mark takes no column. Offsets past
// the end are clamped to the end.
func Position(data []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(data))
	before := data[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = offset - (bytes.LastIndexByte(before, '\n') + 1) + 1
	if line == 1 && HasBOM(data) && offset >= len(bom) {
		col -= len(bom)
	}
	return line, col
}

// At returns an Error at the byte offset of data, the contents of file.
func At(file string, data []byte, offset int, format string, args ...any) *Error {
	line, col := Position(data, offset)
	return &Error{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// Decode parses data, the contents of file, into v. Syntax errors and values
// of the wrong type come back as an *Error at the offending position.
func Decode(file string, data []byte, v any) error {
	clean := Clean(data)
	if len(bytes.TrimSpace(clean)) == 0 {
		return &Error{File: file, Msg: "file is empty; expected a JSON value"}
	}
	err := json.Unmarshal(clean, v)
	if err == nil {
		return nil
	}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		offset := int(syntax.Offset)
		// The decoder counts the offending byte as read; point at it.
		if offset > 0 && offset <= len(clean) && !strings.Contains(syntax.Error(), "unexpected end") {
			offset--
		}
		return At(file, data, offset, "invalid JSON: %s%s", syntax.Error(), syntaxHint(syntax.Error()))
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		offset := valueStart(clean, int(typ.Offset))
		what := typ.Field
		if what == "" {
			what = "value"
		}
		return At(file, data, offset, "%s must be %s, not %s", what, article(typ.Type.Kind().String()), typ.Value)
	}
	return &Error{File: file, Msg: err.Error()}
}

// syntaxHint says, for encoding/json's common syntax errors, what is
// usually missing.
func syntaxHint(msg string) string {
	switch {
	case strings.Contains(msg, "after object key:value pair"):
		return "; a ',' between members (or the closing '}') is missing before it"
	case strings.Contains(msg, "after array element"):
		return "; a ',' between elements (or the closing ']') is missing before it"
	case strings.Contains(msg, "after object key"):
		return "; a ':' is missing after the key"
	case strings.Contains(msg, "unexpected end of JSON input"):
		return "; the file ends early: a closing '}' or ']' (or a quote) is missing"
	case strings.Contains(msg, "looking for beginning of object key string"):
		return "; keys must be quoted strings (a merge-conflict marker or a stray character?)"
	case strings.Contains(msg, "looking for beginning of value"):
		return "; a value (string, number, object, array, true, false or null) was expected here"
	case strings.Contains(msg, "after top-level value"):
		return "; the file holds more than one JSON value: remove what follows the first"
	}
	return "; fix the JSON syntax"
}

// valueStart moves back from end, the offset just past a JSON value as
// encoding/json reports it, to the first byte of that value.
func valueStart(data []byte, end int) int {
	end = min(end, len(data))
	i := end - 1
	if i < 0 {
		return 0
	}
	switch data[i] {
	case '"':
		for i--; i >= 0; i-- {
			if data[i] == '"' && (i == 0 || data[i-1] != '\\') {
				return i
			}
		}
		return 0
	case '}', ']':
		return matchingOpen(data, i)
	case '{', '[':
		// The decoder stopped at the opening of a composite value.
		return i
	}
	for i > 0 && !strings.ContainsRune(" \t\r\n,:[{", rune(data[i-1])) {
		i--
	}
	return i
}

// matchingOpen finds the bracket that opens the composite value closed at
// data[closeAt], skipping over strings.
func matchingOpen(data []byte, closeAt int) int {
	depth := 0
	inString := false
	for i := closeAt; i >= 0; i-- {
		c := data[i]
		if inString {
			if c == '"' && (i == 0 || data[i-1] != '\\') {
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '}', ']':
			depth++
		case '{', '[':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return 0
}

// article names a Go kind the way a JSON user would read it.
func article(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	case "bool":
		return "true or false"
	case "int", "int64", "int32", "uint", "float64":
		return "a number"
	}
	return "a " + kind
}
