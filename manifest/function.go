package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/dfversion/dfversion/internal/jsonfile"
	"github.com/tidwall/gjson"
)

// FunctionFile is the name of the file that makes a folder a function.
const FunctionFile = "function.json"

// Function is one function of the app: a folder holding a function.json.
type Function struct {
	// Name is the folder name: the function's name, and the path the host
	// POSTs invocations to.
	Name string
	// RegisteredName is the name durable calls use for this function: the
	// trigger's "orchestration" or "activity" override, or Name.
	RegisteredName string
	// Override is true when the trigger sets the registered name with an
	// "orchestration" or "activity" property (which may equal Name).
	Override bool
	// NameOffset is the byte offset in Config of the override that sets
	// RegisteredName, or of the trigger binding when there is none.
	NameOffset int
	// Base and Version are parsed from Name (<Base>_v<N>; unversioned
	// names are version 1).
	Base    string
	Version int
	Kind    Kind

	// ConfigPath is function.json's path relative to the app root,
	// slash-separated.
	ConfigPath string
	// Config is function.json as read.
	Config   []byte
	Bindings []Binding
}

// Binding is one entry of function.json's bindings array.
type Binding struct {
	Type      string `json:"type"`
	Direction string `json:"direction"`
	Name      string `json:"name"`
	// Orchestration and Activity override the registered name of an
	// orchestrator or activity.
	Orchestration string `json:"orchestration"`
	Activity      string `json:"activity"`
	// Route is an httpTrigger's route template ("" means the function name).
	Route string `json:"route"`

	// Offset is the byte offset of the binding object in Config;
	// TypeOffset that of its "type" value.
	Offset     int `json:"-"`
	TypeOffset int `json:"-"`
	index      int // in the bindings array
}

// validName matches the function names the Functions host accepts.
var validName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,127}$`)

// ValidName reports whether name is a function name the host accepts: a
// letter, then letters, digits, '_' or '-', at most 128 characters.
func ValidName(name string) bool { return validName.MatchString(name) }

// NameProblem says what makes name a function name the host refuses ("its
// '.' at 5 is not allowed: use letters, digits, '_' or '-'"), naming the
// first problem; "" when the host accepts it.
func NameProblem(name string) string {
	if ValidName(name) {
		return ""
	}
	for i, r := range name {
		switch {
		case i == 0 && !isASCIILetter(r):
			return fmt.Sprintf("it starts with %q: a function name starts with a letter", r)
		case i > 0 && !isASCIILetter(r) && !('0' <= r && r <= '9') && r != '_' && r != '-':
			return fmt.Sprintf("its %q at character %d is not allowed: use letters, digits, '_' or '-'", r, utf8.RuneCountInString(name[:i])+1)
		}
	}
	if name == "" {
		return "it is empty"
	}
	return fmt.Sprintf("it is %d characters long: at most 128 are allowed", utf8.RuneCountInString(name))
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

// ParseFunction reads the function.json of the function named name.
// display is the file's path as shown in messages.
func ParseFunction(name, display string, data []byte) (*Function, error) {
	var raw struct {
		Bindings []Binding `json:"bindings"`
	}
	if err := jsonfile.Decode(display, data, &raw); err != nil {
		return nil, err
	}
	if err := jsonfile.CheckKeys(display, data, "bindings", "type", "direction", "name", "orchestration", "activity", "route"); err != nil {
		return nil, err
	}
	clean := jsonfile.Clean(data)
	bindings := gjson.GetBytes(clean, "bindings")
	if len(raw.Bindings) == 0 {
		offset := 0
		if bindings.Exists() {
			offset = bindings.Index
		}
		return nil, jsonfile.At(display, data, offset,
			"function %s has no bindings; every function needs a trigger binding", name)
	}
	i := 0
	bindings.ForEach(func(_, b gjson.Result) bool {
		raw.Bindings[i].Offset = b.Index
		raw.Bindings[i].TypeOffset = b.Index
		if t := b.Get("type"); t.Index > 0 { // gjson gives it in the whole document
			raw.Bindings[i].TypeOffset = t.Index
		}
		raw.Bindings[i].index = i
		i++
		return i < len(raw.Bindings)
	})
	for _, b := range raw.Bindings {
		if b.Type == "" {
			return nil, jsonfile.At(display, data, b.Offset, `binding has no "type"; every binding needs a "type", such as orchestrationTrigger, activityTrigger or httpTrigger`)
		}
		if durable, ok := misspeltDurableType(b.Type); ok {
			return nil, jsonfile.At(display, data, b.TypeOffset,
				"binding type %q is not one the Functions host knows; did you mean %q? (fix the spelling: the host would not run %s)", b.Type, durable, name)
		}
	}

	base, version := ParseName(name)
	f := &Function{
		Name:           name,
		RegisteredName: name,
		Base:           base,
		Version:        version,
		Kind:           kindOf(raw.Bindings),
		ConfigPath:     path.Join(name, FunctionFile),
		Config:         data,
		Bindings:       raw.Bindings,
	}
	if t := f.Trigger(); t != nil {
		f.NameOffset = t.Offset
		override := ""
		switch {
		case f.Kind == Orchestrator && t.Orchestration != "":
			f.RegisteredName, override = t.Orchestration, "orchestration"
		case f.Kind == Activity && t.Activity != "":
			f.RegisteredName, override = t.Activity, "activity"
		}
		if override != "" {
			f.Override = true
			f.NameOffset = gjson.GetBytes(clean, fmt.Sprintf("bindings.%d.%s", t.index, override)).Index
		}
	}
	return f, nil
}

// Trigger returns the function's trigger binding, or nil if it has none.
func (f *Function) Trigger() *Binding {
	for i := range f.Bindings {
		b := &f.Bindings[i]
		if strings.HasSuffix(strings.ToLower(b.Type), "trigger") { // the host ignores case
			return b
		}
	}
	return nil
}

// TypeOffset is the byte offset in Config of the type of the function's
// trigger binding (of its first binding when it has no trigger): what
// decides its kind.
func (f *Function) TypeOffset() int {
	if t := f.Trigger(); t != nil {
		return t.TypeOffset
	}
	return f.Bindings[0].TypeOffset
}

// HTTPRoute returns the route of the function's httpTrigger binding (the
// function name when the binding sets none) and whether it has one.
func (f *Function) HTTPRoute() (string, bool) {
	for _, b := range f.Bindings {
		if strings.EqualFold(b.Type, bindingHTTPTrigger) {
			if b.Route != "" {
				return b.Route, true
			}
			return f.Name, true
		}
	}
	return "", false
}

// BindingsHash fingerprints the function's bindings: their content, with
// key order, formatting and comments not counting.
func (f *Function) BindingsHash() string {
	var raw struct {
		Bindings []map[string]any `json:"bindings"`
	}
	_ = json.Unmarshal(jsonfile.Clean(f.Config), &raw) // parsed before: cannot fail
	canon, _ := json.Marshal(raw.Bindings)             // map keys come sorted
	sum := sha256.Sum256(canon)
	return "sha256:" + hex.EncodeToString(sum[:16])
}
