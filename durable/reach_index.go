package durable

import (
	"go/ast"
	"go/types"
	"sync"

	"golang.org/x/tools/go/packages"

	"github.com/dfversion/dfversion/goapp"
)

// reachIndex is what the reach needs to know of the whole module, gathered
// in one walk over every declaration: who may change each package
// variable, who calls each function, which function values are taken and
// which func literals exist. See reach.go for how it is used.
type reachIndex struct {
	// writers maps a package variable of the module to the declarations
	// that may change it (writes.go says what counts), in source order.
	writers map[*types.Var][]writeSite
	// callers maps a function or method of the module to the declarations
	// that call it statically, in source order.
	callers map[*types.Func][]types.Object
	// values are the module's functions and methods whose value is taken
	// (referred to other than in call position), with the type of the
	// reference.
	values []funcValue
	// ifaceValues are the interface methods whose value is taken (s.Save,
	// Store.Save not in call position): a call of a func value of their
	// type may run their implementations.
	ifaceValues []funcValue
	// lits are the module's func literals.
	lits []funcLit
	// named are the module's package-level named types that are not
	// interfaces: the candidate implementations of interface methods.
	named []*types.Named
	// impls caches the implementations found for an interface method;
	// implsMu guards it, since fingerprints are computed concurrently.
	impls   map[*types.Func][]*types.Func
	implsMu sync.Mutex
	// changesRecv holds the module's methods that may change their
	// receiver: they assign a part of it, take its address, let a
	// reference into it escape, or call on it a method that does.
	changesRecv map[*types.Func]bool
	// recvCalls are, for each method, the methods it calls on its
	// receiver (module or interface methods), while the index is built.
	recvCalls map[*types.Func][]*types.Func
	// pending are the uses of package variables as the receiver of a
	// method, decided once changesRecv is known.
	pending []pendingWrite
}

// pendingWrite is a method called on a package variable by a declaration.
type pendingWrite struct {
	v      *types.Var
	by     types.Object
	method *types.Func
}

// writeSite is a declaration that may change a package variable.
type writeSite struct {
	by     types.Object // the function, or the package variable whose initializer writes
	assign bool         // assigned (x = , x[i] =, x++); otherwise its address or a reference into it escapes
}

// funcValue is a function or method used as a value.
type funcValue struct {
	fn  *types.Func
	typ types.Type // the type of the reference: a method value has no receiver, a method expression has it first
}

// funcLit is a func literal and the top-level declaration holding it.
type funcLit struct {
	lit  *ast.FuncLit
	pkg  *packages.Package
	decl types.Object // the function, or package-level variable or constant, whose declaration holds it
	typ  types.Type
}

// reachIndexKey is the key of the module's reach index in its memo.
type reachIndexKey struct{}

// WritersOf lists the declarations of the module that may change the
// package variable v outside its declaration (reach_writes.go says what
// counts): functions, methods, and variables whose initializer writes it,
// in source order.
func WritersOf(m *goapp.Module, v *types.Var) []types.Object {
	var out []types.Object
	for _, site := range reachIndexOf(m).writers[v] {
		out = append(out, site.by)
	}
	return out
}

// Prepare builds what the analysis of m computes once for the whole
// module (the reach index, which package variables are known statically),
// so that FingerprintOf, ReachOf and ResolveTarget, which can run on
// several goroutines at once, do not each build them on first use.
func Prepare(m *goapp.Module) {
	reachIndexOf(m)
	staticVars(m)
}

// reachIndexOf returns the module's reach index, building it on first use.
// It is stored once complete: goroutines that ask at the same time may
// each build one, alike, but none sees one half built.
func reachIndexOf(m *goapp.Module) *reachIndex {
	if x, ok := m.Memo(reachIndexKey{}).(*reachIndex); ok {
		return x
	}
	x := &reachIndex{
		writers: map[*types.Var][]writeSite{},
		callers: map[*types.Func][]types.Object{},
		impls:   map[*types.Func][]*types.Func{},

		changesRecv: map[*types.Func]bool{},
		recvCalls:   map[*types.Func][]*types.Func{},
	}
	for _, p := range m.Packages {
		if p.TypesInfo == nil {
			continue
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if fn, ok := p.TypesInfo.Defs[d.Name].(*types.Func); ok {
						indexDecl(m, x, p, fn, d)
					}
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						vs, ok := spec.(*ast.ValueSpec)
						if !ok {
							continue
						}
						for i, v := range vs.Values {
							if obj := specObject(p.TypesInfo, vs, i); obj != nil {
								indexDecl(m, x, p, obj, v)
							}
						}
					}
				}
			}
		}
		if p.Types == nil {
			continue
		}
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			if n, ok := tn.Type().(*types.Named); ok && !types.IsInterface(n) {
				x.named = append(x.named, n)
			}
		}
	}
	x.solveRecv(m)
	m.SetMemo(reachIndexKey{}, x)
	return x
}

// solveRecv finds every method that may change its receiver, through the
// methods it calls on it, then decides the pending writes.
func (x *reachIndex) solveRecv(m *goapp.Module) {
	changes := func(fn *types.Func) bool {
		if !isInterfaceMethod(fn) {
			return x.changesRecv[fn]
		}
		for _, impl := range x.implementations(m, fn) {
			if x.changesRecv[impl] {
				return true
			}
		}
		return false
	}
	for changed := true; changed; {
		changed = false
		for fn, calls := range x.recvCalls {
			if x.changesRecv[fn] {
				continue
			}
			for _, c := range calls {
				if changes(c) {
					x.changesRecv[fn] = true
					changed = true
					break
				}
			}
		}
	}
	for _, p := range x.pending {
		if changes(p.method) {
			x.addWriter(p.v, p.by, false)
		}
	}
	x.recvCalls, x.pending = nil, nil
}

// addWriter records that by may change v.
func (x *reachIndex) addWriter(v *types.Var, by types.Object, assign bool) {
	for i, w := range x.writers[v] {
		if w.by == by {
			x.writers[v][i].assign = w.assign || assign
			return
		}
	}
	x.writers[v] = append(x.writers[v], writeSite{by: by, assign: assign})
}

// specObject is the object a value of a package-level var or const spec
// belongs to: the name at the same place, or the first name when one call
// gives all values (var a, b = f()). It is nil for the blank name, which
// has no declaration key: what `var _ = f()` runs at start-up is not seen.
func specObject(info *types.Info, vs *ast.ValueSpec, i int) types.Object {
	id := vs.Names[0]
	if len(vs.Values) == len(vs.Names) {
		id = vs.Names[i]
	}
	if id.Name == "_" {
		return nil
	}
	return info.Defs[id]
}

// indexDecl records what one top-level declaration (by) does: the package
// variables it may change, the functions it calls, the function values it
// takes and the func literals it holds.
func indexDecl(m *goapp.Module, x *reachIndex, p *packages.Package, by types.Object, root ast.Node) {
	info := p.TypesInfo
	called := map[*types.Func]bool{}
	// A method's receiver: how the method uses it says whether it may
	// change it.
	var method *types.Func
	var recv *types.Var
	if d, ok := root.(*ast.FuncDecl); ok && d.Recv != nil && len(d.Recv.List) == 1 && len(d.Recv.List[0].Names) == 1 {
		method, _ = by.(*types.Func)
		recv, _ = info.Defs[d.Recv.List[0].Names[0]].(*types.Var)
	}
	var stack []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.Ident:
			v, ok := info.Uses[n].(*types.Var)
			if !ok {
				break
			}
			if recv != nil && v == recv {
				switch how, fn := writeOf(m, info, stack); how {
				case assigned, escapes:
					x.changesRecv[method] = true
				case throughMethod:
					x.recvCalls[method] = append(x.recvCalls[method], fn)
				}
				break
			}
			if !isPackageVar(m, v) {
				break
			}
			switch how, fn := writeOf(m, info, stack); how {
			case assigned, escapes:
				x.addWriter(v, by, how == assigned)
			case throughMethod:
				x.pending = append(x.pending, pendingWrite{v: v, by: by, method: fn})
			}
		case *ast.FuncLit:
			if t := info.TypeOf(n); t != nil {
				x.lits = append(x.lits, funcLit{lit: n, pkg: p, decl: by, typ: t})
			}
		}
		if e, ok := n.(ast.Expr); ok {
			if fn, ref := funcRef(m, info, stack, e); fn != nil {
				switch {
				case isInterfaceMethod(fn):
					// A method value of an interface (f := s.Save) runs
					// the implementations when called.
					if ref != nil {
						if t := info.TypeOf(ref); t != nil {
							x.ifaceValues = append(x.ifaceValues, funcValue{fn: fn, typ: t})
						}
					}
				case ref == nil:
					if !called[fn] {
						called[fn] = true
						x.callers[fn] = append(x.callers[fn], by)
					}
				default:
					if t := info.TypeOf(ref); t != nil {
						x.values = append(x.values, funcValue{fn: fn, typ: t})
					}
				}
			}
		}
		return true
	})
}

// isPackageVar reports whether v is a package-level variable of the module.
func isPackageVar(m *goapp.Module, v *types.Var) bool {
	if v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return false
	}
	_, ok := m.SpecOf(v)
	return ok
}

// funcRef recognizes, at the top of stack, an identifier or selector that
// names a function or method of the module, or a method of an interface. It returns the function and, when the reference is not the
// callee of a call, the expression whose value is the function (with its
// instantiation, if any).
func funcRef(m *goapp.Module, info *types.Info, stack []ast.Node, e ast.Expr) (*types.Func, ast.Expr) {
	switch e := e.(type) {
	case *ast.Ident:
		// The selector's name is looked at with the selector.
		if len(stack) >= 2 {
			if sel, ok := stack[len(stack)-2].(*ast.SelectorExpr); ok && sel.Sel == e {
				return nil, nil
			}
		}
	case *ast.SelectorExpr:
	default:
		return nil, nil
	}
	fn := goapp.FuncOf(info, e)
	if fn == nil {
		return nil, nil
	}
	if _, ok := m.DeclOf(fn); !ok && !isInterfaceMethod(fn) {
		return nil, nil
	}
	// Climb through parentheses and instantiation to the whole reference.
	ref := ast.Expr(e)
	i := len(stack) - 2
	for ; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
			ref = p
			continue
		case *ast.IndexExpr:
			if p.X == ref {
				ref = p
				continue
			}
		case *ast.IndexListExpr:
			if p.X == ref {
				ref = p
				continue
			}
		}
		break
	}
	if i >= 0 {
		if call, ok := stack[i].(*ast.CallExpr); ok && call.Fun == ref {
			return fn.Origin(), nil
		}
	}
	return fn.Origin(), ref
}

// isInterfaceMethod reports whether fn is a method of an interface (a
// dynamic call), not of a concrete type.
func isInterfaceMethod(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	return recv != nil && types.IsInterface(recv.Type())
}
