package goapp

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/packages"
)

// Handler is the Go code that serves a function: a declared function, a
// method, or a func literal.
type Handler struct {
	// GoName is the function's or method's name; "" for a func literal.
	GoName string
	// Recv is a method's receiver type as written in the package
	// ("*Approvals"); "" for functions and literals.
	Recv string
	// Pos is the position of the func keyword.
	Pos token.Position

	Func *types.Func   // nil for a func literal
	Decl *ast.FuncDecl // nil for a func literal
	Lit  *ast.FuncLit  // nil for a declaration
	Pkg  *packages.Package

	// Var is set for a func literal held by a package-level variable of
	// the module (var SayHello task.Activity = func(...) {...}): a copy
	// of the handler is a new variable holding a copy of the literal.
	Var *types.Var
	// Factory is set for a func literal returned by a module function
	// that makes the handler (newGreeter("Hello")): the factory is shared
	// code, which a copy of the registration calls as the original does.
	Factory *types.Func

	// External is set for a handler whose code is outside the module
	// (http.FileServer(...), a dependency's handler): Func, Decl and Lit
	// are nil, Pos is where the registration names it, and Object, when
	// there is one, is what it names.
	External bool
	Object   types.Object
}

// Describe names the handler for people: "HelloCities",
// "(*Approvals).Approve", "var SayHello" (a func literal held by a
// package-level variable), "func literal in newGreeter" (one a factory
// returns) or "func literal".
func (h *Handler) Describe() string {
	switch {
	case h.External:
		return h.GoName + " (outside the module)"
	case h.Var != nil:
		return "var " + h.Var.Name()
	case h.Factory != nil:
		return "func literal in " + h.Factory.Name()
	case h.Lit != nil:
		return "func literal"
	case h.Recv != "":
		return "(" + h.Recv + ")." + h.GoName
	}
	return h.GoName
}

// Body is the handler's body; nil for a function declared without one
// (assembly, go:linkname) or outside the module.
func (h *Handler) Body() *ast.BlockStmt {
	switch {
	case h.Lit != nil:
		return h.Lit.Body
	case h.Decl != nil:
		return h.Decl.Body
	}
	return nil
}

// same reports whether two handlers are the same code.
func (h *Handler) same(o *Handler) bool {
	switch {
	case h.External || o.External:
		return h.External && o.External && h.Object != nil && h.Object == o.Object
	case h.Lit != nil || o.Lit != nil:
		return h.Lit == o.Lit
	}
	return h.Decl == o.Decl
}

// HandlerOfDecl makes the Handler for a declared function or method.
func (m *Module) HandlerOfDecl(fn *types.Func, d FuncDecl) *Handler {
	h := &Handler{
		GoName: fn.Name(),
		Pos:    m.Position(d.Decl.Type.Func),
		Func:   fn,
		Decl:   d.Decl,
		Pkg:    d.Pkg,
	}
	if recv := fn.Signature().Recv(); recv != nil {
		h.Recv = types.TypeString(recv.Type(), types.RelativeTo(d.Pkg.Types))
	}
	return h
}

// HandlerOfLit makes the Handler for a func literal in package p.
func (m *Module) HandlerOfLit(lit *ast.FuncLit, p *packages.Package) *Handler {
	return &Handler{Pos: m.Position(lit.Type.Func), Lit: lit, Pkg: p}
}

// isHTTPHandler reports whether values of type t can serve HTTP: a
// func(http.ResponseWriter, *http.Request) or a type with a ServeHTTP method.
func isHTTPHandler(t types.Type) bool {
	if t == nil {
		return false
	}
	if sig, ok := t.Underlying().(*types.Signature); ok {
		ps := sig.Params()
		return ps.Len() == 2 && isNetHTTP(ps.At(0).Type(), "ResponseWriter") && isNetHTTP(ps.At(1).Type(), "*Request")
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "ServeHTTP")
	_, ok := obj.(*types.Func)
	return ok
}

// isNetHTTP reports whether t is the net/http type written name (with a
// leading '*' for a pointer).
func isNetHTTP(t types.Type, name string) bool {
	if name[0] == '*' {
		p, ok := t.(*types.Pointer)
		if !ok {
			return false
		}
		t, name = p.Elem(), name[1:]
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net/http" && n.Obj().Name() == name
}
