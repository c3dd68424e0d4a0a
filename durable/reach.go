package durable

// What a handler reaches, and why.
//
// A released orchestrator is replayed: it must make the same decisions on
// replay as when it ran first. Its fingerprint therefore covers every
// declaration of the module whose edit can change what it does. The reach
// starts at the handler and follows these edges, conservatively (an edit
// to a declaration reached needlessly is a false alarm; one missed is a
// broken orchestration that passed dfversion check):
//
//   - call: a function or method of the module that reached code calls or
//     names (h -> buildGreeting). Other durable functions' handlers are not
//     followed: their own fingerprints cover them.
//   - reads: a package-level variable, constant or type that reached code
//     uses, and what the declaration's initializer or type uses in turn
//     (h -> cities (variable) -> defaultCities).
//   - writes: every declaration of the module that may change a package
//     variable reached (reach_writes.go says what counts: assignments,
//     addresses taken, references escaping), and, since they choose the
//     value, the functions that call such a writer, up to main
//     (h -> cities (variable) -> init (assigns cities)). Functions that
//     merely read a shared variable (a handler calling logger.Printf) are
//     not reached through it.
//   - init: the init functions of every package holding reached code; they
//     run before any handler (h -> init (package init)).
//   - implements: for a call of an interface method, the methods of the
//     module's types that implement it (h -> (*fileStore).Save (implements
//     Store.Save)); see reach_dynamic.go.
//   - func value: for a call of a func value, the module's functions,
//     methods and func literals of that signature taken as values
//     (h -> greetEN (a func(string) string value)).
//
// For example, with
//
//	var cities = []string{"Tokyo"}
//	func init() { cities = append([]string{"Oslo"}, cities...) }
//	func Hello(ctx *task.OrchestrationContext) (any, error) {
//		for _, c := range cities { ctx.CallActivity(SayHello, task.WithActivityInput(c)) }
//		log.Print(summary())
//	}
//	func summary() string { return strings.Join(cities, ",") }
//	func HttpStart(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, cities[0]) }
//
// Hello reaches cities (it reads it), init (it assigns cities), summary
// (Hello calls it; it passes cities to a call, so it also counts as a
// writer), but not HttpStart (it reads a string element of cities) and
// not SayHello (another durable function).
//
// What the reach cannot see, it does not pretend to: code outside the
// module (the SDK, the standard library) and what it calls back (fmt
// calling String, encoding/json calling MarshalJSON), reflection and
// unsafe, writes through a method of another module given a variable's
// pointer (logger.SetPrefix on a *log.Logger), callers of a writer that
// call it through an interface or a func value (only static callers are
// added), and what `var _ = f()` runs at start-up. Hazards (hazards.go)
// still follow calls only.
//
// Each reached declaration records the first edge that reached it (Via),
// so that messages say how an edit matters: the work list is breadth-first,
// package inits come last, so paths are short and name a writer before an
// init.

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/dfversion/dfversion/goapp"
)

// Reach is what a handler's code reaches in the module: the functions and
// methods it calls or refers to, directly or through others, the app
// settings it reads, and the constant strings it uses.
type Reach struct {
	// Funcs are the module's functions and methods reached, in the order
	// first reached.
	Funcs []*types.Func
	// EnvReads are the calls to os.Getenv and os.LookupEnv with a constant
	// setting name.
	EnvReads []EnvRead
	// Strings are the values of the constant string expressions in the
	// reached code.
	Strings map[string]bool
	// Objects are the package-level variables, constants and types of the
	// module that the reached code uses, in the order first used.
	Objects []types.Object
	// Via says, for every function and object reached (the handler
	// itself aside), how it was first reached. Filled by the full reach
	// only (the one fingerprints use).
	Via map[types.Object]Via
	// Plain holds the functions and objects that calls and references from
	// function bodies alone reach: what dfversion reached before it
	// followed variables' writers, interface methods and func values, so
	// what lock entries written then cover. Filled by the full reach only.
	Plain map[types.Object]bool
}

// Via is how a function or object was reached: from which one, and by
// what edge.
type Via struct {
	// From is the function or object whose code reached it; nil for the
	// handler itself.
	From types.Object
	// Edge is the kind of edge.
	Edge Edge
	// Step names it in a path: "buildGreeting", "cities (variable)",
	// "init (assigns cities)", "(*fileStore).Save (implements
	// Store.Save)".
	Step string
}

// Edge is a kind of edge of the reach.
type Edge int

// The kinds of edges.
const (
	EdgeCall       Edge = iota // called or named as a value
	EdgeUse                    // a package-level variable, constant or type used
	EdgeWrite                  // may change a variable reached
	EdgeCallWriter             // calls a function that may change a variable reached
	EdgeInit                   // an init function of a package holding reached code
	EdgeImplements             // implements an interface method called
	EdgeFuncValue              // a func value of a signature called
)

// EnvRead is a read of an app setting.
type EnvRead struct {
	Setting string
	Pos     token.Position
}

// Reach follows h's code through every function and method of the module
// it calls or refers to.
func ReachOf(m *goapp.Module, h *goapp.Handler) *Reach { return ReachUntil(m, h, nil, false) }

// reachWork is code to walk: a function's declaration, a func literal, or
// a package-level declaration's spec.
type reachWork struct {
	node ast.Node
	pkg  *packages.Package
	from types.Object // the declaration it belongs to; nil for the handler's
	// plain is set for function bodies and func literals, whose calls and
	// references the plain reach follows.
	plain bool
}

// reacher is one run of reach.
type reacher struct {
	m       *goapp.Module
	r       *Reach
	stop    func(*types.Func) bool
	full    bool
	rel     *types.Package // the handler's package, for names
	queue   []reachWork
	seen    map[types.Object]bool // reached (hashed)
	walked  map[types.Object]bool // functions and specs whose whole code is queued
	lits    map[*ast.FuncLit]bool // literals queued on their own
	writers map[types.Object]bool // declarations whose callers were added as writers
	pkgs    []*types.Package      // packages holding reached code, in order
	first   map[*types.Package]types.Object
	plain   map[types.Object][]types.Object // plain edges, for Reach.Plain
}

// reach is Reach, not following into the functions for which stop is true
// (other durable functions' handlers, when fingerprinting one). full
// follows every edge (see the comment at the top of this file); otherwise
// only calls and references from function bodies are followed, which is
// what pointers and client code need.
func ReachUntil(m *goapp.Module, h *goapp.Handler, stop func(*types.Func) bool, full bool) *Reach {
	x := &reacher{
		m: m, r: &Reach{Strings: map[string]bool{}}, stop: stop, full: full,
		seen: map[types.Object]bool{}, walked: map[types.Object]bool{},
		lits: map[*ast.FuncLit]bool{}, writers: map[types.Object]bool{},
		first: map[*types.Package]types.Object{}, plain: map[types.Object][]types.Object{},
	}
	if full {
		x.r.Via = map[types.Object]Via{}
		x.r.Plain = map[types.Object]bool{}
	}
	if h.Pkg != nil {
		x.rel = h.Pkg.Types
	}
	var root types.Object
	if h.Func != nil {
		root = h.Func.Origin()
		x.seen[root], x.walked[root] = true, true
		x.r.Funcs = append(x.r.Funcs, h.Func.Origin())
		x.notePkg(root)
	} else if h.Pkg != nil && h.Pkg.Types != nil {
		x.pkgs = append(x.pkgs, h.Pkg.Types)
	}
	x.queue = append(x.queue, reachWork{node: h.Body(), pkg: h.Pkg, from: root, plain: true})
	for {
		for len(x.queue) > 0 {
			w := x.queue[0]
			x.queue = x.queue[1:]
			x.walk(w)
		}
		if !full || !x.addInits() {
			break
		}
	}
	if full {
		x.markPlain(root)
	}
	return x.r
}

// walk follows the code of w.
func (x *reacher) walk(w reachWork) {
	if w.node == nil || w.pkg == nil || w.pkg.TypesInfo == nil {
		return
	}
	if b, ok := w.node.(*ast.BlockStmt); ok && b == nil {
		return
	}
	info := w.pkg.TypesInfo
	ast.Inspect(w.node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if s, ok := goapp.ConstString(info, n); ok {
				x.r.Strings[s] = true // a named constant
			}
			obj := info.Uses[n]
			if obj == nil {
				break
			}
			if _, ok := x.m.SpecOf(obj); ok {
				if w.plain {
					x.plain[w.from] = append(x.plain[w.from], obj)
				}
				x.reachObject(obj, w.from, EdgeUse, x.objectStep(obj))
			}
			fn, ok := obj.(*types.Func)
			if !ok {
				break
			}
			if w.plain {
				x.plain[w.from] = append(x.plain[w.from], fn.Origin())
			}
			x.reachFunc(fn, w.from, EdgeCall, x.funcName(fn))
		case *ast.SelectorExpr:
			if x.full {
				x.interfaceCall(info, n, w.from)
			}
		case *ast.CallExpr:
			if setting, ok := envRead(info, n); ok {
				x.r.EnvReads = append(x.r.EnvReads, EnvRead{Setting: setting, Pos: x.m.Position(n.Pos())})
			}
			if x.full {
				x.dynamicCall(info, n, w.from)
			}
		case ast.Expr:
			if s, ok := goapp.ConstString(info, n); ok {
				x.r.Strings[s] = true
			}
		}
		return true
	})
}

// reachFunc reaches a function or method of the module and queues its
// body.
func (x *reacher) reachFunc(fn *types.Func, from types.Object, edge Edge, step string) bool {
	fn = fn.Origin()
	if x.walked[fn] || x.stop != nil && x.stop(fn) {
		return false
	}
	d, ok := x.m.DeclOf(fn)
	if !ok {
		return false
	}
	x.walked[fn] = true
	x.record(fn, from, edge, step)
	x.queue = append(x.queue, reachWork{node: d.Decl.Body, pkg: d.Pkg, from: fn, plain: true})
	return true
}

// record adds a function or object to the reach, if it is not there yet.
func (x *reacher) record(obj types.Object, from types.Object, edge Edge, step string) {
	if x.seen[obj] {
		return
	}
	x.seen[obj] = true
	switch obj := obj.(type) {
	case *types.Func:
		x.r.Funcs = append(x.r.Funcs, obj)
	default:
		x.r.Objects = append(x.r.Objects, obj)
	}
	if x.r.Via != nil {
		x.r.Via[obj] = Via{From: from, Edge: edge, Step: step}
	}
	x.notePkg(obj)
}

// notePkg remembers the package of reached code, for its init functions.
func (x *reacher) notePkg(obj types.Object) {
	if p := obj.Pkg(); p != nil {
		if _, ok := x.first[p]; !ok {
			x.first[p] = obj
			x.pkgs = append(x.pkgs, p)
		}
	}
}

// repeatedSpec returns, for a constant spec without values of its own
// (const ( A = base + iota; B )), the spec above it whose expressions it
// repeats; nil for any other spec.
func repeatedSpec(s goapp.SpecDecl) *ast.ValueSpec {
	spec, ok := s.Spec.(*ast.ValueSpec)
	if !ok || s.Decl.Tok != token.CONST || len(spec.Values) > 0 {
		return nil
	}
	var above *ast.ValueSpec
	for _, sp := range s.Decl.Specs {
		if sp == s.Spec {
			return above
		}
		if vs, ok := sp.(*ast.ValueSpec); ok && len(vs.Values) > 0 {
			above = vs
		}
	}
	return nil
}

// reachObject reaches a package-level variable, constant or type; with
// the full reach, what its declaration uses and, for a variable, what may
// change it.
func (x *reacher) reachObject(obj types.Object, from types.Object, edge Edge, step string) {
	x.record(obj, from, edge, step)
	if !x.full || x.walked[obj] {
		return
	}
	x.walked[obj] = true
	s, _ := x.m.SpecOf(obj)
	switch spec := s.Spec.(type) {
	case *ast.ValueSpec:
		if repeated := repeatedSpec(s); repeated != nil {
			// const ( A = base + iota; B ): B is A's expressions again,
			// so it uses what they use.
			for _, v := range repeated.Values {
				x.queue = append(x.queue, reachWork{node: v, pkg: s.Pkg, from: obj})
			}
			if repeated.Type != nil {
				x.queue = append(x.queue, reachWork{node: repeated.Type, pkg: s.Pkg, from: obj})
			}
		}
		for i, v := range spec.Values {
			if specObject(s.Pkg.TypesInfo, spec, i) == obj || len(spec.Values) != len(spec.Names) {
				x.queue = append(x.queue, reachWork{node: v, pkg: s.Pkg, from: obj})
			}
		}
		if spec.Type != nil {
			x.queue = append(x.queue, reachWork{node: spec.Type, pkg: s.Pkg, from: obj})
		}
	case *ast.TypeSpec:
		x.queue = append(x.queue, reachWork{node: spec.Type, pkg: s.Pkg, from: obj})
	}
	v, ok := obj.(*types.Var)
	if !ok {
		return
	}
	for _, site := range reachIndexOf(x.m).writers[v] {
		how := "may change "
		if site.assign {
			how = "assigns "
		}
		x.reachDecl(site.by, v, EdgeWrite, x.declName(site.by)+" ("+how+v.Name()+")")
		x.addCallers(site.by)
	}
}

// reachDecl reaches a top-level declaration: a function, or a package-level
// variable or constant.
func (x *reacher) reachDecl(obj types.Object, from types.Object, edge Edge, step string) {
	if fn, ok := obj.(*types.Func); ok {
		x.reachFunc(fn, from, edge, step)
		return
	}
	x.reachObject(obj, from, edge, step)
}

// addCallers reaches the functions that call a writer, and theirs, since
// they choose the value written.
func (x *reacher) addCallers(w types.Object) {
	work := []types.Object{w}
	for len(work) > 0 {
		w := work[0]
		work = work[1:]
		fn, ok := w.(*types.Func)
		if !ok || x.writers[w] || x.stop != nil && x.stop(fn) {
			continue
		}
		x.writers[w] = true
		for _, c := range reachIndexOf(x.m).callers[fn] {
			x.reachDecl(c, w, EdgeCallWriter, x.declName(c)+" (calls "+x.declName(w)+")")
			work = append(work, c)
		}
	}
}

// interfaceCall reaches the implementations of an interface method
// selected in reached code.
func (x *reacher) interfaceCall(info *types.Info, sel *ast.SelectorExpr, from types.Object) {
	s, ok := info.Selections[sel]
	if !ok || s.Kind() == types.FieldVal {
		return
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok || !isInterfaceMethod(fn) || isOrchestrationContext(s.Recv()) {
		return
	}
	name := x.typeName(fn.Signature().Recv().Type()) + "." + fn.Name()
	for _, impl := range implementations(x.m, fn) {
		x.reachFunc(impl, from, EdgeImplements, x.funcName(impl)+" (implements "+name+")")
	}
}

// dynamicCall reaches what a call of a func value in reached code may run.
func (x *reacher) dynamicCall(info *types.Info, call *ast.CallExpr, from types.Object) {
	fun := ast.Unparen(call.Fun)
	if _, ok := fun.(*ast.FuncLit); ok {
		return // walked where it is
	}
	tv, ok := info.Types[fun]
	if !ok || tv.IsType() || tv.IsBuiltin() || goapp.FuncOf(info, hazardCalleeExpr(fun)) != nil {
		return
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok && isOrchestrationContext(info.TypeOf(sel.X)) {
		return
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return
	}
	step := " (a " + types.TypeString(sig, x.qualifier) + " value)"
	fns, lits := dynamicCallees(x.m, sig)
	for _, fn := range fns {
		x.reachFunc(fn, from, EdgeFuncValue, x.funcName(fn)+step)
	}
	for _, l := range lits {
		if x.lits[l.lit] || x.walked[l.decl] {
			continue // walked with its declaration
		}
		if fn, ok := l.decl.(*types.Func); ok && x.stop != nil && x.stop(fn) {
			continue
		}
		x.lits[l.lit] = true
		x.record(l.decl, from, EdgeFuncValue, x.declName(l.decl)+" (holds a func literal, a "+types.TypeString(sig, x.qualifier)+" value)")
		x.queue = append(x.queue, reachWork{node: l.lit.Body, pkg: l.pkg, from: l.decl, plain: true})
	}
}

// addInits reaches the init functions of the packages holding reached
// code; it reports whether it reached any.
func (x *reacher) addInits() bool {
	added := false
	for i := 0; i < len(x.pkgs); i++ {
		p := x.pkgs[i]
		for _, fn := range x.m.InitsOf(p) {
			if x.reachFunc(fn, x.first[p], EdgeInit, x.funcName(fn)+" (package init)") {
				added = true
			}
		}
	}
	return added
}

// markPlain fills Reach.Plain: what plain edges from function bodies reach
// from the handler.
func (x *reacher) markPlain(root types.Object) {
	work := []types.Object{root}
	for len(work) > 0 {
		obj := work[0]
		work = work[1:]
		for _, c := range x.plain[obj] {
			if x.r.Plain[c] || !x.seen[c] {
				continue
			}
			x.r.Plain[c] = true
			if _, ok := c.(*types.Func); ok {
				work = append(work, c)
			}
		}
	}
}

// qualifier names packages other than the handler's by their name.
func (x *reacher) qualifier(p *types.Package) string {
	if p == nil || p == x.rel {
		return ""
	}
	return p.Name()
}

// funcName names a module function for a path, as hazards do:
// "buildGreeting", "(*planner).plan", "helpers.Stamp".
func (x *reacher) funcName(fn *types.Func) string {
	if recv := fn.Signature().Recv(); recv != nil {
		return "(" + types.TypeString(recv.Type(), x.qualifier) + ")." + fn.Name()
	}
	name := fn.Name()
	if n := x.m.InitOrdinal(fn); n > 1 {
		name += "#" + itoa(n)
	}
	if q := x.qualifier(fn.Pkg()); q != "" {
		return q + "." + name
	}
	return name
}

// declName names a top-level declaration: a function, or a package-level
// variable or constant.
func (x *reacher) declName(obj types.Object) string {
	if fn, ok := obj.(*types.Func); ok {
		return x.funcName(fn)
	}
	if q := x.qualifier(obj.Pkg()); q != "" {
		return q + "." + obj.Name()
	}
	return obj.Name()
}

// objectStep names a package-level variable, constant or type for a path:
// "cities (variable)".
func (x *reacher) objectStep(obj types.Object) string {
	kind := "type"
	switch obj.(type) {
	case *types.Var:
		kind = "variable"
	case *types.Const:
		kind = "constant"
	}
	return x.declName(obj) + " (" + kind + ")"
}

// typeName names an interface for a path: "Store", "io.Writer".
func (x *reacher) typeName(t types.Type) string {
	s := types.TypeString(t, x.qualifier)
	return strings.TrimPrefix(s, "*")
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// envRead reports the setting a call to os.Getenv or os.LookupEnv reads.
func envRead(info *types.Info, call *ast.CallExpr) (string, bool) {
	fn := goapp.FuncOf(info, call.Fun)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "os" || len(call.Args) != 1 {
		return "", false
	}
	if fn.Name() != "Getenv" && fn.Name() != "LookupEnv" {
		return "", false
	}
	return goapp.ConstString(info, call.Args[0])
}
