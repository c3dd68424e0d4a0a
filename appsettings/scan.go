package appsettings

import "encoding/json"

// span is the byte range [start, end) of a JSON value or key.
type span struct{ start, end int }

// item is one member of an object or one element of an array. For array
// elements key is the zero span and hasKey is false.
type item struct {
	hasKey bool
	key    span
	name   string // the decoded key
	val    span
}

// start is the offset where the item is written: its key, or its value.
func (it item) start() int {
	if it.hasKey {
		return it.key.start
	}
	return it.val.start
}

// container is an object or array: the offsets of its brackets and its items.
type container struct {
	open, close int // offsets of '{' or '[' and of the matching '}' or ']'
	items       []item
}

// The scanner below walks a cleaned copy (see jsonfile.Clean) that is
// already known to be valid JSON, so it checks nothing: it only measures.

// skipSpace returns the offset of the first non-whitespace byte at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// valueEnd returns the offset just past the value that starts at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for i < len(b) && !isDelimiter(b[i]) {
		i++
	}
	return i
}

func isDelimiter(c byte) bool {
	switch c {
	case ',', ']', '}', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// stringEnd returns the offset just past the string whose quote is b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// scanContainer measures the object or array that opens at b[open].
func scanContainer(b []byte, open int) container {
	c := container{open: open}
	closing := byte(']')
	if b[open] == '{' {
		closing = '}'
	}
	i := skipSpace(b, open+1)
	for i < len(b) && b[i] != closing {
		var it item
		if closing == '}' {
			it.hasKey = true
			it.key = span{i, stringEnd(b, i)}
			it.name = decodeString(b[it.key.start:it.key.end])
			i = skipSpace(b, it.key.end)
			i = skipSpace(b, i+1) // past ':'
		}
		it.val = span{i, valueEnd(b, i)}
		c.items = append(c.items, it)
		i = skipSpace(b, it.val.end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	c.close = i
	return c
}

// decodeString decodes a JSON string literal the way encoding/json does.
func decodeString(raw []byte) string {
	var s string
	_ = json.Unmarshal(raw, &s) // raw comes from validated JSON
	return s
}
