package replay

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/goapp"
)

// Limits of inlining: deeper calls, and calls once the automaton is this
// large, are wildcards when they may act.
const (
	maxDepth  = 24
	maxStates = 1 << 18
)

// Builder builds the models of a module's orchestrators.
type Builder struct {
	m     *goapp.Module
	names durable.FunctionNames

	// dynamicRisk says why a call through a func value may act, or "":
	// the module has closures or variables that hold an orchestration
	// context.
	dynamicRisk string
	// holders are the module's named types whose values hold a context,
	// for calls of interface methods.
	holders []types.Type
	// funcVars are, for variables of func type, every value assigned to
	// them when each is a func literal or a module function; a variable
	// also set any other way (a parameter, a range, through its address,
	// a multi-value assignment) is in opaque.
	funcVars map[*types.Var][]funcVal
	opaque   map[*types.Var]bool
}

// funcVal is a value of a func variable and its package.
type funcVal struct {
	expr ast.Expr
	pkg  *packages.Package
}

// hasDecl reports whether the module declares fn.
func (b *Builder) hasDecl(fn *types.Func) bool {
	_, ok := b.declOf(fn)
	return ok
}

// declOf returns the module's declaration of fn (goapp's index of the
// module).
func (b *Builder) declOf(fn *types.Func) (goapp.FuncDecl, bool) { return b.m.DeclOf(fn) }

// NewBuilder indexes the module m for building models. names names
// handlers' function values, as for durable.ResolveTarget.
func NewBuilder(m *goapp.Module, names durable.FunctionNames) *Builder {
	b := &Builder{m: m, names: names,
		funcVars: map[*types.Var][]funcVal{}, opaque: map[*types.Var]bool{}}
	if b.names == nil {
		b.names = func(*types.Func) (string, bool) { return "", false }
	}
	for _, p := range m.Packages {
		info := p.TypesInfo
		if info == nil {
			continue
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch spec := spec.(type) {
						case *ast.ValueSpec:
							for _, n := range spec.Names {
								if obj := info.Defs[n]; obj != nil && obj.Parent() == obj.Pkg().Scope() && holdsContext(obj.Type()) && b.dynamicRisk == "" {
									b.dynamicRisk = fmt.Sprintf("the package variable %s holds an orchestration context", n.Name)
								}
							}
						case *ast.TypeSpec:
							if obj := info.Defs[spec.Name]; obj != nil && holdsContext(obj.Type().Underlying()) {
								b.holders = append(b.holders, obj.Type())
								if b.dynamicRisk == "" && hasMethods(obj.Type()) {
									b.dynamicRisk = fmt.Sprintf("the methods of %s may use the orchestration context it holds", spec.Name.Name)
								}
							}
						}
					}
				}
			}
			if b.dynamicRisk == "" {
				b.findCapture(f, info)
			}
			b.indexFuncVars(f, p)
		}
	}
	return b
}

// findCapture sets dynamicRisk when a func literal of f uses an
// orchestration context declared outside it: such a closure may act when
// it is called through a func value.
func (b *Builder) findCapture(f *ast.File, info *types.Info) {
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.FuncLit)
		if !ok || b.dynamicRisk != "" {
			return b.dynamicRisk == ""
		}
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok || b.dynamicRisk != "" {
				return b.dynamicRisk == ""
			}
			if v, ok := info.Uses[id].(*types.Var); ok && holdsContext(v.Type()) && (v.Pos() < lit.Pos() || v.Pos() >= lit.End()) {
				b.dynamicRisk = fmt.Sprintf("the func literal at %s uses the orchestration context %s of the code around it", b.m.Position(lit.Pos()), id.Name)
			}
			return true
		})
		return true
	})
}

// indexFuncVars records what f assigns to variables of func type.
func (b *Builder) indexFuncVars(f *ast.File, p *packages.Package) {
	info := p.TypesInfo
	funcVar := func(id *ast.Ident) *types.Var {
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		v, ok := obj.(*types.Var)
		if !ok {
			return nil
		}
		if _, ok := v.Type().Underlying().(*types.Signature); !ok {
			return nil
		}
		return v
	}
	assign := func(lhs ast.Expr, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		v := funcVar(id)
		if v == nil {
			return
		}
		if rhs == nil {
			b.opaque[v] = true
			return
		}
		b.funcVars[v] = append(b.funcVars[v], funcVal{rhs, p})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if len(n.Lhs) == len(n.Rhs) {
					assign(l, n.Rhs[i])
				} else {
					assign(l, nil)
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if i < len(n.Values) && len(n.Values) == len(n.Names) {
					assign(name, n.Values[i])
				} else if len(n.Values) > 0 {
					assign(name, nil)
				}
			}
		case *ast.RangeStmt:
			assign(n.Key, nil)
			assign(n.Value, nil)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				assign(n.X, nil)
			}
		case *ast.FuncType:
			for _, list := range []*ast.FieldList{n.Params, n.Results} {
				if list == nil {
					continue
				}
				for _, field := range list.List {
					for _, name := range field.Names {
						assign(name, nil)
					}
				}
			}
		}
		return true
	})
}

func hasMethods(t types.Type) bool {
	return types.NewMethodSet(t).Len() > 0 || types.NewMethodSet(types.NewPointer(t)).Len() > 0
}

// isContext reports whether t is (a pointer to) a type named
// OrchestrationContext, as rewrite recognizes durable calls.
func isContext(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Name() == "OrchestrationContext"
}

// holdsContext reports whether a value of type t can lead to an
// orchestration context: the context itself, or a pointer, struct, slice,
// array, map or channel holding one.
func holdsContext(t types.Type) bool { return holds(t, map[types.Type]bool{}) }

func holds(t types.Type, seen map[types.Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	if isContext(t) {
		return true
	}
	switch u := t.(type) {
	case *types.Named:
		return holds(u.Underlying(), seen)
	case *types.Alias:
		return holds(types.Unalias(u), seen)
	case *types.Pointer:
		return holds(u.Elem(), seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if holds(u.Field(i).Type(), seen) {
				return true
			}
		}
	case *types.Slice:
		return holds(u.Elem(), seen)
	case *types.Array:
		return holds(u.Elem(), seen)
	case *types.Map:
		return holds(u.Key(), seen) || holds(u.Elem(), seen)
	case *types.Chan:
		return holds(u.Elem(), seen)
	}
	return false
}

// Build returns the model of the orchestrator name whose handler is h.
func (b *Builder) Build(name string, h *goapp.Handler) *Model {
	md := newModel(name, h.Pos)
	bl := &build{Builder: b, md: md, onStack: map[*types.Func]bool{}, pure: map[*types.Func]bool{}, notes: map[string]bool{}, litStack: map[*ast.FuncLit]bool{}}
	body := h.Body()
	if body == nil || h.Pkg == nil || h.Pkg.TypesInfo == nil {
		bl.wildcard(md.start, h.Pos, "its code is outside the module")
		return md
	}
	if h.Func != nil {
		bl.onStack[h.Func.Origin()] = true
	}
	bl.function(body, h.Pkg, md.start)
	return md
}

// build is one run of Build.
type build struct {
	*Builder
	md      *Model
	onStack map[*types.Func]bool
	depth   int
	pure    map[*types.Func]bool // functions whose code schedules nothing
	fr      *frame
	notes   map[string]bool
	// fallFrom is where each fallthrough statement was reached.
	fallFrom map[*ast.BranchStmt]int32
	litStack map[*ast.FuncLit]bool
	acts     int // edges on actions added, to tell pure code
}

// frame is the function being built.
type frame struct {
	pkg     *packages.Package
	info    *types.Info
	exit    int32
	targets []target
	label   string // the label of the statement being built, for its target
	// defers are set when a deferred call may act: a wildcard runs at
	// the function's end.
	defers  bool
	deferAt token.Position
}

// target is where break and continue go in a loop, switch or select.
type target struct {
	label     string
	brk, cont int32 // cont is -1 for switch and select
}

func (bl *build) note(pos token.Position, why string) {
	msg := fmt.Sprintf("%s: %s", pos, why)
	if !bl.notes[msg] {
		bl.notes[msg] = true
		bl.md.Notes = append(bl.md.Notes, msg)
	}
}

// wildcard adds any actions, any number of times, after cur.
func (bl *build) wildcard(cur int32, pos token.Position, why string) int32 {
	w := bl.md.newState()
	bl.md.eps(cur, w)
	bl.md.act(w, w, 0, "", Site{Pos: pos, What: "any durable action (" + why + ")"})
	bl.acts++
	bl.note(pos, "any durable action: "+why)
	return w
}

// sink makes every continuation after cur possible (any actions, for
// ever), for code that may act at any time from here on; it returns cur,
// whose own continuations the sink covers anyway.
func (bl *build) sink(cur int32, pos token.Position, why string) int32 {
	bl.wildcard(cur, pos, why)
	return cur
}

// function builds a function body from cur and returns where it ends.
func (bl *build) function(body *ast.BlockStmt, pkg *packages.Package, cur int32) int32 {
	saved := bl.fr
	bl.fr = &frame{pkg: pkg, info: pkg.TypesInfo, exit: bl.md.newState()}
	end := bl.stmts(body.List, cur)
	bl.md.eps(end, bl.fr.exit)
	out := bl.fr.exit
	if bl.fr.defers {
		out = bl.wildcard(out, bl.fr.deferAt, "a deferred call may schedule actions when the function returns")
	}
	bl.fr = saved
	return out
}

func (bl *build) pos(n ast.Node) token.Position { return bl.m.Position(n.Pos()) }

func (bl *build) stmts(list []ast.Stmt, cur int32) int32 {
	for _, s := range list {
		cur = bl.stmt(s, cur)
	}
	return cur
}

func (bl *build) stmt(s ast.Stmt, cur int32) int32 {
	label := bl.fr.label
	bl.fr.label = ""
	switch s := s.(type) {
	case *ast.BlockStmt:
		return bl.stmts(s.List, cur)
	case *ast.ExprStmt:
		return bl.expr(s.X, cur)
	case *ast.AssignStmt:
		for _, e := range s.Lhs {
			cur = bl.expr(e, cur)
		}
		for _, e := range s.Rhs {
			cur = bl.expr(e, cur)
		}
		return cur
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			for _, spec := range gd.Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok {
					for _, e := range vs.Values {
						cur = bl.expr(e, cur)
					}
				}
			}
		}
		return cur
	case *ast.IncDecStmt:
		return bl.expr(s.X, cur)
	case *ast.SendStmt:
		return bl.expr(s.Value, bl.expr(s.Chan, cur))
	case *ast.ReturnStmt:
		for _, e := range s.Results {
			cur = bl.expr(e, cur)
		}
		bl.md.eps(cur, bl.fr.exit)
		return bl.md.newState()
	case *ast.LabeledStmt:
		bl.fr.label = s.Label.Name
		return bl.stmt(s.Stmt, cur)
	case *ast.BranchStmt:
		return bl.branch(s, cur)
	case *ast.IfStmt:
		if s.Init != nil {
			cur = bl.stmt(s.Init, cur)
		}
		cur = bl.expr(s.Cond, cur)
		join := bl.md.newState()
		bl.md.eps(bl.stmt(s.Body, cur), join)
		if s.Else != nil {
			bl.md.eps(bl.stmt(s.Else, cur), join)
		} else {
			bl.md.eps(cur, join)
		}
		return join
	case *ast.ForStmt:
		if s.Init != nil {
			cur = bl.stmt(s.Init, cur)
		}
		head := bl.md.newState()
		bl.md.eps(cur, head)
		afterCond := head
		if s.Cond != nil {
			afterCond = bl.expr(s.Cond, head)
		}
		exit, post := bl.md.newState(), bl.md.newState()
		if s.Cond != nil {
			bl.md.eps(afterCond, exit)
		}
		bl.loopBody(label, s.Body, afterCond, exit, post)
		end := post
		if s.Post != nil {
			end = bl.stmt(s.Post, post)
		}
		bl.md.eps(end, head)
		return exit
	case *ast.RangeStmt:
		cur = bl.expr(s.X, cur)
		if t := bl.fr.info.TypeOf(s.X); t != nil {
			if _, ok := t.Underlying().(*types.Signature); ok && bl.mayAct(s.X) {
				return bl.wildcard(cur, bl.pos(s.X), "a range over a function iterator interleaves its code with the loop's")
			}
		}
		head, exit := bl.md.newState(), bl.md.newState()
		bl.md.eps(cur, head)
		bl.md.eps(head, exit)
		bl.loopBody(label, s.Body, head, exit, head)
		return exit
	case *ast.SwitchStmt:
		if s.Init != nil {
			cur = bl.stmt(s.Init, cur)
		}
		if s.Tag != nil {
			cur = bl.expr(s.Tag, cur)
		}
		return bl.clauses(label, s.Body, cur, true)
	case *ast.TypeSwitchStmt:
		if s.Init != nil {
			cur = bl.stmt(s.Init, cur)
		}
		cur = bl.stmt(s.Assign, cur)
		return bl.clauses(label, s.Body, cur, false)
	case *ast.SelectStmt:
		exit := bl.md.newState()
		bl.fr.targets = append(bl.fr.targets, target{label: label, brk: exit, cont: -1})
		for _, c := range s.Body.List {
			cc := c.(*ast.CommClause)
			at := cur
			if cc.Comm != nil {
				at = bl.stmt(cc.Comm, at)
			}
			bl.md.eps(bl.stmts(cc.Body, at), exit)
		}
		bl.fr.targets = bl.fr.targets[:len(bl.fr.targets)-1]
		return exit
	case *ast.GoStmt:
		if bl.callMayAct(s.Call) {
			return bl.sink(cur, bl.pos(s), "a goroutine schedules actions in any order with the code that follows")
		}
		return cur
	case *ast.DeferStmt:
		if bl.callMayAct(s.Call) {
			// It runs when the function returns: a wildcard there.
			bl.fr.defers, bl.fr.deferAt = true, bl.pos(s)
		}
		// The arguments are evaluated now.
		for _, a := range s.Call.Args {
			cur = bl.expr(a, cur)
		}
		return cur
	}
	return cur
}

// loopBody builds a loop's body from cur, with break going to exit and
// continue to cont; the body's end goes to cont.
func (bl *build) loopBody(label string, body *ast.BlockStmt, cur, exit, cont int32) {
	bl.fr.targets = append(bl.fr.targets, target{label: label, brk: exit, cont: cont})
	bl.md.eps(bl.stmt(body, cur), cont)
	bl.fr.targets = bl.fr.targets[:len(bl.fr.targets)-1]
}

// clauses builds the cases of a switch: each case's expressions are
// evaluated in turn until one matches; without default, none may.
func (bl *build) clauses(label string, body *ast.BlockStmt, cur int32, exprs bool) int32 {
	exit := bl.md.newState()
	bl.fr.targets = append(bl.fr.targets, target{label: label, brk: exit, cont: -1})
	starts := make([]int32, len(body.List))
	for i := range body.List {
		starts[i] = bl.md.newState()
	}
	hasDefault := false
	var defaultStart int32
	chain := cur
	for i, c := range body.List {
		cc := c.(*ast.CaseClause)
		if cc.List == nil {
			hasDefault, defaultStart = true, starts[i]
			continue
		}
		if exprs {
			for _, e := range cc.List {
				chain = bl.expr(e, chain)
				bl.md.eps(chain, starts[i])
			}
		} else {
			bl.md.eps(chain, starts[i])
		}
	}
	if hasDefault {
		bl.md.eps(chain, defaultStart)
	} else {
		bl.md.eps(chain, exit)
	}
	for i, c := range body.List {
		cc := c.(*ast.CaseClause)
		end := bl.stmts(cc.Body, starts[i])
		if n := len(cc.Body); n > 0 {
			if br, ok := cc.Body[n-1].(*ast.BranchStmt); ok && br.Tok == token.FALLTHROUGH && i+1 < len(starts) {
				// bl.stmts returned a dead state for it: the edge is here.
				continue
			}
		}
		bl.md.eps(end, exit)
	}
	// fallthrough: the last statement of a case goes on into the next.
	for i, c := range body.List {
		cc := c.(*ast.CaseClause)
		if n := len(cc.Body); n > 0 && i+1 < len(starts) {
			if br, ok := cc.Body[n-1].(*ast.BranchStmt); ok && br.Tok == token.FALLTHROUGH {
				bl.md.eps(bl.fallFrom[br], starts[i+1])
			}
		}
	}
	bl.fr.targets = bl.fr.targets[:len(bl.fr.targets)-1]
	return exit
}

func (bl *build) branch(s *ast.BranchStmt, cur int32) int32 {
	switch s.Tok {
	case token.GOTO:
		bl.sink(cur, bl.pos(s), "goto")
		return bl.md.newState()
	case token.FALLTHROUGH:
		if bl.fallFrom == nil {
			bl.fallFrom = map[*ast.BranchStmt]int32{}
		}
		bl.fallFrom[s] = cur
		return bl.md.newState()
	}
	for i := len(bl.fr.targets) - 1; i >= 0; i-- {
		t := bl.fr.targets[i]
		if s.Label != nil && t.label != s.Label.Name {
			continue
		}
		if s.Tok == token.CONTINUE {
			if t.cont < 0 {
				continue
			}
			bl.md.eps(cur, t.cont)
		} else {
			bl.md.eps(cur, t.brk)
		}
		return bl.md.newState()
	}
	// A branch the model cannot place: anything may follow.
	bl.sink(cur, bl.pos(s), "a "+s.Tok.String()+" dfversion cannot follow")
	return bl.md.newState()
}

// expr builds the calls of an expression, in evaluation order.
func (bl *build) expr(e ast.Expr, cur int32) int32 {
	switch e := e.(type) {
	case nil:
		return cur
	case *ast.CallExpr:
		return bl.call(e, cur)
	case *ast.ParenExpr:
		return bl.expr(e.X, cur)
	case *ast.SelectorExpr:
		return bl.expr(e.X, cur)
	case *ast.IndexExpr:
		return bl.expr(e.Index, bl.expr(e.X, cur))
	case *ast.IndexListExpr:
		return bl.expr(e.X, cur)
	case *ast.SliceExpr:
		cur = bl.expr(e.X, cur)
		for _, x := range []ast.Expr{e.Low, e.High, e.Max} {
			cur = bl.expr(x, cur)
		}
		return cur
	case *ast.TypeAssertExpr:
		return bl.expr(e.X, cur)
	case *ast.StarExpr:
		return bl.expr(e.X, cur)
	case *ast.UnaryExpr:
		return bl.expr(e.X, cur)
	case *ast.BinaryExpr:
		cur = bl.expr(e.X, cur)
		if e.Op == token.LAND || e.Op == token.LOR {
			end := bl.expr(e.Y, cur)
			bl.md.eps(cur, end) // short-circuit: Y may not run
			join := bl.md.newState()
			bl.md.eps(end, join)
			return join
		}
		return bl.expr(e.Y, cur)
	case *ast.KeyValueExpr:
		return bl.expr(e.Value, bl.expr(e.Key, cur))
	case *ast.CompositeLit:
		for _, x := range e.Elts {
			cur = bl.expr(x, cur)
		}
		return cur
	}
	return cur // identifiers, literals, func literals (not run here), types
}

// call builds a call: its function's operands and arguments, then what the
// call itself does.
func (bl *build) call(call *ast.CallExpr, cur int32) int32 {
	info := bl.fr.info
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		for _, a := range call.Args { // a conversion
			cur = bl.expr(a, cur)
		}
		return cur
	}
	fun := ast.Unparen(call.Fun)
	if lit, ok := fun.(*ast.FuncLit); ok {
		for _, a := range call.Args {
			cur = bl.expr(a, cur)
		}
		return bl.inlineLit(lit, cur)
	}
	cur = bl.expr(fun, cur)
	for _, a := range call.Args {
		cur = bl.expr(a, cur)
	}
	if id, ok := fun.(*ast.Ident); ok {
		if _, ok := info.Uses[id].(*types.Builtin); ok {
			if id.Name == "panic" {
				bl.md.eps(cur, bl.fr.exit)
				return bl.md.newState()
			}
			return cur
		}
	}
	if kind, arg, ok := durable.IsDurableCall(info, call); ok {
		return bl.durable(call, kind, arg, cur)
	}
	if fn := typeutil.StaticCallee(info, call); fn != nil {
		if d, ok := bl.declOf(fn); ok && d.Decl.Body != nil {
			return bl.inline(fn.Origin(), d, call, cur)
		}
		// Code outside the module (or without a body): it acts only if
		// it is given the context, or code of the module that acts.
		// It may also keep what it is given and act later: a sink.
		if why := bl.outsideMayAct(fn, call); why != "" {
			return bl.sink(cur, bl.pos(call), fmt.Sprintf("%s is outside the module and %s", fnName(fn), why))
		}
		return cur
	}
	// A call through a local func variable that only ever holds func
	// literals or module functions runs one of them.
	if vals := bl.funcValues(call.Fun); vals != nil {
		join := bl.md.newState()
		for _, v := range vals {
			bl.md.eps(bl.callValue(v, cur), join)
		}
		return join
	}
	// Any other call through a func value or an interface method: code
	// the analysis cannot pin down, which may start goroutines.
	if why := bl.dynamicMayAct(call); why != "" {
		return bl.sink(cur, bl.pos(call), why)
	}
	return cur
}

func fnName(fn *types.Func) string {
	if fn.Pkg() != nil {
		return fn.Pkg().Name() + "." + fn.Name()
	}
	return fn.Name()
}

// funcValues returns what a called func variable may hold, when every
// value assigned to it is a func literal or a function of the module (or
// nil, which panics); nil when it is not such a variable.
func (bl *build) funcValues(fun ast.Expr) []funcVal {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := bl.fr.info.Uses[id].(*types.Var)
	if !ok || bl.opaque[v] || len(bl.funcVars[v]) == 0 {
		return nil
	}
	for _, val := range bl.funcVars[v] {
		switch x := ast.Unparen(val.expr).(type) {
		case *ast.FuncLit:
			continue
		case *ast.Ident:
			if x.Name == "nil" {
				if _, isNil := val.pkg.TypesInfo.Uses[x].(*types.Nil); isNil {
					continue
				}
			}
			if fn, ok := val.pkg.TypesInfo.Uses[x].(*types.Func); ok && bl.hasDecl(fn) {
				continue
			}
		}
		return nil
	}
	return bl.funcVars[v]
}

// callValue builds a call of one value of a func variable.
func (bl *build) callValue(v funcVal, cur int32) int32 {
	switch x := ast.Unparen(v.expr).(type) {
	case *ast.FuncLit:
		if bl.litStack[x] {
			return bl.wildcard(cur, bl.pos(x), "a recursive call of a func literal")
		}
		saved := bl.fr
		bl.fr = &frame{pkg: v.pkg, info: v.pkg.TypesInfo, exit: saved.exit}
		bl.litStack[x] = true
		end := bl.inlineLit(x, cur)
		delete(bl.litStack, x)
		bl.fr = saved
		return end
	case *ast.Ident:
		if fn, ok := v.pkg.TypesInfo.Uses[x].(*types.Func); ok {
			if d, ok := bl.declOf(fn); ok {
				return bl.inline(fn.Origin(), d, nil, cur)
			}
		}
	}
	return cur // nil: the call panics
}

// outsideMayAct says why a call of code outside the module may schedule
// actions, or "": it is passed the context, or a value holding one, or a
// func of the module that acts.
func (bl *build) outsideMayAct(fn *types.Func, call *ast.CallExpr) string {
	info := bl.fr.info
	if recv := fn.Signature().Recv(); recv != nil && isContext(recv.Type()) {
		return "" // the SDK's other methods of the context (GetInput, SetCustomStatus)
	}
	operands := append([]ast.Expr{}, call.Args...)
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if _, isSel := info.Selections[sel]; isSel {
			operands = append(operands, sel.X) // the receiver
		}
	}
	for _, a := range operands {
		if t := info.TypeOf(a); t != nil && holdsContext(t) {
			return fmt.Sprintf("is given the orchestration context (%s)", types.ExprString(a))
		}
		if t := info.TypeOf(a); t != nil {
			if _, ok := t.Underlying().(*types.Signature); ok && bl.mayAct(a) {
				return fmt.Sprintf("may call %s, which schedules actions", types.ExprString(a))
			}
		}
	}
	return ""
}

// dynamicMayAct says why a call through a func value or an interface
// method may schedule actions, or "".
func (bl *build) dynamicMayAct(call *ast.CallExpr) string {
	info := bl.fr.info
	for _, a := range call.Args {
		if t := info.TypeOf(a); t != nil && holdsContext(t) {
			return fmt.Sprintf("a call through a func value or interface is given the orchestration context (%s)", types.ExprString(a))
		}
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			if iface, ok := s.Recv().Underlying().(*types.Interface); ok {
				for _, h := range bl.holders {
					if types.Implements(h, iface) || types.Implements(types.NewPointer(h), iface) {
						return fmt.Sprintf("%s may be a method of %s, which holds an orchestration context", types.ExprString(sel), h)
					}
				}
				return ""
			}
		}
	}
	if bl.dynamicRisk != "" {
		return fmt.Sprintf("%s is a func value, and %s", types.ExprString(call.Fun), bl.dynamicRisk)
	}
	return ""
}

// mayAct reports whether calling the func-valued expression e may
// schedule actions.
func (bl *build) mayAct(e ast.Expr) bool {
	info := bl.fr.info
	e = ast.Unparen(e)
	if lit, ok := e.(*ast.FuncLit); ok {
		return bl.trial(func(cur int32) int32 { return bl.inlineLit(lit, cur) })
	}
	if vals := bl.funcValues(e); vals != nil {
		return bl.trial(func(cur int32) int32 {
			join := bl.md.newState()
			for _, v := range vals {
				bl.md.eps(bl.callValue(v, cur), join)
			}
			return join
		})
	}
	var fn *types.Func
	switch x := e.(type) {
	case *ast.Ident:
		fn, _ = info.Uses[x].(*types.Func)
	case *ast.SelectorExpr:
		if s, ok := info.Selections[x]; ok && s.Kind() == types.MethodVal {
			if _, isIface := s.Recv().Underlying().(*types.Interface); !isIface {
				fn, _ = s.Obj().(*types.Func)
			}
		} else if !ok {
			fn, _ = info.Uses[x.Sel].(*types.Func)
		}
	}
	if fn != nil {
		d, ok := bl.declOf(fn)
		if !ok || d.Decl.Body == nil {
			return false // outside the module: it does not know the context
		}
		return bl.trial(func(cur int32) int32 { return bl.inline(fn.Origin(), d, nil, cur) })
	}
	return bl.dynamicRisk != "" || len(bl.holders) > 0
}

// callMayAct reports whether a go or defer statement's call may schedule
// actions.
func (bl *build) callMayAct(call *ast.CallExpr) bool {
	return bl.trial(func(cur int32) int32 { return bl.call(call, cur) })
}

// trial builds code on fresh states, reports whether it added any action,
// and takes it back.
func (bl *build) trial(f func(cur int32) int32) bool {
	n, acts, notes := len(bl.md.states), bl.acts, len(bl.md.Notes)
	f(bl.md.newState())
	acted := bl.acts > acts
	bl.truncate(n)
	bl.acts = acts
	for _, msg := range bl.md.Notes[notes:] {
		delete(bl.notes, msg)
	}
	bl.md.Notes = bl.md.Notes[:notes]
	return acted
}

// truncate takes back every state from n on.
func (bl *build) truncate(n int) {
	for i := n; i < len(bl.md.states); i++ {
		bl.md.states[i] = state{}
	}
	bl.md.states = bl.md.states[:n]
}

// inline builds a call of a module function with its body in place.
func (bl *build) inline(fn *types.Func, d goapp.FuncDecl, call *ast.CallExpr, cur int32) int32 {
	if bl.pure[fn] {
		return cur
	}
	at := bl.pos(d.Decl)
	if call != nil {
		at = bl.pos(call)
	}
	if bl.onStack[fn] {
		// The function's code is being built already: what a recursive
		// call schedules, it schedules synchronously, any number of times.
		return bl.wildcard(cur, at, fmt.Sprintf("a recursive call of %s", fn.Name()))
	}
	if bl.depth >= maxDepth || len(bl.md.states) >= maxStates {
		return bl.sink(cur, at, fmt.Sprintf("a call of %s deeper than dfversion inlines", fn.Name()))
	}
	n, acts := len(bl.md.states), bl.acts
	entry := bl.md.newState()
	bl.onStack[fn] = true
	bl.depth++
	end := bl.function(d.Decl.Body, d.Pkg, entry)
	bl.depth--
	delete(bl.onStack, fn)
	if bl.acts == acts {
		bl.pure[fn] = true
		bl.truncate(n)
		return cur
	}
	bl.md.eps(cur, entry)
	return end
}

// inlineLit builds a func literal's body, called in place.
func (bl *build) inlineLit(lit *ast.FuncLit, cur int32) int32 {
	if bl.depth >= maxDepth || len(bl.md.states) >= maxStates {
		return bl.sink(cur, bl.pos(lit), "a call deeper than dfversion inlines")
	}
	bl.depth++
	end := bl.function(lit.Body, bl.fr.pkg, cur)
	bl.depth--
	return end
}

// safeOptions are the options of durable calls that cannot make the call
// schedule more than once (unlike a retry policy).
var safeOptions = map[string]bool{
	"WithActivityInput":              true,
	"WithRawActivityInput":           true,
	"WithSubOrchestratorInput":       true,
	"WithRawSubOrchestratorInput":    true,
	"WithSubOrchestrationInstanceID": true,
}

// durable builds a durable call.
func (bl *build) durable(call *ast.CallExpr, kind string, arg ast.Expr, cur int32) int32 {
	pos := bl.pos(call)
	switch kind {
	case "timer":
		next := bl.md.newState()
		bl.md.act(cur, next, Timer, "", Site{Pos: pos, What: "a timer"})
		bl.acts++
		return next
	case "event":
		// The wait's timeout may create a timer.
		next := bl.md.newState()
		bl.md.act(cur, next, Timer, "", Site{Pos: pos, What: "a timer (the timeout of WaitForSingleEvent)"})
		bl.md.eps(cur, next)
		bl.acts++
		return next
	case "activity", "suborchestration":
	default: // continue-as-new, entities: not compared
		return cur
	}
	k := Activity
	if kind == "suborchestration" {
		k = SubOrchestration
	}
	var names []string
	dynamic := ""
	if arg == nil {
		dynamic = "no target"
	} else {
		t := durable.ResolveTarget(bl.m, arg, bl.names)
		if t.Dynamic != "" {
			dynamic = t.Dynamic
		}
		for _, n := range t.Names {
			names = append(names, n.Name)
		}
	}
	retries := false
	for _, o := range call.Args[min(1, len(call.Args)):] {
		if !bl.safeOption(o) {
			retries = true
		}
	}
	if call.Ellipsis.IsValid() {
		retries = true
	}
	next := bl.md.newState()
	if dynamic != "" {
		bl.md.act(cur, next, k, "", Site{Pos: pos, What: "any " + k.String()})
		bl.note(pos, fmt.Sprintf("any %s: the target %s is not known statically: %s", k, types.ExprString(arg), dynamic))
	}
	for _, n := range names {
		bl.md.act(cur, next, k, n, Site{Pos: pos, What: k.String() + " " + n})
	}
	bl.acts++
	if retries {
		// A retry is a timer, then the call again.
		again := bl.md.newState()
		bl.md.act(next, again, Timer, "", Site{Pos: pos, What: "a timer (a retry of the call)"})
		if dynamic != "" {
			bl.md.act(again, next, k, "", Site{Pos: pos, What: "any " + k.String() + " (a retry)"})
		}
		for _, n := range names {
			bl.md.act(again, next, k, n, Site{Pos: pos, What: k.String() + " " + n + " (a retry)"})
		}
	}
	return next
}

// safeOption reports whether an option of a durable call is one that
// cannot make it retry.
func (bl *build) safeOption(o ast.Expr) bool {
	c, ok := ast.Unparen(o).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := typeutil.StaticCallee(bl.fr.info, c)
	return fn != nil && safeOptions[fn.Name()]
}
