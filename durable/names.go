package durable

// Resolving the target of a durable call.
//
// A durable call names its target with an expression: a literal, a
// constant, a handler's function value, or anything else Go allows. bump
// and check need to know which function names that expression can take.
// ResolveTarget answers with either the finite set of names, each with the
// place in the source that writes it, or "dynamic" with the reason. It
// follows, and only follows:
//
//   - constant expressions ("ChargeCard", chargeCard, "Charge" + "Card")
//     and function values of handlers (SayHello, app.Approve);
//   - package-level variables of the module whose value is known
//     statically: initialized in their declaration and never changed
//     afterwards (see staticVar);
//   - elements of composite literals: s.Activity where s is an element of
//     a slice of structs, names[i] and byKind[k] (every element, whatever
//     the index: a superset of what the call can name, which is what a
//     check needs), the value variable of a range over a slice or map
//     literal and the key variable of a range over a map literal;
//   - local variables whose every assignment in their function can be
//     resolved, and whose address is never taken;
//   - calls of functions and methods declared in the module (any package)
//     whose every return statement returns something that can be resolved
//     (switches over constants, tables); conversions (string(x)).
//
// Anything else is dynamic: parameters (the values a helper is passed are
// not followed, even when every caller passes a constant), results of
// functions outside the module (fmt.Sprintf), concatenations that are not
// constant, input read with GetInput, variables assigned outside their
// declaration or whose contents can change (used as a whole slice or map
// value, sliced, their address taken), and methods called through an
// interface.
//
// Worked examples, with
//
//	const validate = "Validate"
//	type step struct{ Activity string }
//	var stages = []step{{Activity: validate}, {Activity: "Reserve"}}
//	var notifiers = map[string]string{"email": "NotifyEmail"}
//	func payment(m string) string { if m == "card" { return "ChargeCard" }; return "Invoice" }
//
// the target of
//
//	ctx.CallActivity(validate)                    is {Validate (constant)}
//	for _, s := range stages { ctx.CallActivity(s.Activity) }
//	                                              is {Validate, Reserve}, through stages
//	ctx.CallActivity(notifiers[in.Channel])       is {NotifyEmail}, through notifiers
//	ctx.CallActivity(payment(in.Method))          is {ChargeCard, Invoice}, through payment
//	ctx.CallActivity(fmt.Sprintf("Notify%s", c))  is dynamic: the result of fmt.Sprintf
//	ctx.CallActivity("Notify" + in.Channel)       is dynamic: a concatenation
//	ctx.CallActivity(in.Activity)                 is dynamic: in is set through its address
//
// The package-level variables and functions a resolution goes through are
// in Target.Through: bump gives the new version its own versioned copies of
// them (stages_v2, payment_v2), so that it calls only new versions.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/dfversion/dfversion/goapp"
)

// Target is what the target expression of a durable call can name.
type Target struct {
	// Expr is the target expression as Go prints it, on one line.
	Expr string
	// Pos is the expression's position.
	Pos token.Position
	// Names are the names the target can take, in source order, each with
	// where it is written; nil when Dynamic is set.
	Names []NameOrigin
	// Dynamic, when set, says why the names are not known statically.
	Dynamic string
	// Through are the module's package-level variables and functions the
	// resolution went through, in the order met.
	Through []types.Object
}

// NameOrigin is one name a target can take.
type NameOrigin struct {
	Name string
	// Pos is where the name is written: the literal, the constant or the
	// function value in the element or return statement that gives it.
	Pos token.Position
	// Via is the package-level variable or function whose declaration
	// holds it ("stages", "payment"); "" when the call writes it itself.
	Via string
}

// ResolveTarget resolves the target expression e of a durable call, in
// the module's code. names names handlers' function values.
func ResolveTarget(m *goapp.Module, e ast.Expr, names FunctionNames) *Target {
	t := &Target{Expr: types.ExprString(e), Pos: m.Position(e.Pos())}
	_, pkg := m.FileAt(e.Pos())
	if pkg == nil || pkg.TypesInfo == nil {
		t.Dynamic = "its package has no type information"
		return t
	}
	r := &resolver{m: m, visiting: map[types.Object]bool{}, through: map[types.Object]bool{}}
	vals, dyn := r.values(e, pkg, "")
	if dyn != "" {
		// "Sprintf(...) at f.go:3:9 is the result of ..." of the target
		// itself is "it is the result of ...".
		if rest, ok := strings.CutPrefix(dyn, t.Expr+" at "+t.Pos.String()+" "); ok {
			dyn = "it " + rest
		}
		t.Dynamic = dyn
		return t
	}
	seen := map[string]bool{}
	for _, v := range vals {
		info := v.pkg.TypesInfo
		name, ok := goapp.ConstString(info, v.expr)
		if !ok {
			if fn := goapp.FuncOf(info, v.expr); fn != nil {
				if name, ok = names(fn); !ok {
					name, ok = fn.Name(), true
				}
			}
		}
		if !ok {
			t.Dynamic = fmt.Sprintf("%s at %s is not a string constant", types.ExprString(v.expr), m.Position(v.expr.Pos()))
			t.Names = nil
			return t
		}
		pos := m.Position(v.expr.Pos())
		if key := name + "\x00" + pos.String(); !seen[key] {
			seen[key] = true
			t.Names = append(t.Names, NameOrigin{Name: name, Pos: pos, Via: v.via})
		}
	}
	t.Through = r.order
	return t
}

// IsDurableCall reports whether call is a durable call of an orchestration
// context and returns its kind and target expression (nil for timers and
// continue-as-new).
func IsDurableCall(info *types.Info, call *ast.CallExpr) (kind string, target ast.Expr, ok bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || info == nil {
		return "", nil, false
	}
	kind, ok = durableMethods[sel.Sel.Name]
	if !ok || !isOrchestrationContext(info.TypeOf(sel.X)) {
		return "", nil, false
	}
	switch kind {
	case "timer", "continueasnew":
		return kind, nil, true
	}
	if len(call.Args) == 0 {
		return kind, nil, true
	}
	return kind, call.Args[0], true
}

// resolver follows one target expression.
type resolver struct {
	m        *goapp.Module
	visiting map[types.Object]bool
	through  map[types.Object]bool
	order    []types.Object
}

// value is an expression a target can evaluate to, in its package, with
// the package-level declaration that holds it.
type value struct {
	expr ast.Expr
	pkg  *packages.Package
	via  string
}

func (r *resolver) pass(obj types.Object) {
	if !r.through[obj] {
		r.through[obj] = true
		r.order = append(r.order, obj)
	}
}

func (r *resolver) at(n ast.Node) string { return r.m.Position(n.Pos()).String() }

// values lists what e can evaluate to: constant expressions, function
// values and composite literals. A non-empty second result says why it
// cannot be known.
func (r *resolver) values(e ast.Expr, pkg *packages.Package, via string) ([]value, string) {
	info := pkg.TypesInfo
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return []value{{e, pkg, via}}, ""
	}
	if fn := goapp.FuncOf(info, e); fn != nil && !isCall(e) {
		return []value{{e, pkg, via}}, "" // a function value
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		return []value{{e, pkg, via}}, ""
	case *ast.Ident:
		return r.ident(e, pkg, via)
	case *ast.SelectorExpr:
		sel, ok := info.Selections[e]
		if !ok { // a qualified identifier: pkg.Name
			return r.ident(e.Sel, pkg, via)
		}
		if sel.Kind() != types.FieldVal {
			return nil, fmt.Sprintf("%s is a method value", types.ExprString(e))
		}
		if len(sel.Index()) != 1 {
			return nil, fmt.Sprintf("%s is a promoted field", types.ExprString(e))
		}
		xs, dyn := r.values(e.X, pkg, via)
		if dyn != "" {
			return nil, dyn
		}
		var out []value
		for _, x := range xs {
			field, dyn := r.field(x, e.Sel.Name, sel.Index()[0])
			if dyn != "" {
				return nil, dyn
			}
			vs, dyn := r.values(field, x.pkg, x.via)
			if dyn != "" {
				return nil, dyn
			}
			out = append(out, vs...)
		}
		return out, ""
	case *ast.IndexExpr:
		switch info.TypeOf(e.X).Underlying().(type) {
		case *types.Slice, *types.Array, *types.Map:
		default:
			return nil, fmt.Sprintf("%s at %s indexes neither a slice nor a map", types.ExprString(e), r.at(e))
		}
		return r.elements(e.X, pkg, via, false)
	case *ast.CallExpr:
		return r.call(e, pkg, via)
	case *ast.BinaryExpr:
		return nil, fmt.Sprintf("%s at %s is built at run time", types.ExprString(e), r.at(e))
	}
	return nil, fmt.Sprintf("%s at %s is computed at run time", types.ExprString(e), r.at(e))
}

// isCall reports whether e is a call (whose Fun funcOf would name).
func isCall(e ast.Expr) bool {
	_, ok := e.(*ast.CallExpr)
	return ok
}

// field is the value a composite literal gives a struct field.
func (r *resolver) field(x value, name string, index int) (ast.Expr, string) {
	lit, ok := x.expr.(*ast.CompositeLit)
	if !ok {
		return nil, fmt.Sprintf("%s at %s is not a composite literal", types.ExprString(x.expr), r.at(x.expr))
	}
	for i, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == name {
				return kv.Value, ""
			}
			continue
		}
		if i == index {
			return elt, ""
		}
	}
	return nil, fmt.Sprintf("the element at %s does not set %s", r.at(lit), name)
}

// elements lists the values of every element (or, with keys, every key) of
// the composite literals coll can be.
func (r *resolver) elements(coll ast.Expr, pkg *packages.Package, via string, keys bool) ([]value, string) {
	xs, dyn := r.values(coll, pkg, via)
	if dyn != "" {
		return nil, dyn
	}
	var out []value
	for _, x := range xs {
		lit, ok := x.expr.(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Sprintf("%s at %s is not a composite literal", types.ExprString(x.expr), r.at(x.expr))
		}
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
				if keys {
					elt = kv.Key
				}
			}
			vs, dyn := r.values(elt, x.pkg, x.via)
			if dyn != "" {
				return nil, dyn
			}
			out = append(out, vs...)
		}
	}
	return out, ""
}

// ident follows a variable.
func (r *resolver) ident(id *ast.Ident, pkg *packages.Package, via string) ([]value, string) {
	obj, ok := pkg.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return nil, fmt.Sprintf("%s at %s is not a variable, constant or function", id.Name, r.at(id))
	}
	if obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope() {
		return r.packageVar(obj)
	}
	return r.localVar(obj, id)
}

// packageVar follows a package-level variable to its initial value.
func (r *resolver) packageVar(obj *types.Var) ([]value, string) {
	d, ok := r.m.SpecOf(obj)
	if !ok {
		return nil, fmt.Sprintf("%s is declared outside the module", obj.Name())
	}
	if why := staticVar(r.m, obj); why != "" {
		return nil, why
	}
	vs := d.Spec.(*ast.ValueSpec)
	if len(vs.Values) != len(vs.Names) {
		return nil, fmt.Sprintf("%s at %s has no initial value of its own", obj.Name(), r.m.Position(obj.Pos()))
	}
	if r.visiting[obj] {
		return nil, fmt.Sprintf("%s refers to itself", obj.Name())
	}
	r.visiting[obj] = true
	defer delete(r.visiting, obj)
	r.pass(obj)
	for i, n := range vs.Names {
		if n.Pos() == obj.Pos() {
			return r.values(vs.Values[i], d.Pkg, obj.Name())
		}
	}
	return nil, fmt.Sprintf("the declaration of %s was not found", obj.Name())
}

// localVar follows a variable declared in a function through every
// assignment to it there.
func (r *resolver) localVar(obj *types.Var, use *ast.Ident) ([]value, string) {
	f, pkg := r.m.FileAt(obj.Pos())
	if f == nil {
		return nil, fmt.Sprintf("%s is declared outside the module", obj.Name())
	}
	info := pkg.TypesInfo
	// The innermost function declaring obj: a declared function, or a
	// func literal, also one held by a package-level variable
	// (var Greetings = func(ctx ...) {...}).
	var body *ast.BlockStmt
	fnName := "a func literal"
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || !(n.Pos() <= obj.Pos() && obj.Pos() < n.End()) {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Body != nil {
				body, fnName = n.Body, n.Name.Name
			}
		case *ast.FuncLit:
			body, fnName = n.Body, "a func literal"
		}
		return true
	})
	if body == nil {
		return nil, fmt.Sprintf("%s at %s is not declared in a function body", obj.Name(), r.at(use))
	}
	if r.visiting[obj] {
		return nil, fmt.Sprintf("%s depends on itself", obj.Name())
	}
	r.visiting[obj] = true
	defer delete(r.visiting, obj)
	if obj.Pos() < body.Pos() {
		return nil, fmt.Sprintf("%s is a parameter of %s", obj.Name(), fnName)
	}
	var out []value
	dyn := ""
	found := false
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (info.Defs[id] == obj || info.Uses[id] == obj)
	}
	add := func(vs []value, d string) {
		if dyn == "" && d != "" {
			dyn = d
		}
		out = append(out, vs...)
		found = true
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if dyn != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			if n.Pos() <= obj.Pos() && obj.Pos() < n.End() && n.Body.Pos() > obj.Pos() {
				dyn = fmt.Sprintf("%s is a parameter of a func literal", obj.Name())
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if is(lhs) {
					if len(n.Lhs) != len(n.Rhs) || n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
						add(nil, fmt.Sprintf("%s is set at %s from something else than one value", obj.Name(), r.at(n)))
						continue
					}
					add(r.values(n.Rhs[i], pkg, ""))
				} else if rootIs(lhs, is) {
					add(nil, fmt.Sprintf("part of %s is assigned at %s", obj.Name(), r.at(lhs)))
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if info.Defs[name] != obj {
					continue
				}
				if len(n.Values) != len(n.Names) {
					add(nil, fmt.Sprintf("%s is declared at %s without a value of its own", obj.Name(), r.at(name)))
					continue
				}
				add(r.values(n.Values[i], pkg, ""))
			}
		case *ast.RangeStmt:
			switch {
			case n.Value != nil && is(n.Value):
				if _, ok := info.TypeOf(n.X).Underlying().(*types.Basic); ok {
					add(nil, fmt.Sprintf("%s ranges over %s at %s", obj.Name(), types.ExprString(n.X), r.at(n)))
					break
				}
				add(r.elements(n.X, pkg, "", false))
			case n.Key != nil && is(n.Key):
				if _, ok := info.TypeOf(n.X).Underlying().(*types.Map); !ok {
					add(nil, fmt.Sprintf("%s is the index of a range at %s", obj.Name(), r.at(n)))
					break
				}
				add(r.elements(n.X, pkg, "", true))
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && rootIs(n.X, is) {
				add(nil, fmt.Sprintf("%s is set through its address at %s", obj.Name(), r.at(n)))
			}
		case *ast.IncDecStmt:
			if rootIs(n.X, is) {
				add(nil, fmt.Sprintf("%s is changed at %s", obj.Name(), r.at(n)))
			}
		case *ast.SelectorExpr:
			if rootIs(n.X, is) && pointerMethod(info, n) {
				add(nil, fmt.Sprintf("%s is changed by a method at %s", obj.Name(), r.at(n)))
			}
		}
		return true
	})
	switch {
	case dyn != "":
		return nil, dyn
	case !found:
		return nil, fmt.Sprintf("no assignment to %s was found", obj.Name())
	}
	return out, ""
}

// rootIs reports whether the variable at the root of e (through fields,
// indexes, dereferences and parentheses) is the one is tells.
func rootIs(e ast.Expr, is func(ast.Expr) bool) bool {
	for {
		if is(e) {
			return true
		}
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.SliceExpr:
			e = x.X
		default:
			return false
		}
	}
}

// pointerMethod reports whether sel selects a method with a pointer
// receiver on an addressable value (which takes its address).
func pointerMethod(info *types.Info, sel *ast.SelectorExpr) bool {
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return false
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok {
		return false
	}
	_, ptrRecv := fn.Signature().Recv().Type().(*types.Pointer)
	_, ptrX := info.TypeOf(sel.X).(*types.Pointer)
	return ptrRecv && !ptrX
}

// call follows a conversion or a call of a function of the module to what
// it returns.
func (r *resolver) call(call *ast.CallExpr, pkg *packages.Package, via string) ([]value, string) {
	info := pkg.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() && len(call.Args) == 1 {
		return r.values(call.Args[0], pkg, via)
	}
	fn := goapp.FuncOf(info, call.Fun)
	if fn == nil {
		return nil, fmt.Sprintf("%s at %s calls a function value", types.ExprString(call), r.at(call))
	}
	if recv := fn.Signature().Recv(); recv != nil && types.IsInterface(recv.Type()) {
		return nil, fmt.Sprintf("%s at %s calls an interface method", types.ExprString(call), r.at(call))
	}
	d, ok := r.m.DeclOf(fn)
	if !ok || d.Decl.Body == nil {
		return nil, fmt.Sprintf("%s at %s is the result of %s, which is not declared in the module", types.ExprString(call), r.at(call), fnName(fn))
	}
	if fn.Signature().Results().Len() != 1 {
		return nil, fmt.Sprintf("%s returns %d results", fn.Name(), fn.Signature().Results().Len())
	}
	fn = fn.Origin()
	if r.visiting[fn] {
		return nil, fmt.Sprintf("%s calls itself", fn.Name())
	}
	r.visiting[fn] = true
	defer delete(r.visiting, fn)
	r.pass(fn)
	var out []value
	dyn := ""
	ast.Inspect(d.Decl.Body, func(n ast.Node) bool {
		if dyn != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			if len(n.Results) != 1 {
				dyn = fmt.Sprintf("%s returns a named result at %s", fn.Name(), r.at(n))
				return false
			}
			vs, d := r.values(n.Results[0], d.Pkg, fn.Name())
			if d != "" {
				dyn = d
				return false
			}
			out = append(out, vs...)
		}
		return true
	})
	if dyn != "" {
		return nil, dyn
	}
	return out, ""
}

// fnName names a function with its package: fmt.Sprintf.
func fnName(fn *types.Func) string {
	if fn.Pkg() != nil && fn.Signature().Recv() == nil {
		return fn.Pkg().Name() + "." + fn.Name()
	}
	return fn.Name()
}

// varWhyKey is the key in the module's memo of why package-level variables
// are not known statically (see staticVar).
type varWhyKey struct{}

// staticVars returns why package-level variables are not known statically
// (changedVars), computed once per module.
func staticVars(m *goapp.Module) map[*types.Var]string {
	varWhy, ok := m.Memo(varWhyKey{}).(map[*types.Var]string)
	if !ok {
		varWhy = changedVars(m)
		m.SetMemo(varWhyKey{}, varWhy)
	}
	return varWhy
}

// staticVar says why the value of a package-level variable of the module
// is not known statically; "" when it is: it is set only by its
// declaration, and nothing can change its contents. Every use of it in the
// module must read it: ranging over it, indexing it, selecting a field,
// len or cap, or (for values without references: strings, structs and
// arrays of them) copying it. Assigning it or part of it, taking its
// address, calling a pointer method on it, slicing it or using a slice or
// map as a whole value (passed, stored) makes it dynamic; so do elements
// that hold pointers, slices or maps, which can change through a copy.
func staticVar(m *goapp.Module, obj *types.Var) string {
	if why, ok := staticVars(m)[obj]; ok {
		return why
	}
	t := obj.Type().Underlying()
	var elems []types.Type
	switch t := t.(type) {
	case *types.Slice:
		elems = []types.Type{t.Elem()}
	case *types.Map:
		elems = []types.Type{t.Key(), t.Elem()}
	default:
		elems = []types.Type{t}
	}
	for _, e := range elems {
		if !valueOnly(e, 0) {
			return fmt.Sprintf("%s holds pointers, slices or maps, through which its contents can change", obj.Name())
		}
	}
	return ""
}

// valueOnly reports whether values of t hold no references: basic types,
// functions, and structs and arrays of them.
func valueOnly(t types.Type, depth int) bool {
	if depth > 10 {
		return false
	}
	switch t := t.Underlying().(type) {
	case *types.Basic, *types.Signature:
		return true
	case *types.Array:
		return valueOnly(t.Elem(), depth+1)
	case *types.Struct:
		for i := range t.NumFields() {
			if !valueOnly(t.Field(i).Type(), depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// changedVars finds, in the whole module, the package-level variables that
// a use may change (see staticVar), with the reason.
func changedVars(m *goapp.Module) map[*types.Var]string {
	out := map[*types.Var]string{}
	for _, p := range m.Packages {
		info := p.TypesInfo
		if info == nil {
			continue
		}
		for _, f := range p.Syntax {
			var stack []ast.Node
			ast.Inspect(f, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				stack = append(stack, n)
				id, ok := n.(*ast.Ident)
				if !ok {
					return true
				}
				v, ok := info.Uses[id].(*types.Var)
				if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
					return true
				}
				if _, mine := m.SpecOf(v); !mine || out[v] != "" {
					return true
				}
				if why := useChanges(info, stack, m.Position(id.Pos())); why != "" {
					out[v] = v.Name() + " " + why
				}
				return true
			})
		}
	}
	return out
}

// useChanges says how the use of a package-level variable at the top of
// stack (the identifier, its ancestors below it) may change it; "" when it
// only reads it.
func useChanges(info *types.Info, stack []ast.Node, at token.Position) string {
	i := len(stack) - 1
	cur := stack[i].(ast.Expr)
	parent := func() ast.Node {
		if i == 0 {
			return nil
		}
		return stack[i-1]
	}
	// A qualified identifier (pkg.Name) is the selector as a whole.
	if sel, ok := parent().(*ast.SelectorExpr); ok && sel.Sel == cur {
		cur, i = sel, i-1
	}
	whole := true
	for {
		switch p := parent().(type) {
		case *ast.ParenExpr:
			cur, i = p, i-1
			continue
		case *ast.IndexExpr:
			if p.X == cur {
				cur, i, whole = p, i-1, false
				continue
			}
		case *ast.SelectorExpr:
			if p.X == cur {
				if pointerMethod(info, p) {
					return fmt.Sprintf("is changed by a method at %s", at)
				}
				if s, ok := info.Selections[p]; ok && s.Kind() == types.FieldVal {
					cur, i, whole = p, i-1, false
					continue
				}
			}
		}
		break
	}
	switch p := parent().(type) {
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == cur {
				return fmt.Sprintf("is assigned at %s", at)
			}
		}
	case *ast.IncDecStmt:
		return fmt.Sprintf("is changed at %s", at)
	case *ast.UnaryExpr:
		if p.Op == token.AND {
			return fmt.Sprintf("has its address taken at %s", at)
		}
	case *ast.RangeStmt:
		if p.X == cur {
			return ""
		}
		if p.Tok == token.ASSIGN {
			return fmt.Sprintf("is assigned by a range at %s", at)
		}
	case *ast.SliceExpr:
		if p.X == cur {
			return fmt.Sprintf("is sliced at %s", at)
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok && (b.Name() == "len" || b.Name() == "cap") {
				return ""
			}
		}
	}
	if t := info.TypeOf(cur); t != nil && !valueOnly(t, 0) {
		if whole {
			return fmt.Sprintf("is used as a whole value at %s, so its contents can change", at)
		}
		return fmt.Sprintf("has a part used as a whole value at %s, so its contents can change", at)
	}
	return ""
}
