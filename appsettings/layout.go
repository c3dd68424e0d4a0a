package appsettings

import (
	"bytes"
	"strings"
)

// layout is how a file is written, so that new text can be written alike.
type layout struct {
	nl   string // line ending: "\n" or "\r\n"
	unit string // one level of indentation
	sep  string // between a key and its value, colon included: ": "
	gap  string // after a comma between items on one line: " "
}

// layoutOf measures the layout of p's file from its own text, falling back
// to what the Core Tools write (two spaces, ": ") where the file does not
// say.
func layoutOf(p *parsed) layout {
	l := layout{nl: "\n", sep: ": "}
	if i := bytes.IndexByte(p.data, '\n'); i > 0 && p.data[i-1] == '\r' {
		l.nl = "\r\n"
	}
	// The settings themselves show the layout best, the root next.
	var containers []container
	if p.values != nil {
		containers = append(containers, *p.values)
	}
	containers = append(containers, p.elems...)
	containers = append(containers, p.root)

	for _, c := range containers {
		if l.unit = p.indentStep(c); l.unit != "" {
			break
		}
	}
	if l.unit == "" {
		l.unit = "  "
		if bytes.HasPrefix(p.data, []byte{'\t'}) || bytes.Contains(p.data, []byte("\n\t")) {
			l.unit = "\t"
		}
	}

sep:
	for _, c := range containers {
		for _, it := range c.items {
			if !it.hasKey {
				continue
			}
			if s := string(p.data[it.key.end:it.val.start]); onlyOf(s, " \t:") && strings.Count(s, ":") == 1 {
				l.sep = s
				break sep
			}
		}
	}

	// Without an example, space after a comma as after the colon.
	l.gap = l.sep[strings.IndexByte(l.sep, ':')+1:]
gap:
	for _, c := range containers {
		for i := 1; i < len(c.items); i++ {
			s := string(p.data[c.items[i-1].val.end:c.items[i].start()])
			if onlyOf(s, " \t,") && strings.Count(s, ",") == 1 {
				l.gap = s[strings.IndexByte(s, ',')+1:]
				break gap
			}
		}
	}
	return l
}

// indentStep returns the indentation c's items add to the line c opens on,
// or "" when c does not show it.
func (p *parsed) indentStep(c container) string {
	if len(c.items) == 0 {
		return ""
	}
	first := c.items[0].start()
	if !p.firstOnLine(first) || !bytes.Contains(p.data[c.open:first], []byte{'\n'}) {
		return ""
	}
	outer, inner := p.lineIndent(c.open), p.lineIndent(first)
	if len(inner) <= len(outer) || !strings.HasPrefix(inner, outer) {
		return ""
	}
	return inner[len(outer):]
}

// lineIndent returns the spaces and tabs that begin the line holding offset i.
func (p *parsed) lineIndent(i int) string {
	start := bytes.LastIndexByte(p.data[:i], '\n') + 1
	end := start
	for end < len(p.data) && (p.data[end] == ' ' || p.data[end] == '\t') {
		end++
	}
	return string(p.data[start:end])
}

// firstOnLine reports whether only spaces and tabs precede offset i on its line.
func (p *parsed) firstOnLine(i int) bool {
	start := bytes.LastIndexByte(p.data[:i], '\n') + 1
	return start+len(p.lineIndent(i)) == i
}

// itemIndent is the indentation for an item of c written on a line of its
// own: that of its last item when it starts a line, else one level more than
// the line c opens on.
func (p *parsed) itemIndent(c container, l layout) string {
	if n := len(c.items); n > 0 && p.firstOnLine(c.items[n-1].start()) {
		return p.lineIndent(c.items[n-1].start())
	}
	return p.lineIndent(c.open) + l.unit
}

// multiline reports whether c spans more than one line.
func (p *parsed) multiline(c container) bool {
	return bytes.Contains(p.data[c.open:c.close], []byte{'\n'})
}

func onlyOf(s, chars string) bool {
	return strings.Trim(s, chars) == ""
}

// trivia is what lies between two tokens of the original file: whitespace,
// comments and at most one comma.
type trivia struct {
	lastNL int // offset of the last line break outside a comment, or -1
	comma  int // offset of the comma, or -1
}

// scanTrivia reads data[from:to], which the cleaned copy shows as blank
// except for a comma.
func scanTrivia(data []byte, from, to int) trivia {
	t := trivia{lastNL: -1, comma: -1}
	for i := from; i < to; {
		switch {
		case data[i] == '\n':
			t.lastNL = i
			i++
		case data[i] == ',':
			t.comma = i
			i++
		case bytes.HasPrefix(data[i:to], []byte("//")):
			if j := bytes.IndexByte(data[i:to], '\n'); j >= 0 {
				i += j // the line break ends the comment but is not part of it
			} else {
				i = to
			}
		case bytes.HasPrefix(data[i:to], []byte("/*")):
			if j := bytes.Index(data[i+2:to], []byte("*/")); j >= 0 {
				i += 2 + j + 2
			} else {
				i = to
			}
		default:
			i++
		}
	}
	return t
}
