package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/dave/dst"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/goapp"
)

// Versioned copies of the data and helpers that name durable functions.
//
// A cloned orchestrator whose durable call names its target through a
// package-level table or a helper (see ResolveTarget) would call the old
// versions if it shared that table or helper with the original. When the
// target resolves to a finite set of names and one of them moves to the new
// version, every package-level variable and function the resolution went
// through gets a versioned copy (stages -> stages_v2, paymentActivity ->
// paymentActivity_v2, storage.Target -> storage.Target_v2), declared right
// after the original, whose lines do not change; inside the copies names
// move as they do in cloned handlers, and the clones refer to the copies.
// A target that does not resolve is left as it is and reported in
// CloneResult.Dynamic.

// DynamicTarget is a durable call in a clone whose target bump could not
// resolve to a fixed set of names, so it was left as it is.
type DynamicTarget struct {
	// Pos is the target expression's position in the new content.
	Pos token.Position
	// In names the new function whose code holds the call.
	In string
	// Kind is the kind of durable call: activity or suborchestration.
	Kind string
	// Expr is the target expression; Reason says why it does not resolve.
	Expr, Reason string
}

// dataCopies are the versioned copies a clone's targets need.
type dataCopies struct {
	names map[types.Object]*dataPlan
	order []types.Object
	// dynamic are the unresolved targets, with positions filled in when
	// the files are printed.
	dynamic []*pendingDynamic
	// byFunc names handlers' functions, built on first use.
	byFunc map[*types.Func]string
}

// dataPlan is the versioned copy of one variable or function.
type dataPlan struct {
	name string
	in   string // the first new function that needs it
	// edit is set for a copy of edited shared code, or of code on the
	// way to it (copyedited.go).
	edit *pathWhy
}

type pendingDynamic struct {
	target DynamicTarget
	pos    *token.Position
}

// functionNames names handlers' function values by the function they
// register.
func (c *cloner) functionNames(fn *types.Func) (string, bool) {
	if c.data.byFunc == nil {
		c.data.byFunc = map[*types.Func]string{}
		for name, r := range c.spec.Registrations {
			if r != nil && r.Handler != nil && r.Handler.Func != nil {
				c.data.byFunc[r.Handler.Func.Origin()] = name
			}
		}
	}
	name, ok := c.data.byFunc[fn.Origin()]
	return name, ok
}

// planTargets resolves the target of every durable call in root, about to
// be copied as clone (corr maps the original's nodes to the copy's): the
// data and helpers of targets that name a moving function get versioned
// copies, and targets that do not resolve are recorded.
func (c *cloner) planTargets(ef *editFile, root ast.Node, corr map[dst.Node]dst.Node, in string) {
	info := ef.pkg.TypesInfo
	ast.Inspect(root, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		kind, arg, ok := durable.IsDurableCall(info, call)
		if !ok || arg == nil || kind != "activity" && kind != "suborchestration" {
			return true
		}
		if _, ok := goapp.ConstString(info, arg); ok || goapp.FuncOf(info, arg) != nil {
			return true // rewriteRefs moves it
		}
		t := durable.ResolveTarget(c.m, arg, c.functionNames)
		if t.Dynamic != "" {
			if node, ok := corr[ef.dstOf(arg)]; ok {
				c.data.dynamic = append(c.data.dynamic, &pendingDynamic{
					target: DynamicTarget{In: in, Kind: kind, Expr: t.Expr, Reason: t.Dynamic},
					pos:    ef.trackPos(node),
				})
			}
			return true
		}
		moves := false
		for _, name := range t.Names {
			if to, ok := c.spec.Rename[name.Name]; ok && to != name.Name {
				moves = true
			}
		}
		if moves {
			for _, obj := range t.Through {
				c.planData(obj, in)
			}
		}
		return true
	})
}

// planData plans the versioned copy of a package-level variable or a
// function.
func (c *cloner) planData(obj types.Object, in string) {
	if c.data.names == nil {
		c.data.names = map[types.Object]*dataPlan{}
	}
	if _, ok := c.data.names[obj]; ok {
		return
	}
	c.data.names[obj] = &dataPlan{name: versionedConstName(obj.Name(), c.spec.Version), in: in}
	c.data.order = append(c.data.order, obj)
}

// dataRef returns the name of the versioned copy of obj, if it has one.
func (c *cloner) dataRef(obj types.Object) (string, bool) {
	if fn, ok := obj.(*types.Func); ok {
		obj = fn.Origin()
	}
	p, ok := c.data.names[obj]
	if !ok {
		return "", false
	}
	return p.name, true
}

// declareData declares the planned copies, each right after its original,
// refusing names that are taken.
func (c *cloner) declareData() error {
	last := map[ast.Decl]dst.Decl{} // the copy inserted last after a declaration
	for i := 0; i < len(c.data.order); i++ {
		obj := c.data.order[i]
		p := c.data.names[obj]
		keep := c.edits != nil && c.edits.keep[obj]
		if !keep {
			if err := c.dataNameFree(obj, p.name); err != nil {
				return err
			}
		}
		ef, err := c.ed.file(obj.Pos())
		if err != nil {
			return err
		}
		var origDecl ast.Decl
		var copyDecl dst.Decl
		switch obj := obj.(type) {
		case *types.Var, *types.Const:
			origDecl, copyDecl, err = c.copyVar(ef, obj, p)
		case *types.TypeName:
			origDecl, copyDecl, err = c.copyType(ef, obj, p)
		case *types.Func:
			origDecl, copyDecl, err = c.copyFunc(ef, obj, p)
		default:
			err = fmt.Errorf("internal error: cannot copy %s", obj.Name())
		}
		if err != nil {
			return err
		}
		after, ok := last[origDecl]
		if !ok {
			after = ef.dstOf(origDecl).(dst.Decl)
		}
		if err := insertDeclAfter(ef.dst, after, copyDecl); err != nil {
			return err
		}
		last[origDecl] = copyDecl
		if p.edit != nil {
			from := c.declName(obj)
			to := strings.TrimSuffix(from, obj.Name()) + p.name
			if keep {
				to = strings.Replace(from, c.edits.onPath[obj].typeOf.Name(), c.data.names[c.edits.onPath[obj].typeOf].name, 1)
			}
			c.result.EditCopies = append(c.result.EditCopies, EditCopy{
				From: from, To: to, Why: c.edits.whyText(c, obj), Edited: c.edits.isEdited[obj],
			})
			continue
		}
		c.result.Copies = append(c.result.Copies, fmt.Sprintf("%s (from %s)", p.name, obj.Name()))
	}
	return nil
}

// dataNameFree refuses the name of a copy that the package (or the
// receiver's method set) already has.
func (c *cloner) dataNameFree(obj types.Object, name string) error {
	var other types.Object
	recv := ""
	if fn, ok := obj.(*types.Func); ok && fn.Signature().Recv() != nil {
		other, _, _ = types.LookupFieldOrMethod(fn.Signature().Recv().Type(), true, fn.Pkg(), name)
		if d, ok := c.m.DeclOf(fn); ok {
			recv = goapp.RecvName(d.Decl)
		}
	} else {
		other = obj.Pkg().Scope().Lookup(name)
	}
	if other != nil {
		return fmt.Errorf("%s: cannot declare %s, the new version's copy of %s: %s is already declared at %s; rename it or remove it",
			c.m.Position(obj.Pos()), name, obj.Name(), name, c.m.Position(other.Pos()))
	}
	_, pkg := c.m.FileAt(obj.Pos())
	if pkg != nil {
		if pos, ok := testDecl(c.m, pkg, recv, name); ok {
			return fmt.Errorf("%s: cannot declare %s, the new version's copy of %s: %s is already declared at %s; rename it or remove it",
				c.m.Position(obj.Pos()), name, obj.Name(), name, pos)
		}
	}
	return nil
}

// copyVar copies a package-level variable's or constant's declaration
// under its new name, with the names in its value moved.
func (c *cloner) copyVar(ef *editFile, obj types.Object, p *dataPlan) (ast.Decl, dst.Decl, error) {
	d, ok := c.m.SpecOf(obj)
	vs, isValue := d.Spec.(*ast.ValueSpec)
	if !ok || !isValue {
		return nil, nil, fmt.Errorf("%s: cannot copy %s: its declaration was not found", c.m.Position(obj.Pos()), obj.Name())
	}
	var value ast.Expr
	for i, n := range vs.Names {
		if n.Pos() == obj.Pos() && i < len(vs.Values) {
			value = vs.Values[i]
		}
	}
	if value == nil {
		return nil, nil, fmt.Errorf("%s: cannot copy %s: it has no value of its own", c.m.Position(obj.Pos()), obj.Name())
	}
	orig := ef.dstOf(value)
	clone := dst.Clone(orig).(dst.Expr)
	if err := c.rewriteRefs(ef, value, orig, clone, p.in); err != nil {
		return nil, nil, err
	}
	clone.Decorations().Before, clone.Decorations().After = dst.None, dst.None
	clone.Decorations().Start, clone.Decorations().End = nil, nil
	spec := &dst.ValueSpec{Names: []*dst.Ident{dst.NewIdent(p.name)}, Values: []dst.Expr{clone}}
	if vs.Type != nil {
		spec.Type = dst.Clone(ef.dstOf(vs.Type)).(dst.Expr)
	}
	decl := &dst.GenDecl{Tok: d.Decl.Tok, Specs: []dst.Spec{spec}}
	// The doc comment goes with the copy, renamed.
	var doc dst.Decorations
	if len(d.Decl.Specs) == 1 {
		doc = ef.dstOf(d.Decl).(*dst.GenDecl).Decs.Start
	} else if ds, ok := ef.dstOf(vs).(*dst.ValueSpec); ok {
		doc = ds.Decs.Start
	}
	decl.Decs.Start = renameLead(doc, obj.Name(), p.name)
	decl.Decs.Before = dst.EmptyLine
	decl.Decs.After = dst.EmptyLine
	return d.Decl, decl, nil
}

// copyFunc copies a function or method declaration under its new name,
// with the names in its body moved.
func (c *cloner) copyFunc(ef *editFile, fn *types.Func, p *dataPlan) (ast.Decl, dst.Decl, error) {
	d, ok := c.m.DeclOf(fn)
	if !ok {
		return nil, nil, fmt.Errorf("%s: cannot copy %s: its declaration was not found", c.m.Position(fn.Pos()), fn.Name())
	}
	orig, ok := ef.dstOf(d.Decl).(*dst.FuncDecl)
	if !ok {
		return nil, nil, fmt.Errorf("%s: internal error: no decorated declaration for %s", c.m.Position(fn.Pos()), fn.Name())
	}
	clone := dst.Clone(orig).(*dst.FuncDecl)
	clone.Name.Name = p.name
	clone.Decs.Start = renameLead(clone.Decs.Start, fn.Name(), p.name)
	clone.Decs.Before = dst.EmptyLine
	clone.Decs.After = dst.NewLine
	clone.Decs.End = nil
	if err := c.rewriteRefs(ef, d.Decl, orig, clone, p.in); err != nil {
		return nil, nil, err
	}
	return d.Decl, clone, nil
}

// dynamicTargets are the unresolved targets, once the files are printed.
func (c *cloner) dynamicTargets() []DynamicTarget {
	var out []DynamicTarget
	for _, d := range c.data.dynamic {
		t := d.target
		t.Pos = *d.pos
		t.Pos.Filename = c.m.DisplayFile(t.Pos.Filename)
		out = append(out, t)
	}
	return out
}

// renameLead renames the copy in its doc comment, where the comment starts
// with the original's name ("// stages are ..." -> "// stages_v2 are ..."):
// elsewhere the name may be an ordinary word of the comment.
func renameLead(doc dst.Decorations, oldName, newName string) dst.Decorations {
	out := append(dst.Decorations(nil), doc...)
	for i, line := range out {
		if directive.MatchString(line) {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "// "+oldName); ok && (rest == "" || strings.HasPrefix(rest, " ")) {
			out[i] = "// " + newName + rest
		}
		break
	}
	return out
}
