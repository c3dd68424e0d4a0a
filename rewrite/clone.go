package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"sort"
	"strconv"

	"github.com/dave/dst"
	"github.com/dave/dst/dstutil"

	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/manifest"
)

// CloneSpec says what a version bump clones in the Go code.
type CloneSpec struct {
	// Version is the new version.
	Version int
	// Clones are the functions to copy under their new names.
	Clones []Clone
	// Rename maps every durable name (folder and registered name, of any
	// version) of an orchestrator or activity to the name of its new
	// version: references inside the clones move by it.
	Rename map[string]string
	// Clients are the registrations of client functions, and
	// ClientRename maps every orchestrator name to the newest
	// orchestrator's: string literals naming an orchestrator in a client's
	// code (a fallback when the pointer setting is empty) move by it.
	Clients      []*goapp.Registration
	ClientRename map[string]string
	// Registrations are every function's registration, by function name:
	// a clone's reference to any version of a durable function's handler
	// moves to the handler of that function's new version.
	Registrations map[string]*goapp.Registration
	// Restore maps function names to the content, at the base revision, of
	// the file that declares their handler. A handler edited since then is
	// cloned as edited and restored to that content.
	Restore map[string][]byte
	// Base returns a file's content at the base revision (nil when the
	// file did not exist then); BaseRef names that revision. With Base
	// set, shared code the clones reach that was edited since then gets a
	// versioned copy holding the edit, and its base content back (see
	// copyedited.go).
	Base    func(path string) []byte
	BaseRef string
}

// Clone is one function to copy.
type Clone struct {
	Source        *manifest.Function
	Registration  *goapp.Registration
	NewName       string // the new function's name (folder)
	NewRegistered string // the new function's registered name
}

// Reference is one place in the Go code that a bump changed.
type Reference struct {
	// Pos is the position in the new content.
	Pos token.Position
	// From and To are the old and new text of the name.
	From, To string
	// Kind says what was changed: "handler" (a Go identifier resolving to a
	// handler), "string" (a string literal), "constant" (a reference to a
	// package-level string constant, moved to its versioned copy),
	// "route" (the name in a cloned registration), "fallback" (a
	// client's literal naming an orchestrator), "data" (a package-level
	// variable or function that names durable functions, moved to its
	// versioned copy).
	Kind string
	// In names the new function or client whose code holds the reference.
	In string
}

// CloneResult is what CloneFunctions did.
type CloneResult struct {
	Files      []FileEdit
	References []Reference
	// Constants are the versioned constants declared, as "name = value".
	Constants []string
	// Restored are the functions whose edited handler went into the new
	// version while the old version got its base revision back.
	Restored []string
	// Copies are the versioned copies of package-level variables and
	// functions that name durable functions, as "new (from old)"; Dynamic
	// are the durable calls in the clones whose targets could not be
	// resolved, left as they are (see clone_data.go).
	Copies  []string
	Dynamic []DynamicTarget
	// EditCopies are the versioned copies of shared code edited since the
	// base revision, and of the code on the way to it (copyedited.go).
	EditCopies []EditCopy
}

// CloneFunctions clones the handler and registration of every function of
// spec under its new name and rewrites the references inside the clones.
// It changes nothing on disk; the result holds each file's new content.
func CloneFunctions(m *goapp.Module, spec CloneSpec) (*CloneResult, error) {
	c := &cloner{
		m:         m,
		spec:      spec,
		ed:        newEditor(m),
		handlers:  map[*types.Func]string{},
		constants: map[*types.Const]*constPlan{},
		result:    &CloneResult{},
	}
	if err := c.planHandlerNames(); err != nil {
		return nil, err
	}
	if err := c.planEditCopies(); err != nil {
		return nil, err
	}
	for _, cl := range spec.Clones {
		if err := c.cloneFunction(cl); err != nil {
			return nil, err
		}
	}
	for _, r := range spec.Clients {
		if err := c.moveClientFallbacks(r); err != nil {
			return nil, err
		}
	}
	if err := c.declareData(); err != nil {
		return nil, err
	}
	if err := c.declareConstants(); err != nil {
		return nil, err
	}
	if err := c.restoreEdited(); err != nil {
		return nil, err
	}
	files, err := c.ed.printAll()
	if err != nil {
		return nil, err
	}
	c.result.Files = files
	c.result.Dynamic = c.dynamicTargets()
	for _, r := range c.refs {
		ref := r.ref
		ref.Pos = *r.pos
		ref.Pos.Filename = m.DisplayFile(ref.Pos.Filename)
		c.result.References = append(c.result.References, ref)
	}
	sort.SliceStable(c.result.References, func(i, j int) bool {
		a, b := c.result.References[i].Pos, c.result.References[j].Pos
		return a.Filename < b.Filename || a.Filename == b.Filename && a.Offset < b.Offset
	})
	return c.result, nil
}

type cloner struct {
	m    *goapp.Module
	spec CloneSpec
	ed   *editor
	// handlers maps each declared handler being cloned to its new Go name.
	handlers map[*types.Func]string
	// handlerRefs maps the handler of every version of every durable
	// function to the Go name of its new version's handler.
	handlerRefs map[*types.Func]string
	// constants are the versioned copies of package-level constants that
	// clones use; constOrder keeps the order of first use.
	constants  map[*types.Const]*constPlan
	constOrder []*types.Const
	// constByName indexes the planned copies by package and name.
	constByName map[string]*constPlan
	// clonedDecls are the handler declarations already cloned (one Go
	// function may serve several functions).
	clonedDecls map[*ast.FuncDecl]bool
	// varHandlers maps each package-level variable holding a handler
	// being cloned to its new name; varRefs maps every version's variable
	// to its new version's; clonedVars are the variables already cloned.
	// (See clonevar.go.)
	varHandlers map[*types.Var]string
	varRefs     map[*types.Var]string
	clonedVars  map[*types.Var]bool
	result      *CloneResult
	// refs are the references being collected, with positions to fill in
	// when the files are printed.
	refs []*pendingRef
	// skip is a subtree that rewriteRefs leaves alone.
	skip ast.Node
	// data are the versioned copies of tables and helpers (clone_data.go).
	data dataCopies
	// edits are the copies of edited shared code (copyedited.go).
	edits *editPlan
}

type pendingRef struct {
	ref Reference
	pos *token.Position
}

// versioned gives a Go name the new version's suffix: HelloCities ->
// HelloCities_v3, ProcessOrder_v2 -> ProcessOrder_v3.
func (c *cloner) versioned(name string) string {
	base, _ := manifest.ParseName(name)
	return base + "_v" + strconv.Itoa(c.spec.Version)
}

// planHandlerNames decides the new Go name of every declared handler and
// refuses names that are taken.
func (c *cloner) planHandlerNames() error {
	for _, cl := range c.spec.Clones {
		h := cl.Registration.Handler
		if h.Func == nil {
			continue
		}
		newName := c.versioned(h.GoName)
		if prev, ok := c.handlers[h.Func.Origin()]; ok && prev != newName {
			return fmt.Errorf("internal error: handler %s cloned as both %s and %s", h.Describe(), prev, newName)
		}
		if err := c.checkFree(h, newName); err != nil {
			return err
		}
		c.handlers[h.Func.Origin()] = newName
	}
	// Every version's handler moves to the handler of its new version.
	newGoName := map[string]string{}
	for _, cl := range c.spec.Clones {
		if h := cl.Registration.Handler; h.Func != nil {
			newGoName[cl.NewName] = c.handlers[h.Func.Origin()]
		}
	}
	c.handlerRefs = map[*types.Func]string{}
	for from, to := range c.spec.Rename {
		r, ok := c.spec.Registrations[from]
		if !ok || r.Handler.Func == nil {
			continue
		}
		if name, ok := newGoName[to]; ok {
			c.handlerRefs[r.Handler.Func.Origin()] = name
		}
	}
	return c.planVarNames()
}

// checkFree refuses a new Go name that the handler's package scope (or, for
// a method, its receiver's method set) already has.
func (c *cloner) checkFree(h *goapp.Handler, newName string) error {
	var obj types.Object
	if recv := h.Func.Signature().Recv(); recv != nil {
		obj, _, _ = types.LookupFieldOrMethod(recv.Type(), true, h.Func.Pkg(), newName)
	} else {
		obj = h.Func.Pkg().Scope().Lookup(newName)
	}
	if obj != nil {
		return fmt.Errorf("%s: cannot clone %s as %s: %s is already declared at %s; rename it or remove it",
			h.Pos, h.Describe(), newName, newName, c.m.Position(obj.Pos()))
	}
	recv := ""
	if h.Decl != nil && h.Decl.Recv != nil {
		recv = goapp.RecvName(h.Decl)
	}
	if pos, ok := testDecl(c.m, h.Pkg, recv, newName); ok {
		return fmt.Errorf("%s: cannot clone %s as %s: %s is already declared at %s; rename it or remove it",
			h.Pos, h.Describe(), newName, newName, pos)
	}
	return nil
}

func (c *cloner) cloneFunction(cl Clone) error {
	r := cl.Registration
	if err := c.checkCopyable(cl); err != nil {
		return err
	}
	if h := r.Handler; h.Decl != nil {
		if err := c.cloneDecl(cl, h); err != nil {
			return err
		}
	}
	if h := r.Handler; h.Var != nil {
		if err := c.cloneVar(cl, h); err != nil {
			return err
		}
	}
	return c.cloneRegistration(cl)
}

// cloneDecl copies a handler declaration under its new Go name, right
// after the original, and rewrites the references inside the copy.
func (c *cloner) cloneDecl(cl Clone, h *goapp.Handler) error {
	if c.clonedDecls == nil {
		c.clonedDecls = map[*ast.FuncDecl]bool{}
	}
	if c.clonedDecls[h.Decl] {
		return nil
	}
	c.clonedDecls[h.Decl] = true
	ef, err := c.ed.file(h.Decl.Pos())
	if err != nil {
		return err
	}
	orig, ok := ef.dstOf(h.Decl).(*dst.FuncDecl)
	if !ok {
		return fmt.Errorf("%s: internal error: no decorated declaration for %s", h.Pos, h.Describe())
	}
	clone := dst.Clone(orig).(*dst.FuncDecl)
	newName := c.handlers[h.Func.Origin()]
	clone.Name.Name = newName
	clone.Decs.Start = renameDoc(clone.Decs.Start, h.GoName, newName)
	clone.Decs.Before = dst.EmptyLine
	clone.Decs.After = dst.NewLine
	// A comment after the file's last declaration is kept in that
	// declaration's end decorations; it must not be copied.
	clone.Decs.End = nil
	if err := c.rewriteRefs(ef, h.Decl, orig, clone, cl.NewName); err != nil {
		return err
	}
	if err := insertDeclAfter(ef.dst, orig, clone); err != nil {
		return err
	}
	if src, ok := c.spec.Restore[cl.Source.Name]; ok {
		restored, err := c.restoreDecl(ef, h, orig, src)
		if err != nil {
			return err
		}
		if restored {
			c.result.Restored = append(c.result.Restored, cl.Source.Name)
		}
	}
	return nil
}

// insertDeclAfter splices decl into f's declarations right after after.
func insertDeclAfter(f *dst.File, after dst.Decl, decl dst.Decl) error {
	for i, d := range f.Decls {
		if d == after {
			f.Decls = slices.Insert(f.Decls, i+1, decl)
			return nil
		}
	}
	return fmt.Errorf("internal error: declaration not found in its file")
}

// directive matches the comment lines that must not be copied with a
// declaration: cgo exports and generate directives.
var directive = regexp.MustCompile(`^//(export |go:generate)`)

// renameDoc updates a cloned declaration's doc comment: the old Go name,
// as a whole word, becomes the new one; //export and //go:generate lines
// are dropped.
func renameDoc(doc dst.Decorations, oldName, newName string) dst.Decorations {
	word := regexp.MustCompile(`\b` + regexp.QuoteMeta(oldName) + `\b`)
	var out dst.Decorations
	for _, line := range doc {
		if directive.MatchString(line) {
			continue
		}
		out = append(out, word.ReplaceAllLiteralString(line, newName))
	}
	return out
}

// cloneRegistration copies the registration of a function next to the
// original, under the new function's name.
func (c *cloner) cloneRegistration(cl Clone) error {
	r := cl.Registration
	ef, err := c.ed.file(r.Node.Pos())
	if err != nil {
		return err
	}
	// The node to copy: the map entry or slice element itself, or the
	// statement holding the registration call.
	copyNode, err := registrationUnit(ef, r)
	if err != nil {
		return err
	}
	orig := ef.dstOf(copyNode)
	if orig == nil {
		return fmt.Errorf("%s: internal error: no decorated node for the registration of %s", r.Pos, r.Function)
	}
	clone := dst.Clone(orig)
	if r.NameExpr != nil {
		c.skip = r.NameExpr // renameKey renames it
	}
	err = c.rewriteRefs(ef, copyNode, orig, clone, cl.NewName)
	c.skip = nil
	if err != nil {
		return err
	}
	if r.NameExpr != nil {
		if err := c.renameKey(ef, cl, orig, clone); err != nil {
			return err
		}
	}
	if r.Via != nil {
		if err := c.inlineVia(ef, cl, orig, clone); err != nil {
			return err
		}
	}
	return insertAfter(ef, copyNode, orig, clone)
}

// inlineVia handles a registration that names its handler through a local
// variable: in the copy, the variable gives way to a copy of what it was
// set to, pointed at the new handler (h := MapActivity(Fn); {"/F", h}
// becomes {"/F_v2", MapActivity(Fn_v2)}).
func (c *cloner) inlineVia(ef *editFile, cl Clone, orig, clone dst.Node) error {
	r := cl.Registration
	target := correspondence(orig, clone)[ef.dstOf(r.Via)]
	initOrig := ef.dstOf(r.Init)
	if target == nil || initOrig == nil {
		return fmt.Errorf("%s: internal error: the handler variable of %s was not found in its copy", r.Pos, r.Function)
	}
	initClone := dst.Clone(initOrig)
	if err := c.rewriteRefs(ef, r.Init, initOrig, initClone, cl.NewName); err != nil {
		return err
	}
	initClone.Decorations().Before, initClone.Decorations().After = dst.None, dst.None
	replaced := false
	dstutil.Apply(clone, func(cur *dstutil.Cursor) bool {
		if cur.Node() == target {
			cur.Replace(initClone)
			replaced = true
			return false
		}
		return true
	}, nil)
	if !replaced {
		return fmt.Errorf("%s: cannot copy the registration of %s: its handler variable could not be replaced; copy it by hand", r.Pos, r.Function)
	}
	return nil
}

// registrationUnit finds the piece of code a registration is, to copy or
// remove it whole: a map entry, an element of a slice literal or an
// argument of a variadic call stands alone in its list; anything else is
// the statement that holds it.
func registrationUnit(ef *editFile, r *goapp.Registration) (ast.Node, error) {
	path := ef.ancestry(r.Node)
	var parent ast.Node
	if len(path) > 1 {
		parent = path[1]
	}
	switch r.Node.(type) {
	case *ast.KeyValueExpr:
		return r.Node, nil
	case *ast.CompositeLit:
		if p, ok := parent.(*ast.CompositeLit); ok && containsExpr(p.Elts, r.Node) {
			return r.Node, nil
		}
	case *ast.CallExpr:
		// One of several registrations passed to a variadic call
		// (errors.Join(r.AddOrchestratorN(...), ...)): copy it within the
		// argument list.
		if p, ok := parent.(*ast.CallExpr); ok && inVariadicArgs(r.Pkg.TypesInfo, p, r.Node) {
			return r.Node, nil
		}
	}
	for i, n := range path {
		stmt, ok := n.(ast.Stmt)
		if !ok || i+1 >= len(path) {
			continue
		}
		switch parent := path[i+1].(type) {
		case *ast.BlockStmt:
			if containsStmt(parent.List, stmt) {
				return stmt, nil
			}
		case *ast.CaseClause:
			if containsStmt(parent.Body, stmt) {
				return stmt, nil
			}
		case *ast.CommClause:
			if containsStmt(parent.Body, stmt) {
				return stmt, nil
			}
		}
	}
	return nil, fmt.Errorf("%s: the registration of %s is not inside a statement list, so dfversion cannot copy or remove it; do it by hand", r.Pos, r.Function)
}

// inVariadicArgs reports whether n is one of the arguments that call
// passes to its function's variadic parameter.
func inVariadicArgs(info *types.Info, call *ast.CallExpr, n ast.Node) bool {
	if info == nil || call.Ellipsis.IsValid() {
		return false
	}
	sig, ok := info.TypeOf(call.Fun).Underlying().(*types.Signature)
	if !ok || !sig.Variadic() {
		return false
	}
	for i, a := range call.Args {
		if a == n {
			return i >= sig.Params().Len()-1
		}
	}
	return false
}

func containsExpr(list []ast.Expr, n ast.Node) bool {
	for _, e := range list {
		if e == n {
			return true
		}
	}
	return false
}

func containsStmt(list []ast.Stmt, n ast.Node) bool {
	for _, s := range list {
		if s == n {
			return true
		}
	}
	return false
}

// insertAfter puts clone right after orig in the list that holds orig.
func insertAfter(ef *editFile, origAst ast.Node, orig, clone dst.Node) error {
	var parent ast.Node
	if path := ef.ancestry(origAst); len(path) > 1 {
		parent = path[1]
	}
	switch p := ef.dstOf(parent).(type) {
	case *dst.BlockStmt:
		p.List = insertStmt(p.List, orig, clone)
	case *dst.CaseClause:
		p.Body = insertStmt(p.Body, orig, clone)
	case *dst.CommClause:
		p.Body = insertStmt(p.Body, orig, clone)
	case *dst.CallExpr:
		p.Args = insertExpr(p.Args, orig, clone)
	case *dst.CompositeLit:
		p.Elts = insertExpr(p.Elts, orig, clone)
	default:
		return fmt.Errorf("internal error: cannot insert into %T", p)
	}
	return nil
}

// insertExpr puts clone right after orig in an expression list, keeping
// its layout: in a one-line list the copy stays on the line; in a
// multi-line one it goes right under the original, and a blank line that
// followed the original now follows the copy.
func insertExpr(list []dst.Expr, orig, clone dst.Node) []dst.Expr {
	for i, e := range list {
		if e == orig {
			ce := clone.(dst.Expr)
			d, cd := e.Decorations(), ce.Decorations()
			cd.Start, cd.End = nil, nil
			cd.After = d.After
			cd.Before = dst.None
			if d.Before != dst.None || d.After != dst.None {
				cd.Before = dst.NewLine
			}
			if d.After == dst.EmptyLine {
				d.After = dst.NewLine
			}
			return slices.Insert(list, i+1, ce)
		}
	}
	return list
}

func insertStmt(list []dst.Stmt, orig, clone dst.Node) []dst.Stmt {
	for i, s := range list {
		if s == orig {
			cs := clone.(dst.Stmt)
			// The copy goes right under the original; a blank line that
			// followed the original now follows the copy.
			cs.Decorations().Before = dst.NewLine
			cs.Decorations().After = s.Decorations().After
			if s.Decorations().After == dst.EmptyLine {
				s.Decorations().After = dst.NewLine
			}
			cs.Decorations().Start = nil // a comment above the original stays with it
			cs.Decorations().End = nil   // so does one after it
			return slices.Insert(list, i+1, cs)
		}
	}
	return list
}
