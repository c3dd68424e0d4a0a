package goapp

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"
)

// DeclKey names a declaration of the module for the lock file: its
// package's path within the module, then the name ("workflows.ChargeCard",
// "workflows.(Approvals).Approve", "ProcessOrder" for the module's root
// package).
func (m *Module) DeclKey(obj types.Object) string {
	pkg := ""
	if obj.Pkg() != nil {
		pkg = strings.TrimPrefix(strings.TrimPrefix(obj.Pkg().Path(), m.Path), "/")
	}
	name := obj.Name()
	if fn, ok := obj.(*types.Func); ok {
		// A package may have several init functions: the second in
		// source order is init#2, and so on.
		if n := m.InitOrdinal(fn); n > 1 {
			name = fmt.Sprintf("init#%d", n)
		}
		if recv := fn.Signature().Recv(); recv != nil {
			t := recv.Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := t.(*types.Named); ok {
				name = "(" + n.Obj().Name() + ")." + name
			}
		}
	}
	if pkg == "" {
		return name
	}
	return pkg + "." + name
}

// InitOrdinal is fn's place (from 1) among its package's init functions,
// 0 when fn is not one.
func (m *Module) InitOrdinal(fn *types.Func) int {
	if fn.Signature().Recv() != nil || fn.Name() != "init" {
		return 0
	}
	for i, f := range m.inits[fn.Pkg()] {
		if f == fn {
			return i + 1
		}
	}
	return 0
}

// NodeSource returns the source text of a node, read from its file.
func (m *Module) NodeSource(n ast.Node) ([]byte, error) {
	tf := m.Fset.File(n.Pos())
	if tf == nil {
		return nil, fmt.Errorf("internal error: no file for a declaration")
	}
	src, err := m.Source(tf.Name())
	if err != nil {
		return nil, err
	}
	start, end := tf.Offset(n.Pos()), tf.Offset(n.End())
	if start < 0 || end > len(src) || start > end {
		return nil, fmt.Errorf("%s changed while dfversion read it", m.DisplayFile(tf.Name()))
	}
	return src[start:end], nil
}

// Counterpart finds in m the declaration that serves as handler h did in
// orig, another load of the same module (the code before a rewrite): the
// function or method with the same DeclKey. It returns nil for func
// literals and for declarations m no longer has.
func (m *Module) Counterpart(orig *Module, h *Handler) *Handler {
	if h.Func == nil {
		return nil
	}
	if m.byKey == nil {
		m.byKey = map[string]*types.Func{}
		for fn := range m.FuncDecls() {
			m.byKey[m.DeclKey(fn)] = fn
		}
	}
	fn, ok := m.byKey[orig.DeclKey(h.Func)]
	if !ok {
		return nil
	}
	d, _ := m.DeclOf(fn)
	return m.HandlerOfDecl(fn, d)
}

// RecvName is the receiver's type name of a method declaration ("Approvals"
// for both (a *Approvals) and (Approvals)), "" for a function.
func RecvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	switch t := t.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return types.ExprString(t.X)
	case *ast.IndexListExpr:
		return types.ExprString(t.X)
	}
	return types.ExprString(t)
}

// RecvTypeName is the name of a method's receiver type ("Cart" for both
// Cart and *Cart), "" for a function.
func RecvTypeName(fn *types.Func) string {
	r := fn.Signature().Recv()
	if r == nil {
		return ""
	}
	t := r.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}
