package durable

import (
	"go/types"

	"github.com/dfversion/dfversion/goapp"
)

// Dynamic calls, resolved the way a class-hierarchy call graph does
// (golang.org/x/tools/go/callgraph/cha): by type, over the whole module,
// without asking which values can actually flow to the call.
//
// A call of an interface method may run the method of that name of every
// named type of the module, T or *T, that implements the interface:
//
//	type Store interface{ Save(string) error }
//	func (*fileStore) Save(string) error { ... } // reached by s.Save(x) for any s Store
//	func (memStore) Save(string) error { ... }   // reached too
//	func (memStore) Load() string { ... }        // not reached: not a method of Store
//
// A call of a func value (not a function, not a method: a variable, a
// field, a map element, a call's result) may run every function or method
// of the module whose value is taken somewhere (named other than in call
// position, method values included) with an identical signature, the
// implementations of every interface method taken so (f := s.Save), and
// every func literal of the module with that signature:
//
//	var greeters = map[string]func(string) string{"en": greetEN}
//	greeters[lang](city) // reaches greetEN, and every func(string) string taken as a value
//
// A func literal is counted by the top-level declaration holding it (its
// key and hash in the fingerprint are that declaration's, so an edit to
// the literal is an edit to it), and only the literal's own body is
// followed. Signatures that mention type parameters match every candidate
// with as many parameters and results. Generic named types implement by
// method name alone.
//
// Not seen: implementations and func values outside the module (the SDK,
// the standard library), calls that code outside the module makes of the
// module's methods (fmt calling String, sort.Sort calling Less,
// encoding/json calling MarshalJSON), and anything reached by reflection.

// implementations returns the module's methods that a call of the
// interface method fn may run.
func implementations(m *goapp.Module, fn *types.Func) []*types.Func {
	return reachIndexOf(m).implementations(m, fn)
}

// implementations is implementations with the index at hand, for building
// it.
func (x *reachIndex) implementations(m *goapp.Module, fn *types.Func) []*types.Func {
	x.implsMu.Lock()
	impls, ok := x.impls[fn]
	x.implsMu.Unlock()
	if ok {
		return impls
	}
	iface, _ := fn.Signature().Recv().Type().Underlying().(*types.Interface)
	var out []*types.Func
	seen := map[*types.Func]bool{}
	add := func(t types.Type) bool {
		sel := types.NewMethodSet(t).Lookup(fn.Pkg(), fn.Name())
		if sel == nil {
			return false
		}
		mf, ok := sel.Obj().(*types.Func)
		if !ok || isInterfaceMethod(mf) {
			return false
		}
		if _, ok := m.DeclOf(mf); ok && !seen[mf.Origin()] {
			seen[mf.Origin()] = true
			out = append(out, mf.Origin())
		}
		return true
	}
	for _, n := range x.named {
		if n.TypeParams().Len() > 0 {
			add(types.NewPointer(n)) // conservatively, by name
			continue
		}
		for _, t := range []types.Type{types.NewPointer(n), n} {
			if iface != nil && types.Implements(t, iface) && add(t) {
				break
			}
		}
	}
	x.implsMu.Lock()
	x.impls[fn] = out
	x.implsMu.Unlock()
	return out
}

// dynamicCallees returns what a call of a func value of signature sig may
// run: the module's functions and methods taken as values, and its func
// literals, of that signature.
func dynamicCallees(m *goapp.Module, sig *types.Signature) ([]*types.Func, []funcLit) {
	x := reachIndexOf(m)
	generic := mentionsTypeParam(sig, map[types.Type]bool{})
	match := func(t types.Type) bool {
		u, ok := t.Underlying().(*types.Signature)
		if !ok {
			return false
		}
		if generic || mentionsTypeParam(u, map[types.Type]bool{}) {
			return u.Params().Len() == sig.Params().Len() && u.Results().Len() == sig.Results().Len()
		}
		return types.Identical(u, sig)
	}
	var fns []*types.Func
	seen := map[*types.Func]bool{}
	for _, v := range x.values {
		if !seen[v.fn] && match(v.typ) {
			seen[v.fn] = true
			fns = append(fns, v.fn)
		}
	}
	for _, v := range x.ifaceValues {
		if !match(v.typ) {
			continue
		}
		for _, fn := range implementations(m, v.fn) {
			if !seen[fn] {
				seen[fn] = true
				fns = append(fns, fn)
			}
		}
	}
	var lits []funcLit
	for _, l := range x.lits {
		if match(l.typ) {
			lits = append(lits, l)
		}
	}
	return fns, lits
}

// mentionsTypeParam reports whether t mentions a type parameter.
func mentionsTypeParam(t types.Type, seen map[types.Type]bool) bool {
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.TypeParam:
		return true
	case *types.Pointer:
		return mentionsTypeParam(t.Elem(), seen)
	case *types.Slice:
		return mentionsTypeParam(t.Elem(), seen)
	case *types.Array:
		return mentionsTypeParam(t.Elem(), seen)
	case *types.Chan:
		return mentionsTypeParam(t.Elem(), seen)
	case *types.Map:
		return mentionsTypeParam(t.Key(), seen) || mentionsTypeParam(t.Elem(), seen)
	case *types.Tuple:
		for i := 0; i < t.Len(); i++ {
			if mentionsTypeParam(t.At(i).Type(), seen) {
				return true
			}
		}
	case *types.Signature:
		return mentionsTypeParam(t.Params(), seen) || mentionsTypeParam(t.Results(), seen)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if mentionsTypeParam(t.Field(i).Type(), seen) {
				return true
			}
		}
	case *types.Named:
		for i := 0; i < t.TypeArgs().Len(); i++ {
			if mentionsTypeParam(t.TypeArgs().At(i), seen) {
				return true
			}
		}
	}
	return false
}
