package rewrite

// Copying handlers that are not declared functions: a func literal held by
// a package-level variable is copied as a new variable (SayHello_v2) right
// after the original; a func literal a factory returns is not copied at
// all, since the copy of the registration calls the factory as the
// original does. See goapp/trace.go for how such handlers are found.

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"

	"github.com/dave/dst"

	"github.com/dfversion/dfversion/goapp"
)

// planVarNames decides the new name of every package-level variable that
// holds a handler being copied, refuses names that are taken, and maps
// every version's variable to its new version's (varRefs).
func (c *cloner) planVarNames() error {
	c.varHandlers = map[*types.Var]string{}
	newVar := map[string]string{} // new function name -> its variable
	for _, cl := range c.spec.Clones {
		h := cl.Registration.Handler
		if h.Var == nil {
			continue
		}
		newName := c.versioned(h.Var.Name())
		if prev, ok := c.varHandlers[h.Var]; ok && prev != newName {
			return fmt.Errorf("internal error: handler %s cloned as both %s and %s", h.Describe(), prev, newName)
		}
		if obj := h.Var.Pkg().Scope().Lookup(newName); obj != nil {
			return fmt.Errorf("%s: cannot copy %s as %s: %s is already declared at %s; rename it or remove it",
				h.Pos, h.Describe(), newName, newName, c.m.Position(obj.Pos()))
		}
		if pos, ok := testDecl(c.m, h.Pkg, "", newName); ok {
			return fmt.Errorf("%s: cannot copy %s as %s: %s is already declared at %s; rename it or remove it",
				h.Pos, h.Describe(), newName, newName, pos)
		}
		c.varHandlers[h.Var] = newName
		newVar[cl.NewName] = newName
	}
	c.varRefs = map[*types.Var]string{}
	for from, to := range c.spec.Rename {
		r, ok := c.spec.Registrations[from]
		if !ok || r.Handler.Var == nil {
			continue
		}
		if name, ok := newVar[to]; ok {
			c.varRefs[r.Handler.Var] = name
		}
	}
	return nil
}

// checkCopyable refuses handlers that a copy of the registration cannot
// serve the new version with: a function that takes a handler and passes
// it on (a wrapper, such as an SDK's MapActivityN, is never a handler, and
// dfversion never copies one), and a factory's func literal that names a
// durable function itself (the copy shares the factory's code, so it
// would still call the old version).
func (c *cloner) checkCopyable(cl Clone) error {
	h := cl.Registration.Handler
	if h.Func != nil {
		params := h.Func.Signature().Params()
		for i := range params.Len() {
			if p := params.At(i); goapp.HandlerTyped(p.Type()) {
				return fmt.Errorf("%s: %s takes a handler (its parameter %s) and passes it on, so it is not the handler of %s: dfversion will not copy it; register the handler itself",
					h.Pos, h.Describe(), p.Name(), cl.Source.Name)
			}
		}
	}
	if h.Factory == nil || h.Pkg.TypesInfo == nil {
		return nil
	}
	info := h.Pkg.TypesInfo
	var err error
	ast.Inspect(h.Lit, func(n ast.Node) bool {
		if err != nil {
			return false
		}
		name := ""
		switch n := n.(type) {
		case *ast.Ident:
			switch obj := info.Uses[n].(type) {
			case *types.Func:
				if _, ok := c.handlerRefs[obj.Origin()]; ok {
					name = n.Name
				}
			case *types.Var:
				if _, ok := c.varRefs[obj]; ok {
					name = n.Name
				}
			case *types.Const:
				if obj.Val().Kind() == constant.String {
					if _, ok := c.spec.Rename[constant.StringVal(obj.Val())]; ok {
						name = n.Name
					}
				}
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				if s, uerr := strconv.Unquote(n.Value); uerr == nil {
					if _, ok := c.spec.Rename[s]; ok {
						name = n.Value
					}
				}
			}
		}
		if name != "" {
			err = fmt.Errorf("%s: the handler of %s is made by %s, which the new version shares, and it names the durable function %s here, so %s would still call the old version; pass the name to %s as an argument, or declare the handler as a function",
				c.m.Position(n.Pos()), cl.Source.Name, h.Factory.Name(), name, cl.NewName, h.Factory.Name())
		}
		return true
	})
	return err
}

// cloneVar copies a package-level variable that holds a handler's func
// literal under its new name, right after the original, and moves the
// references inside the copy. In a var (...) block the copy joins the
// block after the original; a variable declared alone gets a declaration
// of its own. Lines of the original never change: a one-line variable in
// a block (which gofmt aligns with its neighbours) gets a declaration of
// its own after the block.
func (c *cloner) cloneVar(cl Clone, h *goapp.Handler) error {
	if c.clonedVars == nil {
		c.clonedVars = map[*types.Var]bool{}
	}
	if c.clonedVars[h.Var] {
		return nil
	}
	c.clonedVars[h.Var] = true
	sd, ok := c.m.SpecOf(h.Var)
	spec, isValue := sd.Spec.(*ast.ValueSpec)
	if !ok || !isValue {
		return fmt.Errorf("%s: internal error: no declaration for %s", h.Pos, h.Describe())
	}
	if len(spec.Names) != 1 {
		return fmt.Errorf("%s: cannot copy %s: it is declared together with other variables; declare it on its own", c.m.Position(spec.Pos()), h.Describe())
	}
	ef, err := c.ed.file(sd.Decl.Pos())
	if err != nil {
		return err
	}
	origDecl, ok1 := ef.dstOf(sd.Decl).(*dst.GenDecl)
	origSpec, ok2 := ef.dstOf(spec).(*dst.ValueSpec)
	if !ok1 || !ok2 {
		return fmt.Errorf("%s: internal error: no decorated declaration for %s", h.Pos, h.Describe())
	}
	oldName, newName := h.Var.Name(), c.varHandlers[h.Var]
	copySpec := func() (*dst.ValueSpec, error) {
		clone := dst.Clone(origSpec).(*dst.ValueSpec)
		clone.Names[0].Name = newName
		clone.Decs.Start = renameDoc(clone.Decs.Start, oldName, newName)
		clone.Decs.End = nil
		if err := c.rewriteRefs(ef, spec, origSpec, clone, cl.NewName); err != nil {
			return nil, err
		}
		return clone, nil
	}
	fset := c.m.Fset
	multiLine := fset.Position(spec.Pos()).Line != fset.Position(spec.End()).Line
	switch {
	case sd.Decl.Lparen.IsValid() && multiLine:
		clone, err := copySpec()
		if err != nil {
			return err
		}
		for i, s := range origDecl.Specs {
			if s != origSpec {
				continue
			}
			clone.Decs.Before = dst.EmptyLine
			clone.Decs.After = origSpec.Decs.After
			origDecl.Specs = slices.Insert(origDecl.Specs, i+1, dst.Spec(clone))
			return nil
		}
		return fmt.Errorf("%s: internal error: the declaration of %s was not found in its block", h.Pos, h.Describe())
	case sd.Decl.Lparen.IsValid():
		clone, err := copySpec()
		if err != nil {
			return err
		}
		clone.Decs.Before, clone.Decs.After = dst.None, dst.None
		nd := &dst.GenDecl{Tok: token.VAR, Specs: []dst.Spec{clone}}
		nd.Decs.Start, clone.Decs.Start = clone.Decs.Start, nil
		nd.Decs.Before, nd.Decs.After = dst.EmptyLine, dst.EmptyLine
		return insertDeclAfter(ef.dst, origDecl, nd)
	default:
		clone := dst.Clone(origDecl).(*dst.GenDecl)
		clone.Specs[0].(*dst.ValueSpec).Names[0].Name = newName
		clone.Decs.Start = renameDoc(clone.Decs.Start, oldName, newName)
		clone.Decs.Before = dst.EmptyLine
		clone.Decs.After = dst.NewLine
		clone.Decs.End = nil
		if err := c.rewriteRefs(ef, sd.Decl, origDecl, clone, cl.NewName); err != nil {
			return err
		}
		return insertDeclAfter(ef.dst, origDecl, clone)
	}
}
