package durable

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/dfversion/dfversion/goapp"
)

// What counts as a write of a package variable.
//
// A declaration may change a package variable x when it
//
//   - assigns x or a part of it: x = v, x[i] = v, x.f = v, *x = v, x += v,
//     x++, a range statement's key or value (for x[i] = range ...);
//   - takes the address of x or of a part of it: &x, &x.f, &x[i], or calls a
//     pointer-receiver method of another module on it (buf.WriteString(s)
//     is (&buf).WriteString(s));
//   - lets a reference into x escape: a part of x whose type holds a
//     reference (slice, map, pointer, chan, func, interface, or a struct or
//     array holding one) is copied into a variable, passed to a call (other
//     than len and cap), put in a composite literal, returned, sent on a
//     channel, or ranged over with a value that holds a reference; whatever
//     receives it can change what x refers to (s := cities; s[0] = "Oslo");
//   - calls on x, or on a part of x, a method of the module (or of an
//     interface, whose implementations in the module are looked at) that
//     may change its receiver: one that does any of the above to its
//     receiver, or calls on it a method that may (found to a fixed point
//     over the whole module);
//   - receives from, or sends on, x when x is a channel.
//
// Everything else is a plain read and not a write: x[i] and x.f of value
// types (a string, a number, a struct of those), len(x), comparisons,
// range over x whose elements are values, a call of x's func value, a
// method that does not change its receiver (tally.Count()), and a method
// of another module called on x without taking its address (logger.Printf,
// logger being a *log.Logger): the analysis does not see into other modules and assumes
// that their methods do not change, through a pointer they are given as
// receiver, the state the orchestrator reads. Writes by reflection or
// unsafe are not seen either.
//
//	var cities = []string{"Tokyo", "London"}
//	func init()        { cities = append([]string{"Oslo"}, cities...) } // assigns cities
//	func reorder()     { sort.Strings(cities) }                        // may change cities: passed to a call
//	func first() string { return cities[0] }                           // a read: a string
//	func count() int    { return len(cities) }                         // a read
//	func all() []string { return cities }                              // may change cities: returned
//	func (t *Tally) Add() { t.n++ }                                     // changes its receiver
//	func record() { tally.Add() }                                       // may change tally
//	func peek() int { return tally.Count() }                            // a read, if Count changes nothing

// writeKind says how a use of a variable may change it.
type writeKind int

const (
	notWritten    writeKind = iota
	assigned                // assigned, incremented
	escapes                 // address taken, or a reference into it escapes
	throughMethod           // the receiver of a method that may change it
)

// writeOf classifies the use of a package variable at the top of stack
// (an identifier; the path from the declaration's root down to it).
func writeOf(m *goapp.Module, info *types.Info, stack []ast.Node) (writeKind, *types.Func) {
	i := len(stack) - 1
	e := stack[i].(ast.Expr)
	// pkg.Var: the selector is the variable.
	if i > 0 {
		if sel, ok := stack[i-1].(*ast.SelectorExpr); ok && sel.Sel == e {
			i--
			e = sel
		}
	}
	// Climb to the largest part of the variable: fields, elements, slices,
	// dereferences, type assertions.
	for i > 0 {
		switch p := stack[i-1].(type) {
		case *ast.ParenExpr:
		case *ast.SelectorExpr:
			sel, ok := info.Selections[p]
			if !ok || sel.Kind() != types.FieldVal {
				return methodUse(m, info, p, e)
			}
		case *ast.IndexExpr:
			if p.X != e {
				return notWritten, nil // used as an index: a value
			}
		case *ast.SliceExpr:
			if p.X != e {
				return notWritten, nil
			}
		case *ast.StarExpr:
		case *ast.TypeAssertExpr:
			if p.Type == nil { // switch v := x.(type)
				if hasRef(info.TypeOf(e)) && i >= 2 {
					if _, ok := stack[i-2].(*ast.AssignStmt); ok {
						return escapes, nil
					}
				}
				return notWritten, nil
			}
		default:
			return useOf(info, stack[:i], e), nil
		}
		i--
		e = stack[i].(ast.Expr)
	}
	return notWritten, nil
}

// useOf classifies a whole part e of a variable by what holds it (the top
// of stack).
func useOf(info *types.Info, stack []ast.Node, e ast.Expr) writeKind {
	flows := escapes
	if !hasRef(info.TypeOf(e)) {
		flows = notWritten
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == e {
				return assigned
			}
		}
		return flows
	case *ast.IncDecStmt:
		return assigned
	case *ast.RangeStmt:
		if p.Key == e || p.Value == e {
			return assigned
		}
		t := info.TypeOf(e)
		if t == nil {
			return escapes
		}
		switch u := t.Underlying().(type) {
		case *types.Chan:
			return escapes
		case *types.Slice:
			return rangeCopies(p, nil, u.Elem())
		case *types.Array:
			return rangeCopies(p, nil, u.Elem())
		case *types.Pointer:
			if a, ok := u.Elem().Underlying().(*types.Array); ok {
				return rangeCopies(p, nil, a.Elem())
			}
		case *types.Map:
			return rangeCopies(p, u.Key(), u.Elem())
		case *types.Basic:
			return notWritten // a string or an integer
		}
		return flows // a func iterator: it is called
	case *ast.UnaryExpr:
		switch p.Op {
		case token.AND:
			return escapes
		case token.ARROW:
			return escapes // a receive takes a value out of the channel
		}
		return notWritten
	case *ast.SendStmt:
		if p.Chan == e {
			return escapes
		}
		return flows
	case *ast.CallExpr:
		if p.Fun == e {
			return notWritten // a call of the func value
		}
		if tv, ok := info.Types[p.Fun]; ok && tv.IsType() {
			if !hasRef(info.TypeOf(p)) {
				return notWritten // string(b), a copy
			}
			return flows
		}
		if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok {
				switch b.Name() {
				case "len", "cap", "min", "max", "real", "imag", "complex":
					return notWritten
				}
			}
		}
		return flows
	case *ast.BinaryExpr, *ast.IfStmt, *ast.SwitchStmt, *ast.CaseClause, *ast.ExprStmt,
		*ast.IndexExpr, *ast.IndexListExpr, *ast.SliceExpr:
		return notWritten
	}
	// Returned, in a composite literal or a key-value pair, a var spec's
	// value, and anything else: conservatively, the reference escapes.
	return flows
}

// rangeCopies is how a range statement over a variable uses it: the
// elements it copies into its key and value escape when they hold
// references.
func rangeCopies(r *ast.RangeStmt, key, elem types.Type) writeKind {
	if r.Key != nil && key != nil && hasRef(key) {
		return escapes
	}
	if r.Value != nil && hasRef(elem) {
		return escapes
	}
	return notWritten
}

// methodUse classifies a method selected on a part e of a variable. A
// method of the module, or of an interface, given a receiver that holds
// references (a pointer receiver takes e's address: x.Add(v) is
// (&x).Add(v)) changes e if it changes its receiver (changesRecv): the
// answer waits until every method is indexed. A pointer-receiver method of
// another module changes e; other methods of other modules
// (logger.Printf) count as reads: their code is not seen.
func methodUse(m *goapp.Module, info *types.Info, sel *ast.SelectorExpr, e ast.Expr) (writeKind, *types.Func) {
	s, ok := info.Selections[sel]
	if !ok {
		return notWritten, nil
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok || fn.Signature().Recv() == nil {
		return notWritten, nil
	}
	if isInterfaceMethod(fn) {
		return throughMethod, fn
	}
	recv := fn.Signature().Recv()
	_, ptrRecv := recv.Type().(*types.Pointer)
	_, ptrX := info.TypeOf(e).Underlying().(*types.Pointer)
	implicitAddr := ptrRecv && !ptrX && !s.Indirect()
	if _, ok := m.DeclOf(fn); ok {
		if implicitAddr || hasRef(recv.Type()) {
			return throughMethod, fn.Origin()
		}
		return notWritten, nil
	}
	if implicitAddr {
		return escapes, nil
	}
	return notWritten, nil
}

// hasRef reports whether values of t hold a reference, through which a
// copy can change the original: pointers, slices, maps, channels, funcs,
// interfaces, and structs and arrays holding one. Unknown types do.
func hasRef(t types.Type) bool {
	return hasRefSeen(t, map[types.Type]bool{})
}

func hasRefSeen(t types.Type, seen map[types.Type]bool) bool {
	if t == nil {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer || u.Kind() == types.Invalid
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if hasRefSeen(u.Field(i).Type(), seen) {
				return true
			}
		}
		return false
	case *types.Array:
		return hasRefSeen(u.Elem(), seen)
	case *types.Tuple:
		for i := 0; i < u.Len(); i++ {
			if hasRefSeen(u.At(i).Type(), seen) {
				return true
			}
		}
		return false
	}
	return true
}
