package schema

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	jskind "github.com/santhosh-tekuri/jsonschema/v6/kind"
	"github.com/tidwall/gjson"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

// A leaf is one failed assertion about one value: an error of the
// validator that has no nested errors, split so that it names a single
// property when it is about properties.
type leaf struct {
	loc   []string // instance location of the offending value
	atKey bool     // the value is a property the schema does not allow: point at its key
	kind  jsonschema.ErrorKind
}

// pointer returns the JSON pointer of l's value.
func (l leaf) pointer() string { return pointer(l.loc) }

// class groups leaves that blame the same thing: all the assertions about a
// value's own content (type, enum, pattern...) fall together, a missing
// property counts once per property.
func (l leaf) class() string {
	switch k := l.kind.(type) {
	case *jskind.Required:
		return l.pointer() + "|required|" + k.Missing[0]
	case *jskind.AdditionalProperties:
		return l.pointer() + "|unknown"
	case *jskind.Type, *jskind.Enum, *jskind.Const, *jskind.Pattern, *jskind.Format, *jskind.Not,
		*jskind.MinLength, *jskind.MaxLength, *jskind.Minimum, *jskind.Maximum,
		*jskind.ExclusiveMinimum, *jskind.ExclusiveMaximum, *jskind.MultipleOf, *jskind.FalseSchema:
		return l.pointer() + "|value"
	}
	return fmt.Sprintf("%s|%T", l.pointer(), l.kind)
}

// problems turns the error tree of a failed validation into problems.
func problems(k Kind, sch *compiled, inst any, data, clean []byte, verr *jsonschema.ValidationError) []Problem {
	p := picker{sch: sch, inst: inst}
	// Assertions that hold whichever alternative the file meant are
	// certain: find them first, they help to tell which alternative it
	// meant.
	p.certain = map[string]bool{}
	for _, l := range p.leaves(verr, false) {
		p.certain[l.class()] = true
	}
	leaves := slices.DeleteFunc(p.leaves(verr, true), func(l leaf) bool { return tolerated(k, l) })
	leaves = mergeValueLeaves(leaves)

	var out []Problem
	for _, l := range leaves {
		line, col := jsonfile.Position(data, offset(clean, l.loc, l.atKey))
		out = append(out, Problem{Line: line, Col: col, Pointer: l.pointer(), Message: message(l, inst)})
	}
	slices.SortFunc(out, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
			strings.Compare(a.Pointer, b.Pointer), strings.Compare(a.Message, b.Message))
	})
	return slices.Compact(out)
}

// picker walks an error tree down to its leaves, choosing one alternative
// wherever the value had to match one of several.
type picker struct {
	sch     *compiled
	inst    any
	certain map[string]bool    // classes of the leaves outside any alternative
	weights map[string]float64 // by JSON pointer of a property value; see weigh
}

// leaves returns the leaves under e. With choose false it skips
// alternatives altogether; with choose true it keeps the leaves of the
// alternative the value most likely meant.
func (p *picker) leaves(e *jsonschema.ValidationError, choose bool) []leaf {
	switch k := e.ErrorKind.(type) {
	case *jskind.Schema, *jskind.Group, *jskind.Reference, *jskind.AllOf:
		var out []leaf
		for _, c := range e.Causes {
			out = append(out, p.leaves(c, choose)...)
		}
		return out
	case *jskind.AnyOf:
		if !choose {
			return nil
		}
		return p.pick(e, func(s *jsonschema.Schema) []*jsonschema.Schema { return s.AnyOf })
	case *jskind.OneOf:
		if k.Subschemas != nil {
			break // matched more than one: a leaf
		}
		if !choose {
			return nil
		}
		return p.pick(e, func(s *jsonschema.Schema) []*jsonschema.Schema { return s.OneOf })
	case *jskind.Required:
		var out []leaf
		for _, name := range k.Missing {
			out = append(out, leaf{loc: e.InstanceLocation, kind: &jskind.Required{Missing: []string{name}}})
		}
		return out
	case *jskind.AdditionalProperties:
		var out []leaf
		for _, name := range k.Properties {
			loc := append(slices.Clip(e.InstanceLocation), name)
			out = append(out, leaf{loc: loc, atKey: true, kind: &jskind.AdditionalProperties{Properties: []string{name}}})
		}
		return out
	}
	return []leaf{{loc: e.InstanceLocation, kind: e.ErrorKind}}
}

// fit says how well a value fits an alternative it failed; see better.
type fit struct {
	matched     float64 // weight of the properties whose value the alternative names (enum, const), less one per property whose value it excludes (not)
	unexplained int     // leaves that no certain leaf already blames on the same thing
	declared    int     // properties of the value the alternative knows
	leaves      int
}

// better reports whether f is a better fit than g. The value most likely
// meant the alternative whose fixed values it uses (a binding of "type"
// "queueTrigger" meant the queue trigger), then the one that adds the
// fewest problems to those the value has anyway, then the one that knows
// most of its properties, then the one with fewest problems. Ties go to the
// first alternative.
func (f fit) better(g fit) bool {
	if d := f.matched - g.matched; d > 1e-9 || d < -1e-9 {
		return d > 0
	}
	if f.unexplained != g.unexplained {
		return f.unexplained < g.unexplained
	}
	if f.declared != g.declared {
		return f.declared > g.declared
	}
	return f.leaves < g.leaves
}

// pick returns the leaves of the alternative of e, a failed oneOf or anyOf,
// that the value fits best. Every alternative failed, so e has one cause per
// alternative, in order.
func (p *picker) pick(e *jsonschema.ValidationError, alternatives func(*jsonschema.Schema) []*jsonschema.Schema) []leaf {
	var alts []*jsonschema.Schema
	if parent := p.sch.byLocation[e.SchemaURL]; parent != nil {
		alts = alternatives(parent)
	}
	if len(alts) != len(e.Causes) {
		alts = nil
	}
	v := valueAt(p.inst, e.InstanceLocation)
	forms := make([][]form, len(alts))
	for i, alt := range alts {
		forms[i] = p.sch.forms[alt]
	}
	p.weigh(e.InstanceLocation, v, forms)

	var best []leaf
	var bestFit fit
	for i, c := range e.Causes {
		ls := p.leaves(c, true)
		f := fit{leaves: len(ls)}
		for _, l := range ls {
			if !p.certain[l.class()] {
				f.unexplained++
			}
		}
		if alts != nil {
			// The alternative fits as well as its best form.
			var bestForm fit
			for j, fm := range forms[i] {
				var g fit
				g.matched, g.declared = p.score(fm, e.InstanceLocation, v)
				if j == 0 || g.better(bestForm) {
					bestForm = g
				}
			}
			f.matched, f.declared = bestForm.matched, bestForm.declared
		}
		if i == 0 || f.better(bestFit) {
			best, bestFit = ls, f
		}
	}
	return best
}

// A form is one way to satisfy a schema without alternatives: the schemas
// whose properties all apply together, once every $ref is followed and one
// branch of every oneOf and anyOf is chosen.
type form []*jsonschema.Schema

// maxForms bounds the forms of one schema; the schemas here have a few
// dozen at most.
const maxForms = 1024

// flatten returns the forms of s.
func flatten(s *jsonschema.Schema, depth int) []form {
	if s == nil || depth > 32 {
		return []form{nil}
	}
	if s.Ref != nil {
		// Draft-07: a $ref hides the keywords beside it.
		return flatten(s.Ref, depth+1)
	}
	forms := []form{{s}}
	for _, sub := range s.AllOf {
		forms = cross(forms, flatten(sub, depth+1))
	}
	for _, alts := range [][]*jsonschema.Schema{s.AnyOf, s.OneOf} {
		if len(alts) == 0 {
			continue
		}
		var options []form
		for _, sub := range alts {
			options = append(options, flatten(sub, depth+1)...)
		}
		forms = cross(forms, options)
	}
	return forms
}

func cross(a, b []form) []form {
	var out []form
	for _, x := range a {
		for _, y := range b {
			if len(out) == maxForms {
				return out
			}
			out = append(out, append(slices.Clip(x), y...))
		}
	}
	return out
}

// named reports, for property name of an object of form f whose value is
// pv, whether f names the values the property may take (enum, const) and pv
// is one of them, and whether f excludes pv (not).
func (f form) named(name string, pv any) (accepts, excludes bool) {
	names, allowed := false, true
	for _, s := range f {
		ps := s.Properties[name]
		for i := 0; ps != nil && ps.Ref != nil && i < 32; i++ {
			ps = ps.Ref
		}
		switch {
		case ps == nil:
		case ps.Enum != nil || ps.Const != nil:
			names = true
			allowed = allowed && allows(ps, pv)
		case ps.Not != nil && ps.Not.Validate(pv) == nil:
			excludes = true
		}
	}
	return names && allowed, excludes
}

// allows reports whether ps, a schema with an enum or a const, allows v.
func allows(ps *jsonschema.Schema, v any) bool {
	if s, ok := v.(string); ok && plainEnum(ps) {
		return slices.Contains(ps.Enum.Values, any(s))
	}
	return ps.Validate(v) == nil
}

// plainEnum reports whether ps asserts nothing about a string but its enum
// (and perhaps its type, string), so that a string is valid if and only if
// it is in the enum.
func plainEnum(ps *jsonschema.Schema) bool {
	return ps.Enum != nil && ps.Const == nil && ps.Ref == nil && ps.Not == nil &&
		(ps.Types == nil || slices.Contains(ps.Types.ToStrings(), "string")) &&
		len(ps.AllOf)+len(ps.AnyOf)+len(ps.OneOf) == 0 && ps.If == nil &&
		ps.Pattern == nil && ps.MinLength == nil && ps.MaxLength == nil && ps.Format == nil &&
		ps.ContentEncoding == nil && ps.ContentMediaType == nil && len(ps.Extensions) == 0
}

// weigh records, for each property of v, the value at loc, how telling it
// is that an alternative names its value: a value that only one form among
// all alternatives names ("type": "queueTrigger") weighs 1, one that ten
// name ("direction": "in") weighs a tenth. Weights found at an outer
// alternative stay, so nested choices judge by the same measure.
func (p *picker) weigh(loc []string, v any, forms [][]form) {
	obj, ok := v.(map[string]any)
	if !ok {
		return
	}
	if p.weights == nil {
		p.weights = map[string]float64{}
	}
	for name, pv := range obj {
		key := pointer(append(slices.Clip(loc), name))
		if _, done := p.weights[key]; done {
			continue
		}
		n := 0
		for _, fs := range forms {
			for _, f := range fs {
				if accepts, _ := f.named(name, pv); accepts {
					n++
				}
			}
		}
		if n > 0 {
			p.weights[key] = 1 / float64(n)
		}
	}
}

// score weighs how well v, the object at loc, fits form f: the weights of
// the properties whose values f names, less one for each property whose
// value f excludes; and how many properties of v f declares.
func (p *picker) score(f form, loc []string, v any) (matched float64, declared int) {
	obj, ok := v.(map[string]any)
	if !ok {
		return 0, 0
	}
	for name, pv := range obj {
		if !slices.ContainsFunc(f, func(s *jsonschema.Schema) bool { return s.Properties[name] != nil }) {
			continue
		}
		declared++
		accepts, excludes := f.named(name, pv)
		if accepts {
			matched += p.weights[pointer(append(slices.Clip(loc), name))]
		}
		if excludes {
			matched--
		}
	}
	return matched, declared
}

// mergeValueLeaves keeps one assertion about the values at each location
// where several agree on what the value may be: a wrong type hides the
// enums at the same place, and enums and consts combine into the values
// they all allow.
func mergeValueLeaves(leaves []leaf) []leaf {
	byPtr := map[string][]int{}
	for i, l := range leaves {
		switch l.kind.(type) {
		case *jskind.Type, *jskind.Enum, *jskind.Const:
			byPtr[l.pointer()] = append(byPtr[l.pointer()], i)
		}
	}
	drop := map[int]bool{}
	for _, idx := range byPtr {
		if len(idx) < 2 {
			continue
		}
		var sets [][]any
		var enums []int
		hasType := false
		for _, i := range idx {
			switch k := leaves[i].kind.(type) {
			case *jskind.Type:
				hasType = true
			case *jskind.Enum:
				sets, enums = append(sets, k.Want), append(enums, i)
			case *jskind.Const:
				sets, enums = append(sets, []any{k.Want}), append(enums, i)
			}
		}
		if len(enums) == 0 {
			continue
		}
		if hasType {
			for _, i := range enums {
				drop[i] = true
			}
			continue
		}
		keep := enums[0]
		for _, i := range enums[1:] {
			drop[i] = true
		}
		leaves[keep].kind = &jskind.Enum{Got: gotOf(leaves[keep].kind), Want: intersect(sets)}
	}
	var out []leaf
	for i, l := range leaves {
		if !drop[i] {
			out = append(out, l)
		}
	}
	return out
}

func gotOf(k jsonschema.ErrorKind) any {
	switch k := k.(type) {
	case *jskind.Enum:
		return k.Got
	case *jskind.Const:
		return k.Got
	}
	return nil
}

// intersect returns the values in every set, in the order of the smallest
// set; if no value is in every set, the smallest set.
func intersect(sets [][]any) []any {
	smallest := slices.MinFunc(sets, func(a, b []any) int { return cmp.Compare(len(a), len(b)) })
	var out []any
	for _, v := range smallest {
		inAll := true
		for _, set := range sets {
			if !slices.ContainsFunc(set, func(w any) bool { return render(w) == render(v) }) {
				inAll = false
				break
			}
		}
		if inAll {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return smallest
	}
	return out
}

// tolerated reports whether l breaks the schema in a way the Functions host
// accepts anyway.
func tolerated(k Kind, l leaf) bool {
	// The host reads FUNCTIONS_WORKER_RUNTIME case-insensitively, and
	// Microsoft's samples write "Custom"; the schema's enum is lower-case.
	if k == LocalSettings && l.pointer() == "/Values/FUNCTIONS_WORKER_RUNTIME" {
		if e, ok := l.kind.(*jskind.Enum); ok {
			got, _ := e.Got.(string)
			return slices.ContainsFunc(e.Want, func(w any) bool {
				s, ok := w.(string)
				return ok && strings.EqualFold(s, got)
			})
		}
	}
	return false
}

// message says what l finds wrong, lower-case and on one line.
func message(l leaf, inst any) string {
	what := subject(l.loc, inst)
	if l.atKey {
		what = subject(l.loc[:len(l.loc)-1], inst)
	}
	switch k := l.kind.(type) {
	case *jskind.Type:
		var want []string
		for _, t := range k.Want {
			want = append(want, typeName(t))
		}
		return fmt.Sprintf("%s must be %s, not %s", what, strings.Join(want, " or "), render(valueAt(inst, l.loc)))
	case *jskind.Enum:
		return mustBe(what, k.Want, k.Got)
	case *jskind.Const:
		return mustBe(what, []any{k.Want}, k.Got)
	case *jskind.Required:
		if len(l.loc) == 0 {
			return fmt.Sprintf("missing required property %s", quote(k.Missing[0]))
		}
		return fmt.Sprintf("%s is missing required property %s", what, quote(k.Missing[0]))
	case *jskind.AdditionalProperties:
		if len(l.loc) == 1 {
			return fmt.Sprintf("unknown property %s", quote(k.Properties[0]))
		}
		return fmt.Sprintf("unknown property %s in %s", quote(k.Properties[0]), what)
	case *jskind.Pattern:
		if desc, ok := patterns[k.Want]; ok {
			return fmt.Sprintf("%s must be %s, not %s", what, desc, render(k.Got))
		}
		return fmt.Sprintf("%s must match the pattern %s, not %s", what, k.Want, render(k.Got))
	case *jskind.Format:
		return fmt.Sprintf("%s must be a valid %s, not %s", what, k.Want, render(k.Got))
	case *jskind.Not:
		return fmt.Sprintf("%s must not be %s", what, render(valueAt(inst, l.loc)))
	case *jskind.FalseSchema:
		return fmt.Sprintf("%s is not allowed", what)
	case *jskind.MinLength:
		if k.Want == 1 {
			return fmt.Sprintf("%s must not be empty", what)
		}
		return fmt.Sprintf("%s must be at least %d characters long, not %d", what, k.Want, k.Got)
	case *jskind.MaxLength:
		return fmt.Sprintf("%s must be at most %d characters long, not %d", what, k.Want, k.Got)
	case *jskind.Minimum:
		return fmt.Sprintf("%s must be at least %s, not %s", what, rat(k.Want), rat(k.Got))
	case *jskind.Maximum:
		return fmt.Sprintf("%s must be at most %s, not %s", what, rat(k.Want), rat(k.Got))
	case *jskind.ExclusiveMinimum:
		return fmt.Sprintf("%s must be greater than %s, not %s", what, rat(k.Want), rat(k.Got))
	case *jskind.ExclusiveMaximum:
		return fmt.Sprintf("%s must be less than %s, not %s", what, rat(k.Want), rat(k.Got))
	case *jskind.MultipleOf:
		return fmt.Sprintf("%s must be a multiple of %s, not %s", what, rat(k.Want), rat(k.Got))
	case *jskind.MinItems:
		return fmt.Sprintf("%s must have at least %d items, not %d", what, k.Want, k.Got)
	case *jskind.MaxItems:
		return fmt.Sprintf("%s must have at most %d items, not %d", what, k.Want, k.Got)
	case *jskind.MinProperties:
		return fmt.Sprintf("%s must have at least %d properties, not %d", what, k.Want, k.Got)
	case *jskind.MaxProperties:
		return fmt.Sprintf("%s must have at most %d properties, not %d", what, k.Want, k.Got)
	case *jskind.UniqueItems:
		return fmt.Sprintf("%s must not repeat items: items %d and %d are equal", what, k.Duplicates[0], k.Duplicates[1])
	case *jskind.AdditionalItems:
		return fmt.Sprintf("%s has %d more items than allowed", what, k.Count)
	case *jskind.Dependency:
		return fmt.Sprintf("%s must have property %s when it has %s", what, quote(strings.Join(k.Missing, ", ")), quote(k.Prop))
	case *jskind.DependentRequired:
		return fmt.Sprintf("%s must have property %s when it has %s", what, quote(strings.Join(k.Missing, ", ")), quote(k.Prop))
	case *jskind.PropertyNames:
		return fmt.Sprintf("%s has a property name that is not allowed: %s", what, quote(k.Property))
	case *jskind.OneOf:
		return fmt.Sprintf("%s is ambiguous: it matches more than one of the forms the schema allows", what)
	case *jskind.Contains, *jskind.MinContains:
		return fmt.Sprintf("%s does not have enough items of the kind the schema asks for", what)
	case *jskind.MaxContains:
		return fmt.Sprintf("%s has too many items of a kind the schema limits", what)
	}
	if kw := l.kind.KeywordPath(); len(kw) > 0 {
		return fmt.Sprintf("%s breaks the schema's %s rule", what, quote(strings.Join(kw, "/")))
	}
	return fmt.Sprintf("%s breaks the schema", what)
}

// patterns describes the patterns of the schemas in words.
var patterns = map[string]string{
	`^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$`:             `a time span "hh:mm:ss" up to 23:59:59`,
	`^(-1|(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d)$`:        `-1 or a time span "hh:mm:ss" up to 23:59:59`,
	`^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d\d$`:       `a time span "hh:mm:ss.ff" up to 23:59:59.99`,
	`^(?:[01]\d|2[0-4]):[0-5]\d:[0-5]\d$`:             `a time span "hh:mm:ss" up to 24:59:59`,
	`^[0-9][0-9]:[0-9][0-9]:[0-9][0-9](?:\.[0-9]+)?$`: `a time span "hh:mm:ss" or "hh:mm:ss.fff"`,
}

func mustBe(what string, want []any, got any) string {
	var vals []string
	for _, w := range want {
		vals = append(vals, render(w))
	}
	if len(vals) == 1 {
		return fmt.Sprintf("%s must be %s, not %s", what, vals[0], render(got))
	}
	return fmt.Sprintf("%s must be one of %s, not %s", what, strings.Join(vals, ", "), render(got))
}

// subject names the value at loc for a message: its property name, quoted,
// or its index in the array that holds it.
func subject(loc []string, inst any) string {
	if len(loc) == 0 {
		return "the top-level value"
	}
	last := loc[len(loc)-1]
	if len(loc) >= 2 {
		if _, isArray := valueAt(inst, loc[:len(loc)-1]).([]any); isArray {
			return fmt.Sprintf("item %s of %s", last, quote(loc[len(loc)-2]))
		}
	}
	return quote(last)
}

func typeName(t string) string {
	switch t {
	case "object":
		return "an object"
	case "array":
		return "an array"
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "integer":
		return "a whole number"
	case "boolean":
		return "true or false"
	}
	return t
}

// render shows a JSON value in a message: scalars as JSON, shortened if
// long, containers by their type.
func render(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if s, ok := v.(string); ok {
		if utf8.RuneCountInString(s) > 60 {
			return quote(string([]rune(s)[:57]) + "...")
		}
		return quote(s)
	}
	return s
}

// quote writes s as a JSON string, without escaping HTML characters.
func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func rat(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointer writes loc as a JSON pointer.
func pointer(loc []string) string {
	var b strings.Builder
	for _, tok := range loc {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(tok))
	}
	return b.String()
}

// valueAt returns the value at loc in the decoded instance v, or nil.
func valueAt(v any, loc []string) any {
	for _, tok := range loc {
		switch c := v.(type) {
		case map[string]any:
			v = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

// offset returns the byte offset in clean, the cleaned copy of the file, of
// the value at loc, or of its key if atKey. Where a key occurs twice in an
// object the last one counts, as it does for the decoder. If loc leads
// nowhere, it returns the offset of the deepest value it reached.
func offset(clean []byte, loc []string, atKey bool) int {
	r := gjson.ParseBytes(clean)
	off := r.Index
	for i, tok := range loc {
		var key, val gjson.Result
		found := false
		switch {
		case r.IsObject():
			r.ForEach(func(k, v gjson.Result) bool {
				if k.Str == tok {
					key, val, found = k, v, true
				}
				return true
			})
		case r.IsArray():
			n, err := strconv.Atoi(tok)
			if err != nil {
				return off
			}
			r.ForEach(func(k, v gjson.Result) bool {
				if int(k.Num) == n {
					val, found = v, true
					return false
				}
				return true
			})
		}
		if !found {
			return off
		}
		if atKey && i == len(loc)-1 && key.Exists() {
			return key.Index
		}
		r, off = val, val.Index
	}
	return off
}
