package durable

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/hazard"
	"github.com/dfversion/dfversion/internal/parallel"
)

// Fingerprint is what dfversion check compares of a durable function's Go
// code between the released version and the working tree.
type Fingerprint struct {
	// Code maps every declaration the handler reaches, itself included, to
	// the TokenHash of its source: functions and methods it calls, and the
	// package-level variables, constants and types it uses.
	Code map[string]string
	// Decls gives the position of each declaration of Code, for messages.
	Decls map[string]token.Position
	// Calls is the ordered skeleton of the durable calls the code makes
	// (for orchestrators).
	Calls []DurableCall
	// Inputs and Outputs are the shapes of the types the code reads its
	// input into (GetInput, JSON decoding) and returns or writes out (for
	// activities and entities).
	Inputs, Outputs []string
	// Body is one hash over the keys of Code in Plain: an activity's or
	// entity's code as dfversion has always compared it (a change is a
	// note).
	Body string
	// Paths says, for every key of Code, how the handler reaches the
	// declaration: the handler's name, then a step per edge
	// ("HelloCities", "cities (variable)", "init (assigns cities)"); see
	// Via.Step. It is not stored in the lock.
	Paths map[string][]string
	// Plain holds the keys of Code that calls and references from function
	// bodies alone reach, as lock entries written before dfversion
	// followed variables' writers, interface methods and func values
	// cover. It is not stored in the lock.
	Plain map[string]bool
}

// DurableCall is one durable call in an orchestrator: an activity, a
// sub-orchestration, a timer, an external event, continue-as-new or an
// entity operation.
type DurableCall struct {
	Kind   string // activity, suborchestration, timer, event, continueasnew, entity
	Target string // the function or event named; "" when there is none, "?" when not constant
	Pos    token.Position
	// Site is the TokenHash of the call's source, arguments included: it
	// tells apart calls of the same target, so that a message can point at
	// the call that was inserted or moved rather than at a twin of it.
	Site string
	// Resolved is, for a target that is neither a constant nor a function
	// value (Target "?"), what ResolveTarget finds it can name.
	Resolved *Target
}

func (c DurableCall) String() string {
	if c.Target == "" {
		return c.Kind
	}
	return c.Kind + " " + c.Target
}

// durableMethods maps the methods of an orchestration context that make
// durable calls to the kind of call.
var durableMethods = map[string]string{
	"CallActivity":        "activity",
	"CallSubOrchestrator": "suborchestration",
	"CreateTimer":         "timer",
	"WaitForSingleEvent":  "event",
	"ContinueAsNew":       "continueasnew",
	"CallEntity":          "entity",
	"SignalEntity":        "entity",
}

// FunctionNames tells the durable function name a handler's Go function
// registers, so that calls by function value (CallActivity(SayHello)) can
// be named.
type FunctionNames func(fn *types.Func) (string, bool)

// FingerprintOf computes h's fingerprint. names resolves function values to
// durable names; literal names the root declaration of a func-literal
// handler in Code.
func FingerprintOf(m *goapp.Module, h *goapp.Handler, names FunctionNames, literal string) (*Fingerprint, error) {
	fp := &Fingerprint{Code: map[string]string{}, Decls: map[string]token.Position{},
		Paths: map[string][]string{}, Plain: map[string]bool{}}
	// Another durable function named by value (CallActivity(SayHello)) is
	// a reference, not code this one runs: its own fingerprint covers it.
	reach := ReachUntil(m, h, func(fn *types.Func) bool {
		_, durable := names(fn)
		return durable
	}, true)
	add := func(key string, node ast.Node, pos token.Pos) error {
		src, err := m.NodeSource(node)
		if err != nil {
			return err
		}
		fp.Code[key] = TokenHash(src)
		fp.Decls[key] = m.Position(pos)
		return nil
	}
	rootName := strings.TrimSuffix(literal, " (func literal)")
	if h.Func != nil {
		rootName = h.Func.Name()
	}
	var path func(obj types.Object) []string
	path = func(obj types.Object) []string {
		if obj == nil || h.Func != nil && obj == h.Func.Origin() {
			return []string{rootName}
		}
		via, ok := reach.Via[obj]
		if !ok {
			return []string{rootName, obj.Name()}
		}
		return append(path(via.From), via.Step)
	}
	keyed := func(key string, obj types.Object) {
		fp.Paths[key] = path(obj)
		if h.Func != nil && obj == h.Func.Origin() || reach.Plain[obj] {
			fp.Plain[key] = true
		}
	}
	if h.Lit != nil {
		if err := add(literal, h.Lit, h.Lit.Pos()); err != nil {
			return nil, err
		}
		fp.Paths[literal] = []string{rootName}
		fp.Plain[literal] = true
	}
	for _, fn := range reach.Funcs {
		d, ok := m.DeclOf(fn)
		if !ok {
			continue
		}
		if err := add(m.DeclKey(fn), d.Decl, d.Decl.Type.Func); err != nil {
			return nil, err
		}
		keyed(m.DeclKey(fn), fn)
	}
	for _, obj := range reach.Objects {
		s, _ := m.SpecOf(obj)
		node := ast.Node(s.Spec)
		if len(s.Decl.Specs) == 1 || byPlace(s) {
			node = s.Decl // const x = ... : the keyword counts too
		}
		if err := add(m.DeclKey(obj), node, obj.Pos()); err != nil {
			return nil, err
		}
		keyed(m.DeclKey(obj), obj)
	}
	fp.Calls = skeleton(m, h, names)
	// Activities and entities are compared on what the plain reach finds:
	// their types, and their bodies, which only make notes.
	plain := &Reach{}
	for _, fn := range reach.Funcs {
		if h.Func != nil && fn == h.Func.Origin() || reach.Plain[fn] {
			plain.Funcs = append(plain.Funcs, fn)
		}
	}
	fp.Inputs, fp.Outputs = ioShapes(m, h, plain)
	body := map[string]string{}
	for k, hash := range fp.Code {
		if fp.Plain[k] {
			body[k] = hash
		}
	}
	fp.Body = hashMap(body)
	return fp, nil
}

// FingerprintJob is one fingerprint for FingerprintAll to compute: the
// arguments of FingerprintOf.
type FingerprintJob struct {
	Module  *goapp.Module
	Handler *goapp.Handler
	Names   FunctionNames
	Literal string
}

// FingerprintAll computes the fingerprints of jobs on GOMAXPROCS
// goroutines (fingerprints are independent of each other once the modules
// are prepared, see Prepare) and returns them in the order of jobs; on
// failure, the error of the first job in that order that failed. names
// must be safe to call concurrently.
func FingerprintAll(jobs []FingerprintJob) ([]*Fingerprint, error) {
	prepared := map[*goapp.Module]bool{}
	for _, j := range jobs {
		if !prepared[j.Module] {
			Prepare(j.Module)
			prepared[j.Module] = true
		}
	}
	prints := make([]*Fingerprint, len(jobs))
	errs := make([]error, len(jobs))
	parallel.For(len(jobs), 0, func(i int) {
		j := jobs[i]
		prints[i], errs[i] = FingerprintOf(j.Module, j.Handler, j.Names, j.Literal)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return prints, nil
}

// byPlace reports whether a constant's value depends on its place in its
// parenthesized declaration, as with iota or a spec that repeats the one
// above it:
//
//	const (
//		Small = iota // 0
//		Large        // 1; inserting Medium above makes it 2
//	)
//
// Its own tokens then do not tell whether its value changed, so its hash
// covers the whole declaration.
func byPlace(s goapp.SpecDecl) bool {
	vs, ok := s.Spec.(*ast.ValueSpec)
	if !ok || s.Decl.Tok != token.CONST {
		return false
	}
	if len(vs.Values) == 0 {
		return true
	}
	iota := false
	for _, v := range vs.Values {
		ast.Inspect(v, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == "iota" && (s.Pkg.TypesInfo == nil || s.Pkg.TypesInfo.Uses[id] == types.Universe.Lookup("iota")) {
				iota = true
			}
			return !iota
		})
	}
	return iota
}

// hashMap hashes a map of names to hashes, in name order.
func hashMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%s\n", k, m[k])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:32]
}

// skeleton lists the durable calls h's code makes, in source order, with
// the code of module functions it calls taken in where they are called.
func skeleton(m *goapp.Module, h *goapp.Handler, names FunctionNames) []DurableCall {
	var calls []DurableCall
	onStack := map[*types.Func]bool{}
	var walk func(body ast.Node, info *types.Info)
	walk = func(body ast.Node, info *types.Info) {
		if body == nil || info == nil {
			return
		}
		ast.Inspect(body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if c, ok := durableCall(m, call, info, names); ok {
				calls = append(calls, c)
				return true
			}
			fn := goapp.FuncOf(info, call.Fun)
			if fn == nil || onStack[fn.Origin()] {
				return true
			}
			if d, ok := m.DeclOf(fn); ok && d.Decl.Body != nil {
				// Arguments run before the call's body.
				for _, a := range call.Args {
					walk(a, info)
				}
				onStack[fn.Origin()] = true
				walk(d.Decl.Body, d.Pkg.TypesInfo)
				delete(onStack, fn.Origin())
				return false
			}
			return true
		})
	}
	if h.Func != nil {
		onStack[h.Func.Origin()] = true
	}
	if body := h.Body(); body != nil {
		walk(body, h.Pkg.TypesInfo)
	}
	return calls
}

// durableCall recognizes a call of an orchestration context's method that
// makes a durable call, and names its target.
func durableCall(m *goapp.Module, call *ast.CallExpr, info *types.Info, names FunctionNames) (DurableCall, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return DurableCall{}, false
	}
	kind, ok := durableMethods[sel.Sel.Name]
	if !ok || !isOrchestrationContext(info.TypeOf(sel.X)) {
		return DurableCall{}, false
	}
	c := DurableCall{Kind: kind, Pos: m.Position(call.Pos())}
	if src, err := m.NodeSource(call); err == nil {
		c.Site = TokenHash(src)
	}
	switch kind {
	case "timer", "continueasnew":
		return c, true
	}
	c.Target = "?"
	if len(call.Args) == 0 {
		return c, true
	}
	arg := call.Args[0]
	if s, ok := goapp.ConstString(info, arg); ok {
		c.Target = s
	} else if fn := goapp.FuncOf(info, arg); fn != nil {
		if name, ok := names(fn); ok {
			c.Target = name
		} else {
			c.Target = fn.Name()
		}
	} else {
		c.Resolved = ResolveTarget(m, arg, names)
	}
	return c, true
}

// isOrchestrationContext reports whether t is (a pointer to) a type named
// OrchestrationContext, whatever SDK declares it (hazard's test: the hazard
// rules and the analyzer must recognize the same contexts).
func isOrchestrationContext(t types.Type) bool { return hazard.IsOrchestrationContext(t) }

// NamesByKey adapts function names known by declaration key (DeclKey) to
// FunctionNames for m.
func NamesByKey(m *goapp.Module, names map[string]string) FunctionNames {
	return func(fn *types.Func) (string, bool) {
		name, ok := names[m.DeclKey(fn)]
		return name, ok
	}
}
