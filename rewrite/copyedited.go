package rewrite

// Edit, then bump: versioned copies of the shared code an edit touched.
//
// A handler edited since the base revision goes into the new version and
// the old version gets its code back (restore.go). Most orchestrator logic
// lives in helpers, methods, types, constants and package variables that
// several versions share, though. When one of those was edited, the bump
// gives the new version its own copy of it and the original its content
// at the base revision back:
//
//   - edited: the declarations that a cloned handler's full reach (durable/reach.go)
//     holds and whose tokens differ from the base revision (durable/edited.go).
//   - on the way: every declaration the cloned handlers reach by name
//     (calls and uses, not writers, inits, interface dispatch or func
//     values) from which an edited declaration can be reached by name:
//     the reverse walk of the name graph from the edited declarations.
//     Everything else stays shared.
//   - methods of a copied type are copied onto the copy under their own
//     names (the copy must keep its method set); a method copied on its own
//     keeps its receiver and gets a versioned name.
//
// Each copy is declared right after its original (clone_data.go declares
// it), references inside the copies and the cloned handlers move to the
// copies (refs.go), and at the end every edited declaration gets its base
// content back, so the released versions replay what they started with.
//
// For example, with orderTotal edited and ProcessOrder -> applyDiscount ->
// orderTotal, ProcessOrder_v2 calls applyDiscount_v2, which calls
// orderTotal_v2 (the edit); applyDiscount is as it was, and orderTotal has
// its committed code back. A helper ProcessOrder calls that does not lead
// to orderTotal (formatReceipt) stays shared. With OrderInput edited (a
// field added) and used as ChargeCard's input, ChargeCard_v2 reads an
// OrderInput_v2, ProcessOrder_v2 sends one, and ChargeCard keeps the
// committed JSON shape.
//
// What a copy cannot serve is refused, with the place and what to do, and
// nothing is written:
//
//   - an edited declaration reached other than by name (a method reached
//     only as an interface's implementation, an init, a writer of a
//     variable, a func value): the type needs it under its old name, so the
//     new version cannot be pointed at a copy;
//   - an edited exported name of a package other modules can import: their
//     uses would get the base content back and cannot be versioned;
//   - an edited declaration that code bump does not version uses (a client,
//     an entity, main, a type shared with a function that is not
//     versioned): restoring it would undo the edit there;
//   - a variable on the way that is changed outside its declaration (its
//     copy would not get the changes), a constant whose value depends on
//     its place in a block (iota), names declared together, a type whose
//     methods include a durable handler, and a handler a factory makes
//     (the new version shares the factory's code).

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/goapp"
)

// EditCopy is one versioned copy of shared code that was edited since the
// base revision or leads to such code.
type EditCopy struct {
	// From and To are the original's and the copy's names ("orderTotal",
	// "orderTotal_v2"; "(Cart).Total", "(Cart).Total_v2").
	From, To string
	// Why says why it was copied: "edited since HEAD, reached by
	// ProcessOrder; copied for ProcessOrder_v2".
	Why string
	// Edited is set for a declaration that was edited (it got its base
	// content back); others were copied because they lead to one.
	Edited bool
}

// editPlan is what planEditCopies decided.
type editPlan struct {
	// edited are the edited declarations, restored at the end, in order.
	edited   []types.Object
	isEdited map[types.Object]bool
	// onPath are the declarations to copy (edited ones included), with
	// why; keep holds the methods copied onto a copied type.
	onPath map[types.Object]*pathWhy
	keep   map[types.Object]bool
	base   *durable.BaseFiles
	// refs caches refsOf.
	refs map[types.Object][]types.Object
	// handlerVars are the package variables that hold a durable handler.
	handlerVars map[*types.Var]bool
}

// pathWhy is why a declaration is copied.
type pathWhy struct {
	leadsTo types.Object // the edited declaration or copied declaration it uses
	typeOf  types.Object // for a method copied with its type: the type
	clones  []int        // indexes of the clones that reach it by name
}

// planEditCopies finds the edited shared code the clones reach and plans
// its versioned copies (see the comment at the top of this file). It runs
// before the handlers are cloned, so that the clones refer to the copies.
func (c *cloner) planEditCopies() error {
	if c.spec.Base == nil {
		return nil
	}
	p := &editPlan{
		isEdited: map[types.Object]bool{}, onPath: map[types.Object]*pathWhy{}, keep: map[types.Object]bool{},
		base: durable.NewBaseFiles(c.spec.Base), refs: map[types.Object][]types.Object{}, handlerVars: map[*types.Var]bool{},
	}
	for _, r := range c.spec.Registrations {
		if r != nil && r.Handler != nil && r.Handler.Var != nil {
			p.handlerVars[r.Handler.Var] = true
		}
	}
	c.edits = p
	stop := func(fn *types.Func) bool {
		_, durable := c.functionNames(fn)
		return durable
	}
	// byName[i] is what clone i reaches by name, in order.
	byName := make([][]types.Object, len(c.spec.Clones))
	reaches := make([]map[types.Object]bool, len(c.spec.Clones))
	for i, cl := range c.spec.Clones {
		h := cl.Registration.Handler
		if h == nil || h.External || h.Func == nil && h.Lit == nil {
			continue
		}
		full := durable.ReachUntil(c.m, h, stop, true)
		edited := durable.EditedIn(c.m, full, h, p.base)
		if len(edited) == 0 {
			continue
		}
		if h.Factory != nil {
			e := edited[0]
			return fmt.Errorf("%s: %s, edited since %s, is reached by the handler of %s, which %s makes, and the new version shares that factory's code, so bump cannot give %s a copy of its own: undo the edit, or declare the handler as a function",
				c.m.Position(e.Pos()), c.declName(e), c.baseRef(), cl.Source.Name, h.Factory.Name(), cl.NewName)
		}
		byName[i], reaches[i] = c.reachByName(h)
		for _, e := range edited {
			if !reaches[i][e] {
				return fmt.Errorf("%s: %s, edited since %s, is reached only through %s, not by name, so bump cannot point %s at a copy of it: undo the edit, and after the bump make %s call new code by name",
					c.m.Position(e.Pos()), c.declName(e), c.baseRef(), viaPath(full, e, cl.Source.Name), cl.NewName, cl.NewName)
			}
			if !p.isEdited[e] {
				p.isEdited[e] = true
				p.edited = append(p.edited, e)
				p.onPath[e] = &pathWhy{}
			}
		}
	}
	if len(p.edited) == 0 {
		return nil
	}
	// The reverse walk: add what uses a declaration being copied, until
	// nothing changes; a copied type brings its methods.
	for changed := true; changed; {
		changed = false
		for i := range byName {
			for _, obj := range byName[i] {
				if _, ok := p.onPath[obj]; ok {
					continue
				}
				for _, r := range c.refsOf(obj) {
					if _, ok := p.onPath[r]; ok {
						p.onPath[obj] = &pathWhy{leadsTo: r}
						changed = true
						break
					}
				}
			}
		}
		for obj := range p.onPath {
			tn, ok := obj.(*types.TypeName)
			if !ok {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok {
				continue
			}
			for k := range named.NumMethods() {
				fn := named.Method(k).Origin()
				if _, ok := c.m.DeclOf(fn); !ok {
					continue
				}
				if w, ok := p.onPath[fn]; ok && w.typeOf != nil {
					continue
				}
				if _, durable := c.functionNames(fn); durable {
					return fmt.Errorf("%s: %s would get a versioned copy (%s), but its method %s is the handler of %s, which cannot move to the copy: undo the edit, or declare the handler as a function",
						c.m.Position(tn.Pos()), c.declName(tn), p.whyText(c, tn), fn.Name(), c.functionNamesOr(fn))
				}
				w := p.onPath[fn]
				if w == nil {
					w = &pathWhy{}
					p.onPath[fn] = w
				}
				w.typeOf = tn
				p.keep[fn] = true
				changed = true
			}
		}
	}
	for obj, w := range p.onPath {
		for i := range reaches {
			if reaches[i][obj] || w.typeOf != nil && reaches[i][w.typeOf] {
				w.clones = append(w.clones, i)
			}
		}
	}
	if err := c.refuseEditCopies(); err != nil {
		return err
	}
	order := make([]types.Object, 0, len(p.onPath))
	for obj := range p.onPath {
		order = append(order, obj)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := c.m.Fset.Position(order[i].Pos()), c.m.Fset.Position(order[j].Pos())
		return a.Filename < b.Filename || a.Filename == b.Filename && a.Offset < b.Offset
	})
	for _, obj := range order {
		w := p.onPath[obj]
		in := ""
		if len(w.clones) > 0 {
			in = c.spec.Clones[w.clones[0]].NewName
		}
		c.planData(obj, in)
		dp := c.data.names[obj]
		if p.keep[obj] {
			dp.name = obj.Name()
		}
		dp.edit = w
	}
	return nil
}

// functionNamesOr names the durable function fn serves.
func (c *cloner) functionNamesOr(fn *types.Func) string {
	name, _ := c.functionNames(fn)
	return name
}

// refuseEditCopies refuses the copies that cannot be made without
// changing code that stays (see the comment at the top of this file).
func (c *cloner) refuseEditCopies() error {
	p := c.edits
	ref := c.baseRef()
	for _, e := range p.edited {
		if e.Exported() && importable(e.Pkg()) {
			if fn, ok := e.(*types.Func); !ok || recvExported(fn) {
				return fmt.Errorf("%s: %s, edited since %s, is exported by %s, which other modules can import, and bump cannot version their uses: undo the edit and declare a new name for the new version, or move it to an internal package first",
					c.m.Position(e.Pos()), c.declName(e), ref, e.Pkg().Path())
			}
		}
	}
	if err := c.refuseSharedUsers(); err != nil {
		return err
	}
	for obj := range p.onPath {
		why := p.whyText(c, obj)
		switch obj := obj.(type) {
		case *types.Var:
			if writers := durable.WritersOf(c.m, obj); len(writers) > 0 {
				return fmt.Errorf("%s: %s would get a versioned copy (%s), but %s changes it outside its declaration, and the copy would not get those changes: undo the edit, or make %s a constant or a function",
					c.m.Position(obj.Pos()), c.declName(obj), why, c.declName(writers[0]), obj.Name())
			}
		case *types.Const:
			s, _ := c.m.SpecOf(obj)
			vs := s.Spec.(*ast.ValueSpec)
			if len(vs.Values) == 0 || usesIota(s.Pkg.TypesInfo, vs) {
				return fmt.Errorf("%s: %s would get a versioned copy (%s), but its value depends on its place in its const block (iota), which a copy cannot keep: undo the edit, or give it an explicit value",
					c.m.Position(obj.Pos()), c.declName(obj), why)
			}
		}
		if s, ok := c.m.SpecOf(obj); ok {
			if vs, ok := s.Spec.(*ast.ValueSpec); ok && len(vs.Names) > 1 {
				return fmt.Errorf("%s: %s would get a versioned copy (%s), but it is declared together with %s: declare it on its own first",
					c.m.Position(obj.Pos()), c.declName(obj), why, otherNames(vs, obj.Name()))
			}
		}
	}
	return nil
}

// refuseSharedUsers refuses an edited declaration that code bump does not
// version uses by name: a client, an entity, main, a function no
// orchestrator or activity reaches. Restoring the declaration would undo
// the edit there.
func (c *cloner) refuseSharedUsers() error {
	p := c.edits
	stop := func(fn *types.Func) bool {
		_, durable := c.functionNames(fn)
		return durable
	}
	versioned := map[types.Object]bool{}
	seen := map[*goapp.Handler]bool{}
	for name := range c.spec.Rename {
		r := c.spec.Registrations[name]
		if r == nil || r.Handler == nil || seen[r.Handler] || r.Handler.Func == nil && r.Handler.Lit == nil {
			continue
		}
		seen[r.Handler] = true
		if r.Handler.Func != nil {
			versioned[r.Handler.Func.Origin()] = true
		}
		if r.Handler.Var != nil {
			versioned[r.Handler.Var] = true
		}
		reach := durable.ReachUntil(c.m, r.Handler, stop, true)
		for _, fn := range reach.Funcs {
			versioned[fn] = true
		}
		for _, obj := range reach.Objects {
			versioned[obj] = true
		}
	}
	var users []types.Object
	for fn := range c.m.FuncDecls() {
		users = append(users, fn)
	}
	for obj := range c.m.SpecDecls() {
		users = append(users, obj)
	}
	sort.Slice(users, func(i, j int) bool {
		a, b := c.m.Fset.Position(users[i].Pos()), c.m.Fset.Position(users[j].Pos())
		return a.Filename < b.Filename || a.Filename == b.Filename && a.Offset < b.Offset
	})
	for _, u := range users {
		if versioned[u] || p.isEdited[u] {
			continue
		}
		if fn, ok := u.(*types.Func); ok {
			// A method of a type being copied is copied with it.
			if w, ok := p.onPath[fn]; ok && w.typeOf != nil {
				continue
			}
		}
		for _, r := range c.refsOf(u) {
			if !p.isEdited[r] {
				continue
			}
			return fmt.Errorf("%s: %s, edited since %s, is also used by %s (%s), which bump does not version, so giving it its %s content back would undo the edit there: undo the edit, or give %s code of its own",
				c.m.Position(r.Pos()), c.declName(r), c.baseRef(), c.declName(u), c.m.Position(u.Pos()), c.baseRef(), c.declName(u))
		}
	}
	return nil
}

// reachByName is what h reaches by name (calls and uses, in signatures
// too), stopping at durable handlers: the declarations a copy of h can be
// pointed at. It returns them in order and as a set.
func (c *cloner) reachByName(h *goapp.Handler) ([]types.Object, map[types.Object]bool) {
	var order []types.Object
	seen := map[types.Object]bool{}
	var root types.Object
	var nodes []ast.Node
	var info *types.Info
	if h.Pkg != nil {
		info = h.Pkg.TypesInfo
	}
	switch {
	case h.Decl != nil:
		root = h.Func.Origin()
		nodes = []ast.Node{h.Decl.Type, h.Decl.Body}
	case h.Lit != nil:
		nodes = []ast.Node{h.Lit}
		if h.Var != nil {
			root = h.Var
		}
	}
	if root != nil {
		seen[root] = true
	}
	queue := c.usesIn(info, nodes...)
	for len(queue) > 0 {
		obj := queue[0]
		queue = queue[1:]
		if seen[obj] {
			continue
		}
		seen[obj] = true
		order = append(order, obj)
		queue = append(queue, c.refsOf(obj)...)
	}
	return order, seen
}

// refsOf lists the module's declarations that obj's declaration names
// (functions, methods, package-level variables, constants and types),
// durable handlers aside. A method's receiver is not counted: a method
// comes with its type.
func (c *cloner) refsOf(obj types.Object) []types.Object {
	p := c.edits
	if r, ok := p.refs[obj]; ok {
		return r
	}
	var out []types.Object
	if fn, ok := obj.(*types.Func); ok {
		if d, ok := c.m.DeclOf(fn); ok && d.Pkg.TypesInfo != nil {
			out = c.usesIn(d.Pkg.TypesInfo, d.Decl.Type, d.Decl.Body)
		}
	} else if s, ok := c.m.SpecOf(obj); ok && s.Pkg.TypesInfo != nil {
		switch spec := s.Spec.(type) {
		case *ast.TypeSpec:
			out = c.usesIn(s.Pkg.TypesInfo, spec.TypeParams, spec.Type)
		case *ast.ValueSpec:
			nodes := []ast.Node{spec.Type}
			for i, v := range spec.Values {
				if len(spec.Values) != len(spec.Names) || spec.Names[i].Name == obj.Name() {
					nodes = append(nodes, v)
				}
			}
			out = c.usesIn(s.Pkg.TypesInfo, nodes...)
		}
	}
	p.refs[obj] = out
	return out
}

// usesIn lists the module declarations named in nodes, in order, once
// each, durable handlers aside.
func (c *cloner) usesIn(info *types.Info, nodes ...ast.Node) []types.Object {
	if info == nil {
		return nil
	}
	var out []types.Object
	seen := map[types.Object]bool{}
	for _, n := range nodes {
		if n == nil || isNilNode(n) {
			continue
		}
		ast.Inspect(n, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := info.Uses[id]
			switch o := obj.(type) {
			case nil:
				return true
			case *types.Func:
				obj = o.Origin()
				if _, ok := c.m.DeclOf(o); !ok {
					return true
				}
				if _, durable := c.functionNames(o); durable {
					return true
				}
			case *types.Var:
				if _, ok := c.m.SpecOf(o); !ok || c.edits.handlerVars[o] {
					return true
				}
			default:
				if _, ok := c.m.SpecOf(obj); !ok {
					return true
				}
			}
			if !seen[obj] {
				seen[obj] = true
				out = append(out, obj)
			}
			return true
		})
	}
	return out
}

// isNilNode reports whether n is a typed nil (a missing field list or
// body).
func isNilNode(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n == nil
	case *ast.FieldList:
		return n == nil
	case *ast.FuncType:
		return n == nil
	}
	return false
}

// whyText says why obj is copied, for the summary and messages:
// "edited since HEAD, reached by ProcessOrder; copied for
// ProcessOrder_v2".
func (p *editPlan) whyText(c *cloner, obj types.Object) string {
	w := p.onPath[obj]
	if w == nil {
		return ""
	}
	var by, copied []string
	for _, i := range w.clones {
		by = append(by, c.spec.Clones[i].Source.Name)
		copied = append(copied, c.spec.Clones[i].NewName)
	}
	var why string
	switch {
	case p.isEdited[obj]:
		why = "edited since " + c.baseRef()
		if len(by) > 0 {
			why += ", reached by " + joinAnd(by)
		}
	case w.typeOf != nil:
		why = "a method of " + c.declName(w.typeOf) + ", which is copied"
	default:
		// Follow the uses to the edited declaration.
		to := w.leadsTo
		for i := 0; i < 64 && !p.isEdited[to]; i++ {
			next := p.onPath[to]
			if next == nil || next.leadsTo == nil {
				break
			}
			to = next.leadsTo
		}
		from := "the new version"
		if len(by) > 0 {
			from = joinAnd(by)
		}
		why = "on the way from " + from + " to " + c.declName(to)
		if p.isEdited[to] {
			why += " (edited since " + c.baseRef() + ")"
		}
	}
	if len(copied) > 0 {
		why += "; copied for " + joinAnd(copied)
	}
	return why
}

// joinAnd joins names as a list: "A", "A and B", "A, B and C".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// baseRef names the base revision in messages.
func (c *cloner) baseRef() string {
	if c.spec.BaseRef == "" {
		return "HEAD"
	}
	return c.spec.BaseRef
}

// declName names a declaration for people: "orderTotal", "(Cart).Total",
// "pricing.Discount" (outside the main package).
func (c *cloner) declName(obj types.Object) string {
	name := obj.Name()
	if fn, ok := obj.(*types.Func); ok {
		if recv := goapp.RecvTypeName(fn); recv != "" {
			name = "(" + recv + ")." + name
		}
	}
	if obj.Pkg() != nil && obj.Pkg().Name() != "main" {
		return obj.Pkg().Name() + "." + name
	}
	return name
}

// viaPath is the path by which the full reach got to obj: "ProcessOrder
// -> (*fileStore).Save (implements Store.Save) -> total".
func viaPath(r *durable.Reach, obj types.Object, root string) string {
	var steps []string
	for i := 0; obj != nil && i < 64; i++ {
		v, ok := r.Via[obj]
		if !ok {
			break
		}
		steps = append(steps, v.Step)
		obj = v.From
	}
	steps = append(steps, root)
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	return strings.Join(steps, " -> ")
}

// importable reports whether other modules can import p: not a main
// package, and no internal element in its path.
func importable(p *types.Package) bool {
	if p == nil || p.Name() == "main" {
		return false
	}
	for _, elem := range strings.Split(p.Path(), "/") {
		if elem == "internal" {
			return false
		}
	}
	return true
}

// recvExported reports whether a method's receiver type is exported (a
// function counts as exported).
func recvExported(fn *types.Func) bool {
	r := goapp.RecvTypeName(fn)
	return r == "" || token.IsExported(r)
}

// usesIota reports whether a constant spec's values use iota.
func usesIota(info *types.Info, vs *ast.ValueSpec) bool {
	found := false
	for _, v := range vs.Values {
		ast.Inspect(v, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == "iota" {
				if obj := info.Uses[id]; obj != nil && obj.Pkg() == nil {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// otherNames lists the names of a spec other than name.
func otherNames(vs *ast.ValueSpec, name string) string {
	var out []string
	for _, n := range vs.Names {
		if n.Name != name {
			out = append(out, n.Name)
		}
	}
	return joinAnd(out)
}

// copyType copies a package-level type's declaration under its new name,
// with the names in it moved.
func (c *cloner) copyType(ef *editFile, obj *types.TypeName, p *dataPlan) (ast.Decl, dst.Decl, error) {
	d, ok := c.m.SpecOf(obj)
	ts, isType := d.Spec.(*ast.TypeSpec)
	if !ok || !isType {
		return nil, nil, fmt.Errorf("%s: cannot copy %s: its declaration was not found", c.m.Position(obj.Pos()), obj.Name())
	}
	orig, ok := ef.dstOf(ts).(*dst.TypeSpec)
	if !ok {
		return nil, nil, fmt.Errorf("%s: internal error: no decorated declaration for %s", c.m.Position(obj.Pos()), obj.Name())
	}
	clone := dst.Clone(orig).(*dst.TypeSpec)
	clone.Name.Name = p.name
	if err := c.rewriteRefs(ef, ts, orig, clone, p.in); err != nil {
		return nil, nil, err
	}
	var doc dst.Decorations
	if len(d.Decl.Specs) == 1 {
		doc = ef.dstOf(d.Decl).(*dst.GenDecl).Decs.Start
	} else {
		doc = clone.Decs.Start
	}
	clone.Decs.Before, clone.Decs.After = dst.None, dst.None
	clone.Decs.Start, clone.Decs.End = nil, nil
	decl := &dst.GenDecl{Tok: token.TYPE, Specs: []dst.Spec{clone}}
	decl.Decs.Start = renameLead(doc, obj.Name(), p.name)
	decl.Decs.Before = dst.EmptyLine
	decl.Decs.After = dst.EmptyLine
	return d.Decl, decl, nil
}

// restoreEdited gives every edited declaration its content at the base
// revision back, once the copies (which keep the edit) are declared.
func (c *cloner) restoreEdited() error {
	if c.edits == nil {
		return nil
	}
	type parsed struct {
		f   *ast.File
		dec *decorator.Decorator
	}
	files := map[string]*parsed{}
	for _, obj := range c.edits.edited {
		var node ast.Node
		var gen *ast.GenDecl
		if fn, ok := obj.(*types.Func); ok {
			d, _ := c.m.DeclOf(fn)
			node = d.Decl
		} else {
			s, _ := c.m.SpecOf(obj)
			node, gen = s.Spec, s.Decl
		}
		path := c.m.Fset.File(node.Pos()).Name()
		pf, ok := files[path]
		if !ok {
			src := bytes.ReplaceAll(c.spec.Base(path), []byte("\r\n"), []byte("\n"))
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				return fmt.Errorf("reading %s at %s: %w", c.m.DisplayFile(path), c.baseRef(), err)
			}
			dec := decorator.NewDecorator(fset)
			if _, err := dec.DecorateFile(f); err != nil {
				return fmt.Errorf("reading %s at %s: %w", c.m.DisplayFile(path), c.baseRef(), err)
			}
			pf = &parsed{f: f, dec: dec}
			files[path] = pf
		}
		bn := durable.BaseNode(pf.f, obj)
		if bn == nil {
			return fmt.Errorf("%s: internal error: %s is not in the file at %s", c.m.Position(obj.Pos()), c.declName(obj), c.baseRef())
		}
		restored := dst.Clone(pf.dec.Dst.Nodes[bn])
		ef, err := c.ed.file(node.Pos())
		if err != nil {
			return err
		}
		cur := ef.dstOf(node)
		rd, cd := restored.Decorations(), cur.Decorations()
		rd.Before, rd.After = cd.Before, cd.After
		if _, ok := cur.(*dst.FuncDecl); ok {
			rd.End = cd.End
			replaced := false
			for i, d := range ef.dst.Decls {
				if d == cur {
					ef.dst.Decls[i] = restored.(dst.Decl)
					replaced = true
				}
			}
			if !replaced {
				return fmt.Errorf("%s: internal error: the declaration of %s was not found in its file", c.m.Position(obj.Pos()), c.declName(obj))
			}
			continue
		}
		// A spec: its doc comment, when it stands alone, is the
		// declaration's and stays.
		if len(gen.Specs) == 1 && !gen.Lparen.IsValid() {
			rd.Start = cd.Start
		}
		g := ef.dstOf(gen).(*dst.GenDecl)
		replaced := false
		for i, s := range g.Specs {
			if s == cur {
				g.Specs[i] = restored.(dst.Spec)
				replaced = true
			}
		}
		if !replaced {
			return fmt.Errorf("%s: internal error: the declaration of %s was not found in its block", c.m.Position(obj.Pos()), c.declName(obj))
		}
	}
	return nil
}

// dataKind is the Reference.Kind of a reference moved to a versioned copy:
// "shared" for copies of edited shared code and of the code on the way to
// it, "data" for tables and helpers that name durable functions.
func (c *cloner) dataKind(obj types.Object) string {
	if fn, ok := obj.(*types.Func); ok {
		obj = fn.Origin()
	}
	if p, ok := c.data.names[obj]; ok && p.edit != nil {
		return "shared"
	}
	return "data"
}
