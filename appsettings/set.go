package appsettings

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Set returns the complete content of f with setting name set to value; f
// itself is not changed. An existing value is replaced where it stands and
// every other byte is kept. A new setting is added after the last one (in
// local settings, as the last member of "Values", which is created if
// absent; in Azure CLI output, as a new element with "slotSetting": false),
// written with the file's indentation, key/value separator and line endings.
// Setting a string value a setting already holds returns the content
// unchanged; a number, boolean or null is replaced by a string.
//
// Set refuses an empty name, a name or value that is not valid UTF-8, and an
// encrypted local.settings.json.
func (f *File) Set(name, value string) ([]byte, error) {
	if err := checkArgs(name, value); err != nil {
		return nil, fmt.Errorf("setting %q in %s: %w", name, f.Path, err)
	}
	p, err := parse(f.Path, f.Data)
	if err != nil {
		return nil, err
	}
	if p.file.Encrypted {
		return nil, fmt.Errorf("setting %q in %s: values are encrypted (\"IsEncrypted\": true); run `func settings decrypt` first", name, f.Path)
	}
	e := editor{p: p, l: layoutOf(p)}
	for i, s := range p.file.Settings {
		if s.Name != name {
			continue
		}
		en := p.entries[i]
		switch {
		case en.missing:
			e.addMember(p.elems[en.elem], "value", quote(value))
		case en.isString && s.Value == value:
			// Nothing to do; keep the bytes as written.
		default:
			e.replace(en.val, quote(value))
		}
		return e.apply(), nil
	}
	switch {
	case p.file.Format == AzureCLI:
		e.add(p.root, func(indent string, multiline bool) string {
			return e.element(name, value, indent, multiline)
		})
	case p.values != nil:
		e.addMember(*p.values, name, quote(value))
	case p.valuesItem != nil: // "Values": null
		v := p.valuesItem
		indent := p.lineIndent(p.root.open) + e.l.unit
		if p.firstOnLine(v.key.start) {
			indent = p.lineIndent(v.key.start)
		}
		e.replace(v.val, e.object(name, value, indent, p.multiline(p.root)))
	default:
		e.add(p.root, func(indent string, multiline bool) string {
			return quote("Values") + e.l.sep + e.object(name, value, indent, multiline)
		})
	}
	return e.apply(), nil
}

// checkArgs checks the arguments of Set.
func checkArgs(name, value string) error {
	switch {
	case name == "":
		return errors.New("empty setting name")
	case !utf8.ValidString(name):
		return errors.New("setting name is not valid UTF-8")
	case !utf8.ValidString(value):
		return errors.New("value is not valid UTF-8")
	}
	return nil
}

// edit replaces data[at.start:at.end] with text.
type edit struct {
	at   span
	text string
}

// editor collects edits to a parsed file.
type editor struct {
	p     *parsed
	l     layout
	edits []edit
}

// apply returns the file's bytes with the edits made, in a new slice.
func (e *editor) apply() []byte {
	var out bytes.Buffer
	last := 0
	// Edits are recorded in increasing offset order and never overlap.
	for _, ed := range e.edits {
		out.Write(e.p.data[last:ed.at.start])
		out.WriteString(ed.text)
		last = ed.at.end
	}
	out.Write(e.p.data[last:])
	return out.Bytes()
}

func (e *editor) replace(at span, text string) {
	e.edits = append(e.edits, edit{at, text})
}

func (e *editor) insert(at int, text string) {
	e.replace(span{at, at}, text)
}

// addMember adds "key": value (value being JSON text) as the last member of
// object c.
func (e *editor) addMember(c container, key, value string) {
	e.add(c, func(string, bool) string { return quote(key) + e.l.sep + value })
}

// add adds an item after the last one of c. render writes the item; it is
// told the indentation of the item's line and whether c is written one item
// a line, so that it can lay out a nested object alike.
func (e *editor) add(c container, render func(indent string, multiline bool) string) {
	p, l := e.p, e.l
	indent := p.itemIndent(c, l)

	if n := len(c.items); n > 0 {
		last := c.items[n-1].val.end
		t := scanTrivia(p.data, last, c.close)
		if t.lastNL < 0 {
			// No line break before c closes: `, item` right after the
			// last item. A trailing comma, if any, follows the new item.
			e.insert(last, ","+l.gap+render(indent, false))
			return
		}
		// One item a line: the new line goes before the line that closes
		// c, after any comment that follows the last item.
		if t.comma < 0 || t.comma > t.lastNL {
			e.insert(last, ",")
		}
		e.insert(t.lastNL+1, indent+render(indent, true)+l.nl)
		return
	}

	// c is empty. Anything between its brackets is blank or a comment, or
	// the lone comma jsonc tolerates there.
	t := scanTrivia(p.data, c.open+1, c.close)
	inner := span{c.open + 1, c.close}
	blank := onlyOf(string(p.data[inner.start:inner.end]), " \t")
	switch {
	case t.lastNL >= 0:
		// `{` and `}` already on lines of their own.
		e.insert(inner.start, l.nl+indent+render(indent, true))
	case c.open != p.root.open && p.multiline(p.root):
		// `{}` inside a file written one item a line: open it up.
		text := l.nl + indent + render(indent, true) + l.nl + p.lineIndent(c.open)
		if blank {
			e.replace(inner, text)
		} else {
			e.insert(inner.start, text)
		}
	case blank:
		e.replace(inner, render(indent, false))
	default:
		e.insert(inner.start, render(indent, false))
	}
}

// object writes {"name": "value"} for an object whose opening line is
// indented by indent.
func (e *editor) object(name, value, indent string, multiline bool) string {
	member := quote(name) + e.l.sep + quote(value)
	if !multiline {
		return "{" + member + "}"
	}
	return "{" + e.l.nl + indent + e.l.unit + member + e.l.nl + indent + "}"
}

// element writes an Azure CLI app setting for an array element whose line
// is indented by indent, laid out like the last element (the CLI writes one
// member a line, in the order name, slotSetting, value).
func (e *editor) element(name, value, indent string, multiline bool) string {
	fields := map[string]string{
		"name":        quote(name),
		"slotSetting": "false",
		"value":       quote(value),
	}
	order := []string{}
	if n := len(e.p.elems); n > 0 {
		multiline = multiline && e.p.multiline(e.p.elems[n-1])
		for _, m := range e.p.elems[n-1].items {
			if _, known := fields[m.name]; known && !slices.Contains(order, m.name) {
				order = append(order, m.name)
			}
		}
	}
	for _, k := range []string{"name", "slotSetting", "value"} {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	members := make([]string, len(order))
	for i, k := range order {
		members[i] = quote(k) + e.l.sep + fields[k]
	}
	if !multiline {
		return "{" + strings.Join(members, ","+e.l.gap) + "}"
	}
	inner := indent + e.l.unit
	return "{" + e.l.nl + inner + strings.Join(members, ","+e.l.nl+inner) + e.l.nl + indent + "}"
}
