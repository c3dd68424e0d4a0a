package goapp

// Tracing a handler value.
//
// A registration passes a value: the handler is the code that value runs.
// Discovery follows the value backwards, through the expressions that only
// pass it on, to a declared function or method, or to a func literal, and
// stops, saying why, where it cannot go on. It never takes the code that
// passes a value on for the handler.
//
// The steps, for an expression e passed where a handler goes:
//
//   - a function or method value (Upper, app.Approve): that declaration;
//   - a func literal: that literal;
//   - a local variable: what it was declared with, if no other statement
//     assigns it or takes its address;
//   - a package-level variable of the module (var SayHello task.Activity =
//     func(...) {...}, alone or in a var (...) block), under the same
//     condition: a func literal it holds is the handler, and the variable
//     is copied with it (SayHello_v2); any other value is followed on;
//   - a call with an argument of handler type (MapActivityN("SayHello",
//     SayHello), http.HandlerFunc(h), a module's own middleware): a wrapper,
//     which passes that argument on; the argument is followed, and a
//     wrapper whose argument cannot be followed is never the handler;
//   - a call of a module function with no argument of handler type that
//     returns a durable handler (newGreeter("Hello") returning
//     task.Activity): a factory; the handler is the func literal that every
//     one of its return statements returns. The factory is shared code: a
//     copy of the registration calls it as the original does.
//   - a call that returns an HTTP handler (makeHandler(deps),
//     http.FileServer(root)): the function called, as before.
//
// A router (a value with Handle, HandleFunc or Add... methods, such as the
// *http.ServeMux passed to a helper register(mux, "Upper", Upper)) is
// never a handler: registration helpers take one first, and the handler
// is their other argument.
//
// Worked examples:
//
//	var (
//		SayHello task.Activity = func(ctx task.ActivityContext) (any, error) {...}
//	)
//	mux.HandleFunc("/SayHello", customhandler.MapActivityN("SayHello", SayHello))
//	    -> MapActivityN is a wrapper of SayHello; SayHello holds a func
//	       literal: the handler is that literal, "var SayHello".
//
//	mux.HandleFunc("/English", customhandler.MapActivityN("English", newGreeter("Hello")))
//	    -> newGreeter is a factory: the handler is the literal it returns,
//	       "func literal in newGreeter"; the copy registers
//	       MapActivityN("English_v2", newGreeter("Hello")).
//
//	register(mux, "Upper", Upper)
//	    -> mux is a router; the handler is the function Upper.
//
//	var Shout task.Activity
//	func init() { Shout = loud }
//	r.AddActivityN("Shout", Shout)
//	    -> cannot be followed: Shout is assigned outside its declaration.
//	       Shout is reported with its position, and bump stops.
//
// Only values of handler type are reported when they cannot be followed: a
// durable function type (its first parameter an orchestration, activity or
// entity context) or a type that serves HTTP.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/packages"
)

// Unfollowed is a registration of a function whose handler value could
// not be followed to code: dfversion does not guess which code serves it.
type Unfollowed struct {
	// Function is the name of the function registered.
	Function string
	// Registration is where it is registered; Pos is the value that was
	// not followed, and Reason says why.
	Registration token.Position
	Pos          token.Position
	Reason       string
}

// Message is a one-line explanation, with what to do.
func (u *Unfollowed) Message() string {
	return fmt.Sprintf("cannot follow the handler of %s, registered at %s: %s; register a function, a func literal, or a package-level variable assigned only where it is declared",
		u.Function, u.Registration, u.Reason)
}

// traceFailure is the first value of handler type that a registration's
// tracing could not follow.
type traceFailure struct {
	pos    token.Pos
	reason string
}

// cannotFollow notes that e, a value of handler type, could not be
// followed; the first note of a registration is the one reported.
func (s *regScanner) cannotFollow(e ast.Expr, format string, args ...any) {
	if s.fail == nil {
		s.fail = &traceFailure{pos: e.Pos(), reason: fmt.Sprintf(format, args...)}
	}
}

// unfollowed records a registration of function name, at node, whose
// handler could not be followed.
func (s *regScanner) unfollowed(name string, node ast.Node) {
	if _, ok := s.unfollowedRegs[name]; ok || s.fail == nil {
		return
	}
	s.unfollowedRegs[name] = &Unfollowed{
		Function:     name,
		Registration: s.m.Position(node.Pos()),
		Pos:          s.m.Position(s.fail.pos),
		Reason:       s.fail.reason,
	}
}

// HandlerTyped reports whether values of type t can be handlers: durable
// functions, or values that serve HTTP and are no router.
func HandlerTyped(t types.Type) bool {
	return t != nil && (isDurableFunc(t) || isHTTPHandler(t) && !isRouter(t))
}

// isDurableFunc reports whether t is a function type whose first parameter
// is an orchestration, activity or entity context (task.Orchestrator,
// task.Activity, func(ctx task.ActivityContext) (any, error)).
func isDurableFunc(t types.Type) bool {
	sig, ok := t.Underlying().(*types.Signature)
	return ok && isDurableSignature(sig)
}

// isDurableSignature reports whether a signature's first parameter is an
// orchestration, activity or entity context, whatever SDK declares it.
func isDurableSignature(sig *types.Signature) bool {
	if sig.Params().Len() == 0 {
		return false
	}
	t := sig.Params().At(0).Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok {
		return false
	}
	switch n.Obj().Name() {
	case "OrchestrationContext", "ActivityContext", "EntityContext":
		return true
	}
	return false
}

// isRouter reports whether values of type t dispatch to handlers
// registered on them (an *http.ServeMux, a TaskRegistry): they pass
// handlers on, and are none.
func isRouter(t types.Type) bool {
	for _, name := range []string{"Handle", "HandleFunc", "AddOrchestrator", "AddOrchestratorN", "AddActivity", "AddActivityN"} {
		if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name); obj != nil {
			if _, ok := obj.(*types.Func); ok {
				return true
			}
		}
	}
	return false
}

// isRouterValue reports whether e is a router (see isRouter).
func (s *regScanner) isRouterValue(e ast.Expr) bool {
	info := s.pkg.TypesInfo
	return info != nil && info.TypeOf(e) != nil && isRouter(info.TypeOf(e))
}

// passesHandler reports whether a call has an argument of handler type: it
// is a wrapper that passes a handler on, never a factory.
func (s *regScanner) passesHandler(call *ast.CallExpr) bool {
	info := s.pkg.TypesInfo
	if info == nil {
		return false
	}
	for _, a := range call.Args {
		if HandlerTyped(info.TypeOf(a)) {
			return true
		}
	}
	return false
}

// inPackage runs f with the scanner switched to package p (a variable's
// value or a factory's body is read with its own package's types).
func (s *regScanner) inPackage(p *packages.Package, f func() *resolved) *resolved {
	old := s.pkg
	s.pkg = p
	defer func() { s.pkg = old }()
	return f()
}

// pkgVarOf returns the package-level variable an identifier or qualified
// identifier refers to, or nil.
func pkgVarOf(info *types.Info, e ast.Expr) *types.Var {
	if info == nil {
		return nil
	}
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		if _, isField := info.Selections[e]; isField {
			return nil
		}
		id = e.Sel
	default:
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil
	}
	return v
}

// maxTrace bounds how many variables and factories one value is followed
// through (a cycle of variables does not type-check, but stays bounded).
const maxTrace = 16

// packageVar follows a package-level variable to the handler it holds:
// its declaration's value, if nothing else assigns it.
func (s *regScanner) packageVar(v *types.Var, use ast.Expr, want string) *resolved {
	sd, ok := s.m.SpecOf(v)
	if !ok {
		s.cannotFollow(use, "%s is a variable of package %s, outside the module", v.Name(), v.Pkg().Path())
		return nil
	}
	if s.depth >= maxTrace {
		s.cannotFollow(use, "%s is reached through more than %d variables and factories", v.Name(), maxTrace)
		return nil
	}
	if pos, ok := s.m.assignedElsewhere(v); ok {
		s.cannotFollow(use, "%s is assigned at %s, besides its declaration", v.Name(), s.m.Position(pos))
		return nil
	}
	value := specValue(sd.Spec, v, sd.Pkg.TypesInfo)
	if value == nil {
		s.cannotFollow(use, "%s is declared at %s without a value of its own", v.Name(), s.m.Position(v.Pos()))
		return nil
	}
	if lit, ok := ast.Unparen(value).(*ast.FuncLit); ok {
		h := s.m.HandlerOfLit(lit, sd.Pkg)
		h.Var = v
		return &resolved{h: h}
	}
	// Any other value is followed on, as if written at the use.
	s.depth++
	defer func() { s.depth-- }()
	r := s.inPackage(sd.Pkg, func() *resolved { return s.handler(value, want) })
	if r == nil || r.via != nil {
		return nil
	}
	// The copy of the registration needs a copy of the value, pointed at
	// the new handler, in place of the variable: possible when both are
	// in one file.
	id, isIdent := ast.Unparen(use).(*ast.Ident)
	if !isIdent || s.m.Fset.File(value.Pos()) != s.m.Fset.File(use.Pos()) {
		s.cannotFollow(use, "%s holds %s, which the copy would still run: declare the handler in the variable as a func literal, or register it directly", v.Name(), r.h.Describe())
		return nil
	}
	return &resolved{h: r.h, via: id, init: value}
}

// specValue is the value a variable's spec gives it: nil when it has none
// of its own (var x T; var a, b = f()).
func specValue(spec ast.Spec, v *types.Var, info *types.Info) ast.Expr {
	vs, ok := spec.(*ast.ValueSpec)
	if !ok || len(vs.Names) != len(vs.Values) {
		return nil
	}
	for i, id := range vs.Names {
		if info.Defs[id] == v {
			return vs.Values[i]
		}
	}
	return nil
}

// assignedElsewhere reports a place where a variable is assigned, or its
// address taken, other than its declaration: the first one in the module.
func (m *Module) assignedElsewhere(v *types.Var) (token.Pos, bool) {
	if m.assigned == nil {
		m.assigned = map[*types.Var]token.Pos{}
		for _, p := range m.Packages {
			info := p.TypesInfo
			if info == nil {
				continue
			}
			note := func(e ast.Expr) {
				var id *ast.Ident
				switch e := ast.Unparen(e).(type) {
				case *ast.Ident:
					id = e
				case *ast.SelectorExpr:
					id = e.Sel
				default:
					return
				}
				if v, ok := info.Uses[id].(*types.Var); ok {
					if _, seen := m.assigned[v]; !seen {
						m.assigned[v] = id.Pos()
					}
				}
			}
			for _, f := range p.Syntax {
				ast.Inspect(f, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.AssignStmt:
						for _, l := range n.Lhs {
							note(l) // a := redeclaration is a use too
						}
					case *ast.RangeStmt:
						if n.Tok == token.ASSIGN {
							note(n.Key)
							if n.Value != nil {
								note(n.Value)
							}
						}
					case *ast.UnaryExpr:
						if n.Op == token.AND {
							note(n.X)
						}
					}
					return true
				})
			}
		}
	}
	pos, ok := m.assigned[v]
	return pos, ok
}

// factory follows a call of a module function with no argument of handler
// type that returns a durable handler: the handler is the func literal
// every return statement of the function returns.
func (s *regScanner) factory(call *ast.CallExpr, fn *types.Func, d FuncDecl) *resolved {
	var lit *ast.FuncLit
	var litAt token.Pos
	returns := 0
	failed := false
	fail := func(format string, args ...any) {
		if !failed {
			failed = true
			s.cannotFollow(call, format, args...)
		}
	}
	ast.Inspect(d.Decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			returns++
			if len(n.Results) != 1 {
				fail("%s, which makes the handler, returns %d values at %s", fn.Name(), len(n.Results), s.m.Position(n.Pos()))
				return false
			}
			l := s.returnedLit(d.Pkg, n.Results[0])
			switch {
			case l == nil:
				fail("%s, which makes the handler, returns %s at %s, not a func literal of its own", fn.Name(), types.ExprString(n.Results[0]), s.m.Position(n.Results[0].Pos()))
			case lit != nil && l != lit:
				fail("%s, which makes the handler, returns different func literals at %s and %s", fn.Name(), s.m.Position(litAt), s.m.Position(l.Pos()))
			default:
				lit, litAt = l, l.Pos()
			}
			return false
		}
		return true
	})
	if failed {
		return nil
	}
	if lit == nil {
		s.cannotFollow(call, "%s, which makes the handler, has no return statement", fn.Name())
		return nil
	}
	h := s.m.HandlerOfLit(lit, d.Pkg)
	h.Factory = fn
	return &resolved{h: h}
}

// returnedLit is the func literal a factory's return statement returns:
// written there, or held by a local variable assigned only where it is
// declared.
func (s *regScanner) returnedLit(p *packages.Package, e ast.Expr) *ast.FuncLit {
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return e
	case *ast.Ident:
		v, ok := p.TypesInfo.Uses[e].(*types.Var)
		if !ok {
			return nil
		}
		if _, again := s.m.assignedElsewhere(v); again {
			return nil
		}
		var init ast.Expr
		s.inPackage(p, func() *resolved { init = s.localInit(v); return nil })
		if lit, ok := ast.Unparen(init).(*ast.FuncLit); ok && init != nil {
			return lit
		}
	}
	return nil
}

// describeValue names a value that could not be followed, for people.
func describeValue(info *types.Info, e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok {
			switch v.Kind() {
			case types.ParamVar, types.RecvVar:
				return e.Name + " is a parameter, whose value depends on each call"
			case types.ResultVar:
				return e.Name + " is a result variable"
			}
		}
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[e]; ok && sel.Kind() == types.FieldVal {
			return types.ExprString(e) + " is a struct field, which may hold any handler"
		}
	case *ast.IndexExpr:
		return types.ExprString(e) + " is an element of a map, slice or array, which may hold any handler"
	case *ast.CallExpr:
		return types.ExprString(e.Fun) + "(...) makes the handler outside the module"
	}
	return types.ExprString(e) + " is not a function, a func literal, or a variable holding one"
}
