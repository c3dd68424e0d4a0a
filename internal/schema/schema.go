// Package schema checks the JSON files of a function app (function.json,
// host.json and local.settings.json) against the JSON schemas SchemaStore
// publishes for them.
//
// The schemas are embedded in the binary (see schemas/README.md) and are
// compiled with JSON Schema draft-07 semantics, whatever draft they declare:
// function.json declares draft-04 but relies on `const`, which only later
// drafts have. Nothing is ever fetched over the network; a schema that
// refers to a document other than itself fails to compile.
//
// Validate reports each way a file breaks its schema as a Problem at the
// line and column of the offending value. When a value matches none of the
// alternatives a schema offers (oneOf, anyOf), it reports the problems of
// the alternative the value most likely meant, not those of every
// alternative.
package schema

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

//go:embed schemas/function.json schemas/host.json schemas/local.settings.json
var files embed.FS

// Kind names a file kind with a schema.
type Kind int

// The file kinds with a schema. The zero Kind is none of them.
const (
	// Function is a function.json, the bindings of one function.
	Function Kind = iota + 1
	// Host is the app's host.json.
	Host
	// LocalSettings is the app's local.settings.json.
	LocalSettings
)

// String returns the file name of the kind, such as "host.json".
func (k Kind) String() string {
	switch k {
	case Function:
		return "function.json"
	case Host:
		return "host.json"
	case LocalSettings:
		return "local.settings.json"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Problem is one way a file breaks its schema, at the position of the
// offending value.
type Problem struct {
	// Line and Col are the 1-based position of the offending value (of the
	// key, for a property the schema does not allow), counted as
	// jsonfile.Position counts them.
	Line, Col int
	// Pointer is the JSON pointer (RFC 6901) of the offending value, such
	// as /bindings/0/direction; "" is the whole file.
	Pointer string
	// Message says what is wrong, in the terms of the file: lower-case and
	// on one line, such as `"direction" must be one of "in", "out",
	// "inout", not "input"`.
	Message string
}

// Validate checks data, the contents of a file of the given kind, against
// the kind's schema. Like the Functions host, it accepts a UTF-8 byte-order
// mark, comments and trailing commas.
//
// The problems come sorted by position, without duplicates; there are none
// when the file is valid. The error is non-nil only when data is not JSON at
// all (a *jsonfile.Error whose File is the kind's file name, for the caller
// to replace with the real path), when kind is not a known Kind, or if an
// embedded schema fails to compile, which the tests rule out.
func Validate(kind Kind, data []byte) ([]Problem, error) {
	get, ok := compiledSchemas[kind]
	if !ok {
		return nil, fmt.Errorf("no schema for file kind %v", kind)
	}
	sch, err := get()
	if err != nil {
		return nil, err
	}
	clean := jsonfile.Clean(data)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(clean))
	if err != nil {
		var v any
		if derr := jsonfile.Decode(kind.String(), data, &v); derr != nil {
			return nil, derr
		}
		return nil, &jsonfile.Error{File: kind.String(), Msg: "invalid JSON: " + err.Error()}
	}
	err = sch.root.Validate(inst)
	if err == nil {
		return nil, nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return nil, fmt.Errorf("validating %v: %w", kind, err)
	}
	return problems(kind, sch, inst, data, clean, verr), nil
}

// compiled is a schema ready to validate with.
type compiled struct {
	root *jsonschema.Schema
	// byLocation holds every subschema reachable from root by its
	// absolute location, the SchemaURL of the errors it produces.
	byLocation map[string]*jsonschema.Schema
	// forms holds the forms of every alternative of a oneOf or anyOf.
	forms map[*jsonschema.Schema][]form
}

// compiledSchemas compiles each embedded schema the first time it is used.
var compiledSchemas = map[Kind]func() (*compiled, error){
	Function:      sync.OnceValues(func() (*compiled, error) { return load(Function) }),
	Host:          sync.OnceValues(func() (*compiled, error) { return load(Host) }),
	LocalSettings: sync.OnceValues(func() (*compiled, error) { return load(LocalSettings) }),
}

// schemaURL is where SchemaStore publishes the schema of a kind; the
// embedded copy is registered under it, and it is never fetched.
func schemaURL(k Kind) string { return "https://json.schemastore.org/" + k.String() }

const draft07 = "http://json-schema.org/draft-07/schema#"

func load(k Kind) (*compiled, error) {
	data, err := files.ReadFile("schemas/" + k.String())
	if err != nil {
		return nil, err
	}
	return compile(schemaURL(k), data)
}

// compile compiles the schema document data, registered as url, with
// draft-07 semantics and without loading any other document.
func compile(url string, data []byte) (*compiled, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading schema %s: %w", url, err)
	}
	if obj, ok := doc.(map[string]any); ok {
		// The declared draft wins over any default, so replace it.
		obj["$schema"] = draft07
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.UseLoader(embeddedOnly{})
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("loading schema %s: %w", url, err)
	}
	root, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compiling schema %s: %w", url, err)
	}
	sch := &compiled{root: root, byLocation: map[string]*jsonschema.Schema{}, forms: map[*jsonschema.Schema][]form{}}
	sch.index(root)
	for _, s := range sch.byLocation {
		for _, alt := range slices.Concat(s.OneOf, s.AnyOf) {
			sch.forms[alt] = flatten(alt, 0)
		}
	}
	return sch, nil
}

// embeddedOnly is the compiler's loader for every document not registered
// with it: it refuses them all, so a schema that refers to another document
// fails to compile instead of reaching for the network or the disk.
type embeddedOnly struct{}

func (embeddedOnly) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema refers to %s, which is not embedded; schemas are never fetched", url)
}

// index records s and every subschema reachable from it in byLocation.
func (c *compiled) index(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	if _, seen := c.byLocation[s.Location]; seen {
		return
	}
	c.byLocation[s.Location] = s
	for _, sub := range []*jsonschema.Schema{
		s.Ref, s.RecursiveRef, s.Not, s.If, s.Then, s.Else, s.PropertyNames,
		s.UnevaluatedProperties, s.Contains, s.Items2020, s.UnevaluatedItems, s.ContentSchema,
	} {
		c.index(sub)
	}
	for _, list := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
		for _, sub := range list {
			c.index(sub)
		}
	}
	for _, sub := range s.Properties {
		c.index(sub)
	}
	for _, sub := range s.PatternProperties {
		c.index(sub)
	}
	for _, sub := range s.DependentSchemas {
		c.index(sub)
	}
	for _, dep := range s.Dependencies {
		if sub, ok := dep.(*jsonschema.Schema); ok {
			c.index(sub)
		}
	}
	for _, v := range []any{s.AdditionalProperties, s.Items, s.AdditionalItems} {
		switch v := v.(type) {
		case *jsonschema.Schema:
			c.index(v)
		case []*jsonschema.Schema:
			for _, sub := range v {
				c.index(sub)
			}
		}
	}
}
