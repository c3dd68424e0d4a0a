package appsettings

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

// parsed is a settings file together with the offsets Set needs. Offsets are
// the same in data and clean.
type parsed struct {
	file        *File
	data, clean []byte
	root        container
	// Local settings: the "Values" member of root (nil when absent) and,
	// when it is an object, its contents.
	valuesItem *item
	values     *container
	// Azure CLI: one container per array element.
	elems   []container
	entries []entry // parallel to file.Settings
	// Where locate last found a line: its number and first byte.
	line, lineStart int
}

// entry says where a setting's value is written.
type entry struct {
	val      span
	isString bool
	elem     int  // Azure CLI: index into parsed.elems; -1 otherwise
	missing  bool // Azure CLI: the element has no "value" member
}

// Parse reads the settings in data, the contents of the file at path. The
// format is told from the content: an object is local.settings.json, an
// array is Azure CLI output. Every problem comes back as a *jsonfile.Error
// at its line and column: malformed JSON, a "Values" that is not an object,
// a setting whose value is an object or array (numbers and booleans are
// taken as their JSON text, null as ""), an array element without a string
// "name", and a setting defined twice (reported at the second definition).
// A setting with an empty name is skipped with a warning (File.Warnings),
// as the Core Tools skip it.
func Parse(path string, data []byte) (*File, error) {
	p, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	return p.file, nil
}

func parse(path string, data []byte) (*parsed, error) {
	if err := jsonfile.Decode(path, data, new(json.RawMessage)); err != nil {
		return nil, err
	}
	p := &parsed{
		file:  &File{Path: path, Data: data},
		data:  data,
		clean: jsonfile.Clean(data),
		line:  1,
	}
	start := skipSpace(p.clean, 0)
	var err error
	switch p.clean[start] {
	case '{':
		p.file.Format = LocalSettings
		err = p.local(start)
	case '[':
		p.file.Format = AzureCLI
		err = p.azureCLI(start)
	default:
		err = p.errorf(start, "app settings must be an object (local.settings.json) or an array (az functionapp config appsettings list), not %s", p.kind(start))
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// local reads local.settings.json, whose root object opens at start.
func (p *parsed) local(start int) error {
	p.root = scanContainer(p.clean, start)
	for i := range p.root.items {
		it := &p.root.items[i]
		switch it.name {
		case "Values":
			if p.valuesItem != nil {
				return p.errorf(it.key.start, "duplicate \"Values\"; the first is at %s", p.pos(p.valuesItem.key.start))
			}
			p.valuesItem = it
		case "IsEncrypted":
			// The Core Tools read true, or a string that converts to true.
			raw := p.raw(it.val)
			p.file.Encrypted = raw == "true" ||
				p.clean[it.val.start] == '"' && strings.EqualFold(strings.TrimSpace(decodeString([]byte(raw))), "true")
		}
	}
	if p.valuesItem == nil {
		return nil
	}
	switch v := p.valuesItem.val; p.clean[v.start] {
	case 'n': // null: no settings, as the Core Tools read it
		return nil
	case '{':
		c := scanContainer(p.clean, v.start)
		p.values = &c
	default:
		return p.errorf(v.start, "\"Values\" must be an object, not %s", p.kind(v.start))
	}
	first := map[string]int{}
	for _, m := range p.values.items {
		if m.name == "" {
			p.skipEmptyName(m.key.start)
			continue
		}
		if at, dup := first[m.name]; dup {
			return p.errorf(m.key.start, "duplicate setting %q (the first is at %s); remove one of them", m.name, p.pos(at))
		}
		first[m.name] = m.key.start
		value, isString, err := p.value(m.name, m.val)
		if err != nil {
			return err
		}
		p.add(Setting{Name: m.name, Value: value}, entry{val: m.val, isString: isString, elem: -1})
	}
	return nil
}

// azureCLI reads `az functionapp config appsettings list` output, whose root
// array opens at start.
func (p *parsed) azureCLI(start int) error {
	p.root = scanContainer(p.clean, start)
	first := map[string]int{}
	for _, el := range p.root.items {
		if p.clean[el.val.start] != '{' {
			return p.errorf(el.val.start, "app setting must be an object with \"name\" and \"value\", not %s", p.kind(el.val.start))
		}
		c := scanContainer(p.clean, el.val.start)
		var name, value, slot *item
		for i := range c.items {
			m := &c.items[i]
			var slotFor **item
			switch m.name {
			case "name":
				slotFor = &name
			case "value":
				slotFor = &value
			case "slotSetting":
				slotFor = &slot
			default:
				continue
			}
			if *slotFor != nil {
				return p.errorf(m.key.start, "duplicate %q in app setting; the first is at %s", m.name, p.pos((*slotFor).key.start))
			}
			*slotFor = m
		}
		if name == nil {
			return p.errorf(c.open, "app setting has no \"name\"; every element needs a \"name\" and a \"value\"")
		}
		if p.clean[name.val.start] != '"' {
			return p.errorf(name.val.start, "app setting \"name\" must be a string, not %s", p.kind(name.val.start))
		}
		s := Setting{Name: decodeString(p.clean[name.val.start:name.val.end])}
		if s.Name == "" {
			p.skipEmptyName(name.val.start)
			continue
		}
		if at, dup := first[s.Name]; dup {
			return p.errorf(name.val.start, "duplicate setting %q (the first is at %s); remove one of them", s.Name, p.pos(at))
		}
		first[s.Name] = name.val.start
		e := entry{elem: len(p.elems)}
		if value == nil {
			e.missing = true
			e.val = span{c.open, c.open}
		} else {
			v, isString, err := p.value(s.Name, value.val)
			if err != nil {
				return err
			}
			s.Value, e.val, e.isString = v, value.val, isString
		}
		if slot != nil {
			switch p.raw(slot.val) {
			case "true":
				s.SlotSetting = true
			case "false", "null":
			default:
				return p.errorf(slot.val.start, "\"slotSetting\" of %q must be true or false, not %s", s.Name, p.kind(slot.val.start))
			}
		}
		p.elems = append(p.elems, c)
		p.add(s, e)
	}
	return nil
}

// skipEmptyName passes over a setting whose name is empty, at offset i,
// with a warning. The Core Tools skip such a setting ("Skipping local
// setting with empty key") and the host has no way to read it, so it is no
// setting: Lookup does not find it and Set refuses the empty name.
func (p *parsed) skipEmptyName(i int) {
	line, col := p.locate(i)
	p.file.Warnings = append(p.file.Warnings,
		fmt.Sprintf("%s:%d:%d: a setting with an empty name is skipped, as the Core Tools skip it; remove it or name it", p.file.Path, line, col))
}

// add records a setting, locating it at its value. Settings are added in
// file order.
func (p *parsed) add(s Setting, e entry) {
	s.Line, s.Col = p.locate(e.val.start)
	p.file.Settings = append(p.file.Settings, s)
	p.entries = append(p.entries, e)
}

// locate returns the line and column of offset i, which is not before the
// line of the previous offset located: the file is read once, not once a
// setting.
func (p *parsed) locate(i int) (line, col int) {
	l, c := jsonfile.Position(p.data[p.lineStart:], i-p.lineStart)
	p.line += l - 1
	p.lineStart = i - (c - 1)
	return p.line, c
}

// value reads the value of setting name: strings as they are, numbers and
// booleans as their JSON text, null as "". Objects and arrays are refused:
// the host wants strings.
func (p *parsed) value(name string, v span) (value string, isString bool, err error) {
	switch p.clean[v.start] {
	case '"':
		return decodeString(p.clean[v.start:v.end]), true, nil
	case '{', '[':
		return "", false, p.errorf(v.start, "setting %q must be a string, not %s", name, p.kind(v.start))
	case 'n':
		return "", false, nil
	}
	return p.raw(v), false, nil
}

// raw is the JSON text of v.
func (p *parsed) raw(v span) string { return string(p.clean[v.start:v.end]) }

// kind names the kind of JSON value that starts at offset i.
func (p *parsed) kind(i int) string {
	switch p.clean[i] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// pos formats offset i as "line L, column C" for messages.
func (p *parsed) pos(i int) string {
	line, col := jsonfile.Position(p.data, i)
	return fmt.Sprintf("line %d, column %d", line, col)
}

// errorf returns a *jsonfile.Error at offset i.
func (p *parsed) errorf(i int, format string, args ...any) error {
	return jsonfile.At(p.file.Path, p.data, i, format, args...)
}
