package goapp

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"github.com/dfversion/dfversion/hazard"

	"golang.org/x/tools/go/packages"

	"github.com/dfversion/dfversion/manifest"
)

// Registration is the place in the Go code that binds a function's name to
// its handler: a call (http.HandleFunc("/Name", h), r.AddOrchestratorN("Name",
// fn)), an entry of a map literal of name to handler, or a struct literal
// pairing the two.
type Registration struct {
	// Function is the name (folder) of the function registered.
	Function string
	// Key is the string that names the function ("/HelloCities",
	// "HelloCities", "/api/HttpStart"); "" when the name is the handler's Go
	// name, taken by reflection (r.AddOrchestrator(HelloCities)).
	Key string
	// Node is the call, map entry or composite literal; Pos is its position.
	Node ast.Node
	Pos  token.Position
	// NameExpr is the expression that gives Key (nil for reflection).
	NameExpr ast.Expr
	Handler  *Handler
	Pkg      *packages.Package
	// Via is set when the registration names its handler through a local
	// variable (h := MapActivity(Fn); ...{"/Name", h}): Via is that use of
	// the variable and Init the expression the variable was set to.
	Via  *ast.Ident
	Init ast.Expr
}

// Discovery is what the Go code says about an app's functions.
type Discovery struct {
	// Main is the handler's main package.
	Main *packages.Package
	// Registrations maps function names to their registrations.
	Registrations map[string]*Registration
	// Orphans are registrations of durable handlers under names that no
	// function folder has.
	Orphans []Orphan
	// Unfollowed are the registrations, by function name, whose handler
	// value could not be followed to code (see trace.go), for functions
	// that no other registration serves.
	Unfollowed map[string]*Unfollowed
}

// Orphan is a durable handler registered under a name no function has.
type Orphan struct {
	Key     string // the name or route registered
	Pos     token.Position
	Handler *Handler
}

// Discover finds the registration and handler of every function of app in
// the module. When the module has several main packages, the one whose
// registrations serve the most functions is chosen; mainDir, when not "",
// names the main package's directory instead.
func (m *Module) Discover(app *manifest.App, mainDir string) (*Discovery, error) {
	mains := m.MainPackages()
	if mainDir != "" {
		abs, err := filepath.Abs(mainDir)
		if err != nil {
			return nil, fmt.Errorf("finding the main package: %w", err)
		}
		mains = filterByDir(mains, abs)
	}
	if len(mains) == 0 {
		return nil, fmt.Errorf("%s: no main package: a custom handler is a Go program (package main)", m.Dir)
	}
	keys := nameKeys(app)
	var best *Discovery
	tie := false
	for _, p := range mains {
		d, err := m.discoverFrom(p, keys)
		if err != nil {
			return nil, err
		}
		switch {
		case best == nil || len(d.Registrations) > len(best.Registrations):
			best, tie = d, false
		case len(d.Registrations) == len(best.Registrations):
			tie = true
		}
	}
	if tie {
		var dirs []string
		for _, p := range mains {
			dirs = append(dirs, m.pkgDir(p))
		}
		return nil, fmt.Errorf("%d main packages (%s) register the app's functions equally well; name the handler's with --module", len(mains), strings.Join(dirs, ", "))
	}
	return best, nil
}

func filterByDir(pkgs []*packages.Package, absDir string) []*packages.Package {
	var out []*packages.Package
	for _, p := range pkgs {
		if len(p.GoFiles) > 0 && filepath.Dir(p.GoFiles[0]) == absDir {
			out = append(out, p)
		}
	}
	return out
}

// pkgDir is a package's directory as the user would write it.
func (m *Module) pkgDir(p *packages.Package) string {
	if len(p.GoFiles) == 0 {
		return p.PkgPath
	}
	return filepath.Dir(m.Position(p.Syntax[0].Package).Filename)
}

// nameKeys maps every string that can name a function in a registration to
// that function's name: the bare name and registered name (the SDK's
// AddOrchestratorN("Name", fn) shape), the route "/Name" the host POSTs to,
// and, for HTTP-triggered functions when forwarding is on, the HTTP route
// ("/api/<route>", and for a route template its fixed prefix).
func nameKeys(app *manifest.App) map[string]string {
	keys := map[string]string{}
	for _, f := range app.Functions {
		keys[f.Name] = f.Name
		keys[f.RegisteredName] = f.Name
		keys["/"+f.Name] = f.Name
	}
	if !app.Host.Forwarding() {
		return keys
	}
	for _, f := range app.Functions {
		route, ok := f.HTTPRoute()
		if !ok {
			continue
		}
		p := app.Host.HTTPPath(strings.TrimPrefix(route, "/"))
		keys[p] = f.Name
		if i := strings.IndexByte(p, '{'); i > 0 {
			keys[p[:i]] = f.Name
		}
	}
	return keys
}

// lookupKey finds the function a registration string names. It accepts the
// method and host prefixes of net/http patterns ("POST /Name").
func lookupKey(keys map[string]string, s string) (string, bool) {
	if name, ok := keys[s]; ok {
		return name, true
	}
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		s = strings.TrimSpace(s[i+1:])
	}
	if i := strings.IndexByte(s, '/'); i > 0 {
		s = s[i:] // a host before the path
	}
	name, ok := keys[s]
	return name, ok
}

// discoverFrom finds the registrations in main and the module packages it
// imports.
func (m *Module) discoverFrom(main *packages.Package, keys map[string]string) (*Discovery, error) {
	d := &Discovery{Main: main, Registrations: map[string]*Registration{}, Unfollowed: map[string]*Unfollowed{}}
	for _, p := range m.closure(main) {
		s := &regScanner{m: m, pkg: p, keys: keys, found: d.Registrations, unfollowedRegs: d.Unfollowed}
		for _, f := range p.Syntax {
			ast.Inspect(f, s.visit)
			if s.err != nil {
				return nil, s.err
			}
		}
		d.Orphans = append(d.Orphans, s.orphans...)
	}
	for name := range d.Unfollowed {
		if _, served := d.Registrations[name]; served {
			delete(d.Unfollowed, name)
		}
	}
	return d, nil
}

// regScanner looks for registrations in one package.
type regScanner struct {
	m       *Module
	pkg     *packages.Package
	keys    map[string]string
	found   map[string]*Registration
	orphans []Orphan
	err     error
	// unfollowedRegs collects the registrations whose handler could not
	// be followed; fail is the reason for the one being read, and depth
	// how many variables and factories deep the value is followed.
	unfollowedRegs map[string]*Unfollowed
	fail           *traceFailure
	depth          int
}

func (s *regScanner) visit(n ast.Node) bool {
	if s.err != nil {
		return false
	}
	switch n := n.(type) {
	case *ast.CallExpr:
		if s.call(n) {
			return false // the handler expression is not a registration of its own
		}
	case *ast.CompositeLit:
		s.composite(n)
	}
	return true
}

// call records a call that pairs a function's name with its handler, or
// that registers a handler under its Go name.
func (s *regScanner) call(call *ast.CallExpr) bool {
	if name, key, arg, ok := s.nameArg(call.Args); ok {
		// The handler is the argument that resolves to module code, before
		// one outside the module; a router (the mux a helper takes first)
		// is never the handler.
		s.fail = nil
		var best *resolved
		for _, a := range call.Args {
			if a == arg || s.isRouterValue(a) {
				continue
			}
			if h := s.handler(a, name); h != nil && (best == nil || best.h.External && !h.h.External) {
				best = h
			}
		}
		if best != nil {
			s.record(name, key, arg, call, best)
			return true
		}
		if s.fail != nil {
			s.unfollowed(name, call)
			return true
		}
		return false
	}
	if registers(call) && s.orphan(call.Args, call) {
		return true
	}
	if !registersByName(call) {
		return false
	}
	for _, a := range call.Args {
		h := s.handler(a, "")
		if h == nil || h.h.GoName == "" {
			continue
		}
		if name, ok := s.keys[h.h.GoName]; ok {
			s.record(name, "", nil, call, h)
			return true
		}
	}
	return false
}

// orphan records a registration of a durable handler (an orchestrator,
// activity or entity, by its context parameter) under a constant name
// that no function folder has: the host would never call it, and the
// folder it needs is missing.
func (s *regScanner) orphan(args []ast.Expr, node ast.Node) bool {
	for _, a := range args {
		str, ok := ConstString(s.pkg.TypesInfo, a)
		if !ok || !looksLikeFunctionKey(str) {
			continue
		}
		for _, b := range args {
			if b == a {
				continue
			}
			if r := s.handler(b, ""); r != nil && s.isDurableHandler(r.h) {
				s.orphans = append(s.orphans, Orphan{Key: str, Pos: s.m.Position(node.Pos()), Handler: r.h})
				return true
			}
		}
	}
	return false
}

// looksLikeFunctionKey reports whether a registration string could name a
// function: "/Name" or "Name", with a valid function name.
func looksLikeFunctionKey(s string) bool {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimPrefix(s, "/")
	return manifest.ValidName(s)
}

// isDurableHandler reports whether a handler's first parameter is an
// orchestration, activity or entity context, whatever SDK declares it.
func (s *regScanner) isDurableHandler(h *Handler) bool {
	var sig *types.Signature
	switch {
	case h.Func != nil:
		sig = h.Func.Signature()
	case h.Lit != nil && h.Pkg.TypesInfo != nil:
		sig, _ = h.Pkg.TypesInfo.TypeOf(h.Lit).(*types.Signature)
	}
	return sig != nil && isDurableSignature(sig)
}

// registers reports whether a call's function looks like one that
// registers a handler under a name: Handle, HandleFunc, Add...,
// Register... (a durable call such as CallActivity(fn, "input") pairs a
// string with a handler too, but registers nothing).
func registers(call *ast.CallExpr) bool {
	name := calledName(call)
	return name == "Handle" || name == "HandleFunc" || strings.HasPrefix(name, "Add") || strings.HasPrefix(name, "Register")
}

// calledName is the name of the function or method a call calls, as
// written ("" for a call of anything else, such as a func literal).
func calledName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// registersByName reports whether a call's function looks like a
// registration that takes the name by reflection: AddOrchestrator(fn),
// RegisterActivity(fn), MapOrchestrator(fn), Handle(fn). Calls such as
// CallActivity(fn) name a function without registering it.
func registersByName(call *ast.CallExpr) bool {
	name := calledName(call)
	for _, prefix := range []string{"Add", "Register", "Map", "Handle"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// composite records map entries ("Name": handler) and struct literals that
// pair a function's name with its handler.
func (s *regScanner) composite(lit *ast.CompositeLit) {
	t := s.pkg.TypesInfo.TypeOf(lit)
	if t == nil {
		return
	}
	if _, isMap := t.Underlying().(*types.Map); isMap {
		for _, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			name, key, ok := s.name(kv.Key)
			if !ok {
				s.orphan([]ast.Expr{kv.Key, kv.Value}, kv)
				continue
			}
			s.fail = nil
			if h := s.handler(kv.Value, name); h != nil {
				s.record(name, key, kv.Key, kv, h)
			} else {
				s.unfollowed(name, kv)
			}
		}
		return
	}
	if _, isStruct := t.Underlying().(*types.Struct); !isStruct {
		return
	}
	values := make([]ast.Expr, len(lit.Elts))
	for i, e := range lit.Elts {
		values[i] = e
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			values[i] = kv.Value
		}
	}
	name, key, arg, ok := s.nameArg(values)
	if !ok {
		return
	}
	s.fail = nil
	for _, v := range values {
		if v == arg || s.isRouterValue(v) {
			continue
		}
		if h := s.handler(v, name); h != nil {
			s.record(name, key, arg, lit, h)
			return
		}
	}
	s.unfollowed(name, lit)
}

// nameArg finds the first expression that names a function.
func (s *regScanner) nameArg(exprs []ast.Expr) (name, key string, arg ast.Expr, ok bool) {
	for _, e := range exprs {
		if name, key, ok := s.name(e); ok {
			return name, key, e, true
		}
	}
	return "", "", nil, false
}

// name reports the function that a constant string expression names.
func (s *regScanner) name(e ast.Expr) (name, key string, ok bool) {
	str, ok := ConstString(s.pkg.TypesInfo, e)
	if !ok {
		return "", "", false
	}
	name, ok = lookupKey(s.keys, str)
	return name, str, ok
}

// ConstString returns the value of a constant string expression: a
// literal, a named constant, or a constant expression such as "/" + name.
func ConstString(info *types.Info, e ast.Expr) (string, bool) {
	if info != nil {
		if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			return constant.StringVal(tv.Value), true
		}
	}
	// Without type information, a plain literal still counts.
	if lit, ok := ast.Unparen(e).(*ast.BasicLit); ok && lit.Kind == token.STRING {
		v := constant.MakeFromLiteral(lit.Value, token.STRING, 0)
		if v.Kind() == constant.String {
			return constant.StringVal(v), true
		}
	}
	return "", false
}

// resolved is a handler found for an expression, and the local variable
// it went through, if any.
type resolved struct {
	h    *Handler
	via  *ast.Ident
	init ast.Expr
}

// handler resolves an expression used as a handler to the module code that
// serves: a func literal, a function or method value, the handler inside
// wrapper calls (MapOrchestrator(HelloCities), http.HandlerFunc(h)), what
// a variable holds, or the func literal a factory returns (see trace.go).
// When a wrapper holds several function values, the one whose Go name is
// want wins. A value of handler type that cannot be followed is noted
// (cannotFollow), and nil returned.
func (s *regScanner) handler(e ast.Expr, want string) *resolved {
	info := s.pkg.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return &resolved{h: s.m.HandlerOfLit(e, s.pkg)}
	case *ast.Ident, *ast.SelectorExpr:
		if fn := FuncOf(info, e); fn != nil {
			if d, ok := s.m.DeclOf(fn); ok {
				return &resolved{h: s.m.HandlerOfDecl(fn, d)}
			}
			if info != nil && isHTTPHandler(info.TypeOf(e)) {
				return s.external(e, fn) // a dependency's handler
			}
		}
		if v := pkgVarOf(info, e); v != nil {
			if !HandlerTyped(v.Type()) {
				return nil
			}
			return s.packageVar(v, e, want)
		}
		if id, ok := e.(*ast.Ident); ok && info != nil {
			if v, ok := info.Uses[id].(*types.Var); ok {
				if init := s.localInit(v); init != nil {
					if pos, again := s.m.assignedElsewhere(v); again {
						if HandlerTyped(v.Type()) {
							s.cannotFollow(e, "%s is assigned at %s, besides its declaration", v.Name(), s.m.Position(pos))
						}
						return nil
					}
					if r := s.handler(init, want); r != nil && r.via == nil {
						return &resolved{h: r.h, via: id, init: init}
					}
					return nil
				}
			}
		}
	case *ast.CallExpr:
		var found []*resolved
		for _, a := range e.Args {
			if r := s.handler(a, want); r != nil {
				found = append(found, r)
			}
		}
		for _, r := range found {
			if r.h.GoName == want {
				return r
			}
		}
		for _, r := range found {
			if !r.h.External {
				return r // the module's own code before a dependency's
			}
		}
		if len(found) > 0 {
			return found[0]
		}
		if info == nil {
			return nil
		}
		if s.passesHandler(e) {
			// A wrapper whose handler argument could not be followed:
			// the wrapper only passes it on, so it is no handler either.
			// (Why the argument failed is noted already.)
			return nil
		}
		fn := FuncOf(info, e.Fun)
		// A factory of the module that makes a durable handler:
		// newGreeter("Hello").
		if fn != nil && isDurableFunc(info.TypeOf(e)) {
			if d, ok := s.m.DeclOf(fn); ok {
				if s.depth >= maxTrace {
					s.cannotFollow(e, "%s is reached through more than %d variables and factories", fn.Name(), maxTrace)
					return nil
				}
				s.depth++
				defer func() { s.depth-- }()
				return s.factory(e, fn, d)
			}
		}
		// A factory that returns an HTTP handler: makeHandler(deps), or
		// http.FileServer(root) from outside the module.
		if fn != nil && isHTTPHandler(info.TypeOf(e)) {
			if d, ok := s.m.DeclOf(fn); ok {
				return &resolved{h: s.m.HandlerOfDecl(fn, d)}
			}
			return s.external(e, fn)
		}
	}
	if info != nil && HandlerTyped(info.TypeOf(e)) {
		s.cannotFollow(e, "%s", describeValue(info, e))
	}
	return nil
}

// external makes the handler for code outside the module that e names
// (fn, or what fn makes).
func (s *regScanner) external(e ast.Expr, fn *types.Func) *resolved {
	name := fn.Name()
	if fn.Pkg() != nil {
		name = fn.Pkg().Name() + "." + name
	}
	return &resolved{h: &Handler{GoName: name, Pos: s.m.Position(e.Pos()), Pkg: s.pkg, External: true, Object: fn}}
}

// localInit returns the expression a function's local variable is
// declared with (v := expr, var v = expr), or nil.
func (s *regScanner) localInit(v *types.Var) ast.Expr {
	if v.Parent() == nil || v.Parent() == v.Pkg().Scope() || v.IsField() {
		return nil
	}
	for _, f := range s.pkg.Syntax {
		if !(f.FileStart <= v.Pos() && v.Pos() <= f.FileEnd) {
			continue
		}
		var init ast.Expr
		ast.Inspect(f, func(n ast.Node) bool {
			if init != nil {
				return false
			}
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
					for i, l := range n.Lhs {
						if id, ok := l.(*ast.Ident); ok && s.pkg.TypesInfo.Defs[id] == v {
							init = n.Rhs[i]
						}
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i, id := range n.Names {
						if s.pkg.TypesInfo.Defs[id] == v {
							init = n.Values[i]
						}
					}
				}
			}
			return true
		})
		return init
	}
	return nil
}

// FuncOf returns the function or method an identifier or selector refers
// to, or nil (hazard.FuncOf: the hazard rules need the same answer).
func FuncOf(info *types.Info, e ast.Expr) *types.Func { return hazard.FuncOf(info, e) }

// record adds a registration, refusing a second handler for one function.
// Of two registrations of one handler, the one that names the function
// wins over one that goes by the handler's Go name.
func (s *regScanner) record(name, key string, nameExpr ast.Expr, node ast.Node, res *resolved) {
	h := res.h
	r := &Registration{
		Function: name,
		Key:      key,
		Node:     node,
		Pos:      s.m.Position(node.Pos()),
		NameExpr: nameExpr,
		Handler:  h,
		Pkg:      s.pkg,
		Via:      res.via,
		Init:     res.init,
	}
	if prev, ok := s.found[name]; ok {
		if prev.Handler.same(h) {
			if prev.Key == "" && key != "" {
				s.found[name] = r
			}
			return
		}
		s.err = fmt.Errorf("%s: function %s is registered twice, with different handlers: %s here and %s at %s; remove one of the registrations",
			r.Pos, name, h.Describe(), prev.Handler.Describe(), prev.Pos)
		return
	}
	s.found[name] = r
}
