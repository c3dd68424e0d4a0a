// Package analyzer is dfversion's determinism check as a go/analysis
// analyzer, for go vet (cmd/dfversion-vet), golangci-lint and any other
// go/analysis driver.
//
// It reports, in code a durable orchestrator reaches, the hazards that
// `dfversion check` reports (the rules of package hazard, which both use),
// each with the path that reaches it:
//
//	main.go:23:9: time.Now is not deterministic: read the time from ctx.CurrentTimeUtc (HelloCities -> buildGreeting -> time.Now) [nondeterministic-time]
//
// A driver shows the analyzer one package at a time, without the app's
// function.json files, so the analyzer finds orchestrators the way Go code
// shows them:
//
//   - a function or func literal whose first parameter is (a pointer to) a
//     type named OrchestrationContext, whatever SDK declares it;
//   - a function or func literal of the package registered as an
//     orchestrator there: passed to a call named like a registration of one
//     (AddOrchestrator, AddOrchestratorN, MapOrchestrator,
//     RegisterOrchestrator), or to a parameter of a type named
//     Orchestrator. Its first parameter's type is the orchestration context.
//
// From an orchestrator it walks, breadth first, the functions of the
// package that are called on the way, as check walks the module. A function
// of another package of the same module is not walked again: every
// exported function and method that reaches a hazard carries a Reaches
// fact (its rule, the rest of the path and where the hazard is), so a call
// of it is reported at the call, naming the path through the other
// package:
//
//	main.go:30:12: os.WriteFile does file I/O, ... (Save -> (*helpers.Store).Save -> os.WriteFile, in example.com/app/helpers/helpers.go:17:9) [io]
//
// Code of other modules and of the standard library is not followed, nor
// are the methods of the orchestration context. //dfversion:ignore
// directives silence hazards exactly as they do for check: on the hazard's
// line, alone on the line above, or in the doc comment of the function that
// holds the hazard; a directive without a reason, or naming an unknown rule,
// silences nothing and is reported with the rule ignore-directive.
//
// What the analyzer cannot see, it does not guess: an orchestrator that only
// function.json makes one (a handler with another first parameter,
// registered in another package) is not a root here; check finds it.
package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/dfversion/dfversion/hazard"
	"golang.org/x/tools/go/analysis"
)

// Analyzer reports determinism hazards in code a durable orchestrator
// reaches. Each diagnostic's Category is its rule id.
var Analyzer = &analysis.Analyzer{
	Name:      "dfversion",
	Doc:       doc,
	URL:       "https://github.com/dfversion/dfversion#go-vet-and-golangci-lint",
	Run:       run,
	FactTypes: []analysis.Fact{new(Reaches)},
}

const doc = `report determinism hazards in code a durable orchestrator reaches

The dfversion analyzer reports what makes the replay of an Azure Durable
Functions orchestrator diverge (the clock, random numbers, goroutines,
channels, ranging over maps, the environment, I/O) in code an orchestrator
reaches, with the path that reaches it. An orchestrator is a function whose
first parameter is (a pointer to) a type named OrchestrationContext, or one
registered as an orchestrator in its package. Silence a hazard with
//dfversion:ignore <rule> <reason> on its line, the line above, or the doc
comment of the function that holds it.`

// Reaches is the fact that a function reaches determinism hazards, each
// once, with the shortest path from the function.
type Reaches struct {
	// Module is the module path of the function's package ("" outside a
	// module): calls from other modules are not followed, as check follows
	// no code outside the app's module.
	Module string
	// Hazards are the hazards the function reaches, in the order met.
	Hazards []Reached
}

// Reached is one hazard a function reaches.
type Reached struct {
	// Rule is the hazard's rule id.
	Rule string
	// Path is the rest of the path, after the function: the functions
	// called on the way, qualified by package ("helpers.stamp"), then the
	// offending callee or construct ("time.Now").
	Path []string
	// Pos is where the hazard is: the package path joined with the file's
	// base name, then line and column
	// ("example.com/app/helpers/helpers.go:17:9").
	Pos string
	// Message says what is wrong and what to do instead.
	Message string
}

// AFact marks Reaches as a fact.
func (*Reaches) AFact() {}

// String lists the hazards with their paths:
// "reaches io: os.WriteFile; nondeterministic-time: helpers.stamp -> time.Now".
func (r *Reaches) String() string {
	parts := make([]string, len(r.Hazards))
	for i, h := range r.Hazards {
		parts[i] = h.Rule + ": " + strings.Join(h.Path, " -> ")
	}
	return "reaches " + strings.Join(parts, "; ")
}

// unit is a function body the analyzer walks: a function declaration, or a
// func literal that is an orchestrator.
type unit struct {
	node  ast.Node      // *ast.FuncDecl or *ast.FuncLit
	decl  *ast.FuncDecl // nil for a func literal
	body  *ast.BlockStmt
	file  *ast.File
	items []item // what the body holds, in the order check meets it
}

// item is a hazard in a unit, or a function it hands control to.
type item struct {
	found *hazard.Found     // a hazard, not silenced
	bad   *hazard.Directive // a malformed directive
	local *types.Func       // a function of the package
	ext   *types.Func       // a function of another package with a Reaches fact
	at    ast.Node          // the call of ext
}

// root is an orchestrator of the package.
type root struct {
	name string
	unit *unit
	fn   *types.Func // nil for a func literal
}

// walker is one run of the analyzer, on one package.
type walker struct {
	pass    *analysis.Pass
	module  string
	units   map[*types.Func]*unit
	lits    map[*ast.FuncLit]*unit
	ctxs    []types.Type // orchestration contexts of the package's roots
	dirs    map[*token.File]hazard.Directives
	facts   map[*types.Func]*Reaches // imported, by origin
	noFacts map[*types.Func]bool
}

func run(pass *analysis.Pass) (any, error) {
	a := &walker{
		pass:    pass,
		units:   map[*types.Func]*unit{},
		lits:    map[*ast.FuncLit]*unit{},
		dirs:    map[*token.File]hazard.Directives{},
		facts:   map[*types.Func]*Reaches{},
		noFacts: map[*types.Func]bool{},
	}
	if pass.Module != nil {
		a.module = pass.Module.Path
	}
	if a.module == "std" || a.module == "" && hazard.IsStdlib(pass.Pkg.Path()) {
		return nil, nil // the standard library: classified, never walked
	}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			decl, ok := d.(*ast.FuncDecl)
			if !ok || decl.Body == nil {
				continue
			}
			if fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func); ok {
				a.units[fn] = &unit{node: decl, decl: decl, body: decl.Body, file: f}
			}
		}
	}
	roots := a.roots()
	for _, r := range roots {
		if ctx := hazard.ContextType(a.signature(r)); ctx != nil {
			a.ctxs = append(a.ctxs, ctx)
		}
	}
	for _, u := range a.units {
		a.scan(u)
	}
	for _, u := range a.lits {
		a.scan(u)
	}
	a.exportFacts()
	a.report(roots)
	return nil, nil
}

// signature is a root's signature.
func (a *walker) signature(r root) *types.Signature {
	if r.fn != nil {
		return r.fn.Signature()
	}
	sig, _ := a.pass.TypesInfo.TypeOf(r.unit.node.(*ast.FuncLit)).(*types.Signature)
	return sig
}

// isContext reports whether a named type is an orchestration context: one
// named OrchestrationContext, or the first parameter's type of an
// orchestrator of the package.
func (a *walker) isContext(t types.Type) bool {
	if hazard.IsOrchestrationContext(t) {
		return true
	}
	for _, c := range a.ctxs {
		if types.Identical(t, c) {
			return true
		}
	}
	return false
}

// roots finds the package's orchestrators, sorted by name, then position.
func (a *walker) roots() []root {
	info := a.pass.TypesInfo
	var out []root
	seenFn := map[*types.Func]bool{}
	seenLit := map[*ast.FuncLit]bool{}
	addFn := func(fn *types.Func) {
		if fn = fn.Origin(); seenFn[fn] || a.units[fn] == nil {
			return
		}
		seenFn[fn] = true
		out = append(out, root{name: hazard.FuncName(fn, a.pass.Pkg), unit: a.units[fn], fn: fn})
	}
	addLit := func(lit *ast.FuncLit, f *ast.File, stack []ast.Node) {
		if seenLit[lit] {
			return
		}
		seenLit[lit] = true
		u := &unit{node: lit, body: lit.Body, file: f}
		a.lits[lit] = u
		out = append(out, root{name: litName(lit, stack), unit: u})
	}
	for fn := range a.units {
		if params := fn.Signature().Params(); params.Len() > 0 && hazard.IsOrchestrationContext(params.At(0).Type()) {
			addFn(fn)
		}
	}
	for _, f := range a.pass.Files {
		ast.PreorderStack(f, nil, func(n ast.Node, stack []ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				if sig, ok := info.TypeOf(n).(*types.Signature); ok && sig.Params().Len() > 0 && hazard.IsOrchestrationContext(sig.Params().At(0).Type()) {
					addLit(n, f, stack)
				}
			case *ast.CallExpr:
				for _, arg := range registeredOrchestrators(info, n) {
					switch arg := ast.Unparen(arg).(type) {
					case *ast.FuncLit:
						addLit(arg, f, append(stack, n))
					default:
						if fn := hazard.FuncOf(info, hazard.CalleeExpr(arg)); fn != nil {
							addFn(fn)
						}
					}
				}
			}
			return true
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].name != out[j].name {
			return out[i].name < out[j].name
		}
		return out[i].unit.node.Pos() < out[j].unit.node.Pos()
	})
	return out
}

// registeredOrchestrators returns the arguments of a call that registers
// them as orchestrators: every argument of a call named like a registration
// of one (AddOrchestrator, MapOrchestrator; not CallSubOrchestrator, which
// runs one), and an argument for a parameter of a type named Orchestrator.
func registeredOrchestrators(info *types.Info, call *ast.CallExpr) []ast.Expr {
	name := ""
	switch f := hazard.CalleeExpr(call.Fun).(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	}
	if strings.Contains(name, "Orchestrator") && !strings.HasPrefix(name, "Call") {
		return call.Args
	}
	sig, ok := info.TypeOf(call.Fun).(*types.Signature)
	if !ok {
		return nil
	}
	var out []ast.Expr
	for i, arg := range call.Args {
		var t types.Type
		switch {
		case sig.Variadic() && i >= sig.Params().Len()-1:
			if s, ok := sig.Params().At(sig.Params().Len() - 1).Type().(*types.Slice); ok && !call.Ellipsis.IsValid() {
				t = s.Elem()
			}
		case i < sig.Params().Len():
			t = sig.Params().At(i).Type()
		}
		if n, ok := t.(*types.Named); ok && n.Obj().Name() == "Orchestrator" {
			out = append(out, arg)
		}
	}
	return out
}

// litName names an orchestrator written as a func literal: the variable it
// is assigned to, or the name a registration gives it; "func literal"
// otherwise.
func litName(lit *ast.FuncLit, stack []ast.Node) string {
	if len(stack) == 0 {
		return "func literal"
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.ValueSpec:
		for i, v := range p.Values {
			if v == lit && i < len(p.Names) {
				return p.Names[i].Name
			}
		}
	case *ast.AssignStmt:
		for i, v := range p.Rhs {
			if id, ok := p.Lhs[min(i, len(p.Lhs)-1)].(*ast.Ident); ok && v == lit {
				return id.Name
			}
		}
	case *ast.CallExpr:
		for _, arg := range p.Args {
			if b, ok := arg.(*ast.BasicLit); ok && b.Kind == token.STRING {
				if s, err := strconv.Unquote(b.Value); err == nil && s != "" {
					return s
				}
			}
		}
	}
	return "func literal"
}

// scan records what a unit's body holds, in the order check meets it: its
// malformed directives, then its hazards and calls in source order.
func (a *walker) scan(u *unit) {
	start := u.node.Pos()
	if u.decl != nil && u.decl.Doc != nil {
		start = u.decl.Doc.Pos()
	}
	for _, d := range hazard.Malformed(u.file, start, u.node.End()) {
		u.items = append(u.items, item{bad: d})
	}
	s := hazard.Scanner{
		Info:      a.pass.TypesInfo,
		IsContext: a.isContext,
		Found: func(f hazard.Found) {
			if !a.silenced(u, f.Rule, f.Node.Pos()) {
				u.items = append(u.items, item{found: &f})
			}
		},
		Follow: func(fn *types.Func, at ast.Node) bool {
			fn = fn.Origin()
			if a.units[fn] != nil {
				u.items = append(u.items, item{local: fn})
				return true
			}
			if a.fact(fn) != nil {
				u.items = append(u.items, item{ext: fn, at: at})
				return true
			}
			// A function of the module without hazards: not walked, and,
			// as for check, not a standard-library function either.
			return a.inModule(fn.Pkg())
		},
	}
	s.Scan(u.body)
}

// fact returns the Reaches fact of a function of another package of the
// module, or nil.
func (a *walker) fact(fn *types.Func) *Reaches {
	if r, ok := a.facts[fn]; ok {
		return r
	}
	if a.noFacts[fn] || fn.Pkg() == nil || fn.Pkg() == a.pass.Pkg {
		return nil
	}
	r := new(Reaches)
	if !a.pass.ImportObjectFact(fn, r) || r.Module != a.module {
		a.noFacts[fn] = true
		return nil
	}
	a.facts[fn] = r
	return r
}

// inModule reports whether p is a package of the module being analyzed.
func (a *walker) inModule(p *types.Package) bool {
	if p == nil || a.module == "" {
		return false
	}
	return p.Path() == a.module || strings.HasPrefix(p.Path(), a.module+"/")
}

// silenced reports whether a directive silences a hazard of rule at pos in
// u, as check decides it.
func (a *walker) silenced(u *unit, rule string, pos token.Pos) bool {
	var doc *ast.CommentGroup
	if u.decl != nil {
		doc = u.decl.Doc
	}
	tf := a.pass.Fset.File(pos)
	if tf == nil {
		return hazard.Silenced(doc, nil, 0, rule)
	}
	lines, ok := a.dirs[tf]
	if !ok {
		lines = hazard.FileDirectives(tf, u.file, func() []byte {
			if a.pass.ReadFile == nil {
				return nil
			}
			src, err := a.pass.ReadFile(tf.Name())
			if err != nil {
				return nil
			}
			return src
		})
		a.dirs[tf] = lines
	}
	return hazard.Silenced(doc, lines, tf.Line(pos), rule)
}

// reached is a hazard met on a walk.
type reached struct {
	Reached
	node ast.Node  // where to report it: the hazard, or the call that leaves the package
	end  token.Pos // the end of that span
}

// walk visits, breadth first from u, every hazard u reaches, once, with the
// shortest path (start, then the functions on the way, then what). A
// hazard of another package is visited at the call that leaves the
// package. Names of functions of package rel go unqualified in paths.
func (a *walker) walk(u *unit, self *types.Func, rel *types.Package, start []string, visit func(reached)) {
	type work struct {
		u    *unit
		ext  *types.Func
		at   ast.Node
		path []string
	}
	queue := []work{{u: u, path: start}}
	followed := map[*types.Func]bool{}
	if self != nil {
		followed[self] = true
	}
	seen := map[string]bool{}
	emit := func(r reached) {
		key := r.Rule + "\x00" + r.Pos
		if !seen[key] {
			seen[key] = true
			visit(r)
		}
	}
	with := func(path []string, more ...string) []string {
		return append(append([]string(nil), path...), more...)
	}
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		if w.ext != nil {
			for _, h := range a.fact(w.ext).Hazards {
				emit(reached{Reached{h.Rule, with(w.path, h.Path...), h.Pos, h.Message}, w.at, w.at.End()})
			}
			continue
		}
		for _, it := range w.u.items {
			switch {
			case it.bad != nil:
				c := it.bad.Comment
				emit(reached{Reached{hazard.RuleIgnoreDirective, with(w.path, hazard.IgnoreDirective), a.position(c.Pos()), it.bad.Problem}, c, c.End()})
			case it.found != nil:
				f := it.found
				emit(reached{Reached{f.Rule, with(w.path, f.What), a.position(f.Node.Pos()), f.Message}, f.Node, f.End})
			case it.local != nil || it.ext != nil:
				fn := it.local
				if fn == nil {
					fn = it.ext
				}
				if followed[fn] {
					continue
				}
				followed[fn] = true
				queue = append(queue, work{u: a.units[fn], ext: it.ext, at: it.at, path: with(w.path, hazard.FuncName(fn, rel))})
			}
		}
	}
}

// position is where pos is, as facts carry it: the package path joined
// with the file's base name, line and column.
func (a *walker) position(pos token.Pos) string {
	p := a.pass.Fset.Position(pos)
	return path.Join(a.pass.Pkg.Path(), path.Base(strings.ReplaceAll(p.Filename, "\\", "/"))) +
		":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
}

// exportFacts gives every function and method that code of other packages
// can call, and that reaches a hazard, its Reaches fact. Its path names
// every function with its package, as the importing package writes it. No
// package imports a main package: its functions get none.
func (a *walker) exportFacts() {
	if a.pass.Pkg.Name() == "main" {
		return
	}
	for fn, u := range a.units {
		if !fn.Exported() && fn.Signature().Recv() == nil {
			continue
		}
		var hs []Reached
		a.walk(u, fn, nil, nil, func(r reached) { hs = append(hs, r.Reached) })
		if len(hs) > 0 {
			a.pass.ExportObjectFact(fn, &Reaches{Module: a.module, Hazards: hs})
		}
	}
}

// report reports the hazards the package's orchestrators reach, each once,
// for the first orchestrator by name that reaches it, in the order of
// their positions.
func (a *walker) report(roots []root) {
	done := map[string]bool{}
	var out []analysis.Diagnostic
	for _, r := range roots {
		a.walk(r.unit, r.fn, a.pass.Pkg, []string{r.name}, func(h reached) {
			key := h.Rule + "\x00" + h.Pos
			if done[key] {
				return
			}
			done[key] = true
			where := ""
			if h.node.Pos() != 0 && a.position(h.node.Pos()) != h.Pos {
				where = ", in " + h.Pos
			}
			out = append(out, analysis.Diagnostic{
				Pos:      h.node.Pos(),
				End:      h.end,
				Category: h.Rule,
				Message:  h.Message + " (" + strings.Join(h.Path, " -> ") + where + ") [" + h.Rule + "]",
			})
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	for _, d := range out {
		a.pass.Report(d)
	}
}
