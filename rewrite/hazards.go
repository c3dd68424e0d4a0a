package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Hazard is a construct in an orchestrator's code that can make replay
// diverge.
type Hazard struct {
	// Rule is the hazard's stable id, one of the HazardRules.
	Rule string
	// Pos and End span the offending expression or statement (for a range
	// statement, its header up to the ranged expression), with file names
	// as the user gave the module's directory.
	Pos token.Position
	End token.Position
	// Path is how the orchestrator reaches the hazard: the orchestrator's
	// name, the module functions called on the way ("buildGreeting",
	// "(*planner).plan"), and the offending callee ("time.Now",
	// "(*http.Client).Do") or construct ("go statement", "select", "range
	// over map").
	Path []string
	// Message says, in one lower-case line, what is wrong and what to do
	// instead.
	Message string
}

// Rule ids of the determinism hazards.
const (
	RuleTime            = "nondeterministic-time"
	RuleRandom          = "random"
	RuleGoroutine       = "goroutine"
	RuleChannel         = "channel"
	RuleMapRange        = "map-range"
	RuleEnvRead         = "env-read"
	RuleIO              = "io"
	RuleIgnoreDirective = "ignore-directive"
)

// HazardRules lists every rule id with a one-line description, for --help
// and the README.
var HazardRules = []struct{ ID, Description string }{
	{RuleTime, "time.Now, Since, Until, Sleep, After, AfterFunc, Tick, NewTimer, NewTicker: the clock differs on replay; use ctx.CurrentTimeUtc and durable timers"},
	{RuleRandom, "functions of math/rand, math/rand/v2 and crypto/rand: random values differ on replay"},
	{RuleGoroutine, "go statements: goroutines run outside the orchestration's history"},
	{RuleChannel, "channel sends and receives, select, make(chan), range over a channel: they wait on goroutines, not on durable tasks"},
	{RuleMapRange, "range over a map (or maps.Keys, maps.Values, maps.All): the order differs on every run"},
	{RuleEnvRead, "os.Getenv, LookupEnv, Environ, ExpandEnv, Hostname: settings and hosts can change between replays"},
	{RuleIO, "network, file, database and process I/O (net, net/http, os, io/ioutil, database/sql, os/exec): do it in an activity"},
	{RuleIgnoreDirective, "a //dfversion:ignore directive without a reason, or naming an unknown rule"},
}

// ignoreDirective starts a comment that silences a hazard:
// //dfversion:ignore <rule> <reason...>.
const ignoreDirective = "//dfversion:ignore"

// Hazards finds the determinism hazards in the code h reaches: its body,
// the module functions and methods it calls (breadth-first, so each hazard
// is reported once, with the shortest path), the module functions it hands
// to standard-library calls (sort.Slice, slices.SortFunc), and the func
// literals in all of these. Code of other modules (the durable SDK) is not
// followed, nor are calls on the orchestration context (h's first
// parameter) and the functions passed to other calls (activities handed to
// ctx.CallActivity run elsewhere). root names the orchestrator, first in
// every path.
//
// Hazards silenced by a //dfversion:ignore directive are left out. A
// directive in the reached code without a reason, or naming an unknown
// rule, silences nothing and is itself reported, with the rule
// ignore-directive. Hazards are sorted by file, line and column.
func (m *Module) Hazards(h *Handler, root string) []Hazard {
	if h.Decl == nil && h.Lit == nil {
		return nil
	}
	s := &hazardScan{
		m:       m,
		ctxType: hazardContextType(h),
		dirs:    map[*token.File]map[int][]*ignoreDir{},
		sources: map[string][]byte{},
		seen:    map[hazardKey]bool{},
	}
	if h.Pkg != nil {
		s.rel = h.Pkg.Types
	}
	var start ast.Node = h.Decl
	if h.Lit != nil {
		start = h.Lit
	}
	queue := []hazardWork{{node: start, decl: h.Decl, body: h.Body(), pkg: h.Pkg, path: []string{root}}}
	followed := map[*types.Func]bool{}
	if h.Func != nil {
		followed[h.Func.Origin()] = true
	}
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		if w.pkg == nil {
			continue
		}
		s.checkDirectives(w)
		if w.body == nil || w.pkg.TypesInfo == nil {
			continue
		}
		for _, fn := range s.scan(w) {
			fn = fn.Origin()
			if followed[fn] {
				continue
			}
			d, ok := m.declOf(fn)
			if !ok {
				continue
			}
			followed[fn] = true
			path := append(append([]string(nil), w.path...), s.funcName(fn))
			queue = append(queue, hazardWork{node: d.decl, decl: d.decl, body: d.decl.Body, pkg: d.pkg, path: path})
		}
	}
	sort.SliceStable(s.out, func(i, j int) bool {
		a, b := s.out[i], s.out[j]
		if a.Pos.Filename != b.Pos.Filename {
			return a.Pos.Filename < b.Pos.Filename
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Column != b.Pos.Column {
			return a.Pos.Column < b.Pos.Column
		}
		return a.Rule < b.Rule
	})
	return s.out
}

// hazardScan is one run of Hazards.
type hazardScan struct {
	m       *Module
	rel     *types.Package // the orchestrator's package, for names in paths
	ctxType types.Type     // the orchestration context's type, pointer removed; nil if unknown
	out     []Hazard
	seen    map[hazardKey]bool
	dirs    map[*token.File]map[int][]*ignoreDir // directives by file and line
	sources map[string][]byte                    // file contents, read on demand
}

type hazardKey struct {
	rule string
	pos  token.Pos
}

// hazardWork is a function whose body is to be scanned.
type hazardWork struct {
	node ast.Node      // the declaration or func literal, for its directives
	decl *ast.FuncDecl // nil for a func literal handler
	body *ast.BlockStmt
	pkg  *packages.Package
	path []string // how the orchestrator reaches this function, itself included
}

// hazardContextType returns the type of h's first parameter, without a
// pointer, when it is a named type: calls of its methods are the durable
// API, neither hazards nor code to follow.
func hazardContextType(h *Handler) types.Type {
	var sig *types.Signature
	switch {
	case h.Func != nil:
		sig = h.Func.Signature()
	case h.Lit != nil && h.Pkg != nil && h.Pkg.TypesInfo != nil:
		sig, _ = h.Pkg.TypesInfo.TypeOf(h.Lit).(*types.Signature)
	}
	if sig == nil || sig.Params().Len() == 0 {
		return nil
	}
	t := hazardDeref(sig.Params().At(0).Type())
	if _, ok := t.(*types.Named); !ok {
		return nil
	}
	return t
}

func hazardDeref(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// scan reports the hazards in one function's body and returns, in the order
// met, the functions it hands control to.
func (s *hazardScan) scan(w hazardWork) []*types.Func {
	info := w.pkg.TypesInfo
	var follow []*types.Func
	done := map[ast.Node]bool{} // nodes already reported or known to be harmless
	ast.Inspect(w.body, func(n ast.Node) bool {
		if n == nil || done[n] {
			return true
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			s.report(w, RuleGoroutine, n, n.End(), "go statement",
				"go statement runs code outside the orchestration's history: start activities or sub-orchestrations and await their tasks instead")
		case *ast.SelectStmt:
			s.report(w, RuleChannel, n, n.End(), "select", hazardChannelMessage("select"))
			for _, c := range n.Body.List {
				if cc, ok := c.(*ast.CommClause); ok && cc.Comm != nil {
					hazardMarkCommOp(done, cc.Comm)
				}
			}
		case *ast.SendStmt:
			s.report(w, RuleChannel, n, n.End(), "channel send", hazardChannelMessage("channel send"))
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !s.onContext(info, n.X) {
				s.report(w, RuleChannel, n, n.End(), "channel receive", hazardChannelMessage("channel receive"))
			}
		case *ast.RangeStmt:
			s.rangeStmt(w, n)
		case *ast.CallExpr:
			follow = append(follow, s.call(w, n, done)...)
		case *ast.SelectorExpr, *ast.Ident:
			// A hazardous function used as a value (clock := time.Now).
			if fn := funcOf(info, n.(ast.Expr)); fn != nil {
				if rule, msg, ok := hazardOf(fn); ok {
					name := hazardCalleeName(fn)
					s.report(w, rule, n, n.End(), name, msg(name))
				}
			}
			if sel, ok := n.(*ast.SelectorExpr); ok {
				done[sel.Sel] = true
			}
		}
		return true
	})
	return follow
}

// call reports a hazardous call and returns the module functions the call
// runs: its callee, and functions passed to a standard-library callee.
func (s *hazardScan) call(w hazardWork, call *ast.CallExpr, done map[ast.Node]bool) []*types.Func {
	info := w.pkg.TypesInfo
	fun := hazardCalleeExpr(call.Fun)
	done[fun] = true
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		done[sel.Sel] = true
	}
	if s.onContext(info, call) {
		return nil
	}
	if id, ok := fun.(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "make" {
			if t := info.TypeOf(call); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					s.report(w, RuleChannel, call, call.End(), "make(chan)", hazardChannelMessage("make(chan)"))
				}
			}
			return nil
		}
	}
	fn := funcOf(info, fun)
	if fn == nil {
		return nil
	}
	if rule, msg, ok := hazardOf(fn); ok {
		name := hazardCalleeName(fn)
		s.report(w, rule, call, call.End(), name, msg(name))
		return nil
	}
	if _, ok := s.m.declOf(fn); ok {
		return []*types.Func{fn}
	}
	if fn.Pkg() == nil || !hazardIsStdlib(fn.Pkg().Path()) {
		return nil
	}
	// sort.Slice(xs, less), slices.SortFunc(xs, byName): the standard
	// library calls what it is given here and now.
	var follow []*types.Func
	for _, a := range call.Args {
		switch a := ast.Unparen(a).(type) {
		case *ast.Ident, *ast.SelectorExpr, *ast.IndexExpr, *ast.IndexListExpr:
			if f := funcOf(info, hazardCalleeExpr(a)); f != nil {
				if _, ok := s.m.declOf(f); ok {
					follow = append(follow, f)
				}
			}
		}
	}
	return follow
}

// hazardCalleeExpr strips parentheses and explicit instantiation from a
// call's function expression.
func hazardCalleeExpr(e ast.Expr) ast.Expr {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		default:
			return x
		}
	}
}

// hazardIsStdlib reports whether an import path is the standard library's.
func hazardIsStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// onContext reports whether e is a call of a method of the orchestration
// context, or a selection of such a method.
func (s *hazardScan) onContext(info *types.Info, e ast.Expr) bool {
	if s.ctxType == nil {
		return false
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		e = call.Fun
	}
	sel, ok := hazardCalleeExpr(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	selection, ok := info.Selections[sel]
	if !ok || selection.Kind() != types.MethodVal {
		return false
	}
	return types.Identical(hazardDeref(selection.Recv()), s.ctxType)
}

// hazardMarkCommOp marks the send or receive of a select case as reported
// with its select.
func hazardMarkCommOp(done map[ast.Node]bool, comm ast.Stmt) {
	var e ast.Expr
	switch c := comm.(type) {
	case *ast.SendStmt:
		done[c] = true
		return
	case *ast.ExprStmt:
		e = c.X
	case *ast.AssignStmt:
		if len(c.Rhs) == 1 {
			e = c.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		done[u] = true
	}
}

// rangeStmt reports a range over a map or a channel, or over the iterators
// maps.Keys, maps.Values and maps.All.
func (s *hazardScan) rangeStmt(w hazardWork, r *ast.RangeStmt) {
	info := w.pkg.TypesInfo
	t := info.TypeOf(r.X)
	if t == nil {
		return
	}
	switch t.Underlying().(type) {
	case *types.Map:
		s.report(w, RuleMapRange, r, r.X.End(), "range over map", hazardMapRangeMessage("range over map"))
		return
	case *types.Chan:
		s.report(w, RuleChannel, r, r.X.End(), "range over channel", hazardChannelMessage("range over channel"))
		return
	}
	if call, ok := ast.Unparen(r.X).(*ast.CallExpr); ok {
		if fn := funcOf(info, hazardCalleeExpr(call.Fun)); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "maps" {
			switch fn.Name() {
			case "Keys", "Values", "All":
				construct := "range over maps." + fn.Name()
				s.report(w, RuleMapRange, r, r.X.End(), construct, hazardMapRangeMessage(construct))
			}
		}
	}
}

// report records a hazard found in w, unless a directive silences it.
func (s *hazardScan) report(w hazardWork, rule string, node ast.Node, end token.Pos, what, msg string) {
	key := hazardKey{rule, node.Pos()}
	if s.seen[key] || s.suppressed(w, rule, node.Pos()) {
		return
	}
	s.seen[key] = true
	s.out = append(s.out, Hazard{
		Rule:    rule,
		Pos:     s.m.Position(node.Pos()),
		End:     s.m.Position(end),
		Path:    append(append([]string(nil), w.path...), what),
		Message: msg,
	})
}

// funcName names a module function for a path: "buildGreeting",
// "(*planner).plan", "helpers.Stamp", "(*helpers.Store).Save".
func (s *hazardScan) funcName(fn *types.Func) string {
	qual := func(p *types.Package) string {
		if p == nil || p == s.rel {
			return ""
		}
		return p.Name()
	}
	if recv := fn.Signature().Recv(); recv != nil {
		return "(" + types.TypeString(recv.Type(), qual) + ")." + fn.Name()
	}
	if q := qual(fn.Pkg()); q != "" {
		return q + "." + fn.Name()
	}
	return fn.Name()
}

// hazardCalleeName names a function of another package as its callers
// write it: "time.Now", "rand.Intn", "(*http.Client).Do",
// "(net.Conn).Write".
func hazardCalleeName(fn *types.Func) string {
	qual := func(p *types.Package) string { return p.Name() }
	if recv := fn.Signature().Recv(); recv != nil {
		return "(" + types.TypeString(recv.Type(), qual) + ")." + fn.Name()
	}
	if fn.Pkg() == nil {
		return fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}

// hazardOf reports whether calling fn is a hazard, with its rule and a
// function that writes the message for the callee's name.
func hazardOf(fn *types.Func) (rule string, msg func(name string) string, ok bool) {
	if fn.Pkg() == nil {
		return "", nil, false
	}
	path := fn.Pkg().Path()
	recv := ""
	if r := fn.Signature().Recv(); r != nil {
		n, isNamed := hazardDeref(r.Type()).(*types.Named)
		if !isNamed {
			return "", nil, false
		}
		recv = n.Obj().Name()
	}
	if recv == "" {
		switch path {
		case "time":
			switch fn.Name() {
			case "Now":
				return RuleTime, func(n string) string {
					return n + " is not deterministic: read the time from ctx.CurrentTimeUtc"
				}, true
			case "Since", "Until":
				return RuleTime, func(n string) string {
					return n + " reads the clock, which is not deterministic: compute from ctx.CurrentTimeUtc"
				}, true
			case "Sleep", "After", "AfterFunc", "Tick", "NewTimer", "NewTicker":
				return RuleTime, func(n string) string {
					return n + " waits outside the orchestration's history: wait with a durable timer (ctx.CreateTimer)"
				}, true
			}
		case "math/rand", "math/rand/v2", "crypto/rand":
			return RuleRandom, func(n string) string {
				return n + " (" + path + ") is not deterministic: get random values from an activity, or derive them from the instance ID"
			}, true
		case "os":
			switch fn.Name() {
			case "Getenv", "LookupEnv", "Environ", "ExpandEnv", "Hostname":
				return RuleEnvRead, func(n string) string {
					return n + " reads the environment, which can change between replays: read it in an activity, or pass it in the orchestration's input"
				}, true
			}
		}
	}
	if what, ok := hazardIOCallee(path, recv, fn.Name()); ok {
		return RuleIO, func(n string) string {
			return n + " " + what + ", whose result can differ on replay: do it in an activity and call that with ctx.CallActivity"
		}, true
	}
	return "", nil, false
}

// hazardIOCallee reports whether a function (recv "") or a method of the
// named type recv does I/O, and what kind.
func hazardIOCallee(path, recv, name string) (string, bool) {
	set := func(names ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			m[n] = true
		}
		return m
	}
	switch path {
	case "net":
		if recv == "" {
			return "does network I/O", set("Dial", "DialTimeout", "DialIP", "DialTCP", "DialUDP", "DialUnix",
				"Listen", "ListenIP", "ListenMulticastUDP", "ListenPacket", "ListenTCP", "ListenUDP", "ListenUnix", "ListenUnixgram",
				"LookupAddr", "LookupCNAME", "LookupHost", "LookupIP", "LookupMX", "LookupNS", "LookupPort", "LookupSRV", "LookupTXT",
				"Interfaces", "InterfaceAddrs", "InterfaceByIndex", "InterfaceByName", "FileConn", "FileListener", "FilePacketConn")[name]
		}
		return "does network I/O", set("Dialer", "Resolver", "ListenConfig", "Conn", "PacketConn", "Listener",
			"TCPConn", "UDPConn", "IPConn", "UnixConn", "TCPListener", "UnixListener")[recv]
	case "net/http":
		if recv == "" {
			return "does network I/O", set("Get", "Head", "Post", "PostForm", "ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS")[name]
		}
		return "does network I/O", set("Client", "Server")[recv] || (set("Transport", "RoundTripper")[recv] && name == "RoundTrip")
	case "os":
		return "does file I/O", recv == "" && set("Open", "OpenFile", "OpenRoot", "OpenInRoot", "Create", "CreateTemp", "MkdirTemp",
			"ReadFile", "WriteFile", "ReadDir", "Remove", "RemoveAll", "Rename", "Mkdir", "MkdirAll", "Stat", "Lstat",
			"Chdir", "Chmod", "Chown", "Lchown", "Chtimes", "Link", "Symlink", "Readlink", "Truncate", "Getwd", "DirFS", "CopyFS")[name]
	case "io/ioutil":
		return "does file I/O", recv == "" && set("ReadFile", "WriteFile", "ReadDir", "TempFile", "TempDir")[name]
	case "database/sql":
		if recv == "" {
			return "opens a database", name == "Open" || name == "OpenDB"
		}
		return "queries a database", set("DB", "Conn", "Tx", "Stmt")[recv]
	case "os/exec":
		return "runs a program", recv == "" && set("Command", "CommandContext", "LookPath")[name]
	}
	return "", false
}

func hazardChannelMessage(construct string) string {
	return construct + " waits on goroutines, not on the orchestration's history: await durable tasks (activities, timers, external events) instead"
}

func hazardMapRangeMessage(construct string) string {
	return construct + " visits keys in a different order on every run: range over sorted keys (slices.Sorted(maps.Keys(m)))"
}

// ignoreDir is a //dfversion:ignore comment.
type ignoreDir struct {
	rule    string // "all" or a rule id; "" when malformed
	problem string // why the directive is malformed; "" when it is valid
	alone   bool   // nothing but space before it on its line
}

// matches reports whether a valid directive silences rule.
func (d *ignoreDir) matches(rule string) bool {
	return d.problem == "" && (d.rule == "all" || d.rule == rule)
}

// parseIgnoreDirective parses a //dfversion:ignore comment; ok is false for
// other comments.
func parseIgnoreDirective(c *ast.Comment) (d *ignoreDir, ok bool) {
	rest, ok := strings.CutPrefix(c.Text, ignoreDirective)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return nil, false
	}
	d = &ignoreDir{}
	fields := strings.Fields(rest)
	switch {
	case len(fields) == 0:
		d.problem = ignoreDirective + " needs a rule and a reason: " + ignoreDirective + " <rule> <reason>"
	case !isIgnorableRule(fields[0]):
		d.problem = ignoreDirective + " names unknown rule " + fields[0] + ": use all or one of " + strings.Join(ignorableRules(), ", ")
	case len(fields) == 1:
		d.problem = ignoreDirective + " " + fields[0] + " needs a reason: say why the hazard is safe, " + ignoreDirective + " " + fields[0] + " <reason>"
	default:
		d.rule = fields[0]
	}
	return d, true
}

// ignorableRules are the rules a directive can name, besides all.
func ignorableRules() []string {
	var ids []string
	for _, r := range HazardRules {
		if r.ID != RuleIgnoreDirective {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

func isIgnorableRule(rule string) bool {
	if rule == "all" {
		return true
	}
	for _, id := range ignorableRules() {
		if id == rule {
			return true
		}
	}
	return false
}

// suppressed reports whether a valid directive silences a hazard of rule
// at pos in w: one on the same line, one alone on the line above, or one
// in the doc comment of the function declaration holding it.
func (s *hazardScan) suppressed(w hazardWork, rule string, pos token.Pos) bool {
	if w.decl != nil && w.decl.Doc != nil {
		for _, c := range w.decl.Doc.List {
			if d, ok := parseIgnoreDirective(c); ok && d.matches(rule) {
				return true
			}
		}
	}
	tf := s.m.Fset.File(pos)
	if tf == nil {
		return false
	}
	lines := s.directives(w.pkg, tf)
	line := tf.Line(pos)
	for _, d := range lines[line] {
		if d.matches(rule) {
			return true
		}
	}
	for _, d := range lines[line-1] {
		if d.alone && d.matches(rule) {
			return true
		}
	}
	return false
}

// checkDirectives reports the malformed directives in w's function, its
// doc comment included.
func (s *hazardScan) checkDirectives(w hazardWork) {
	if w.node == nil {
		return
	}
	start, end := w.node.Pos(), w.node.End()
	if w.decl != nil && w.decl.Doc != nil {
		start = w.decl.Doc.Pos()
	}
	f := hazardFileOf(w.pkg, start)
	if f == nil {
		return
	}
	for _, g := range f.Comments {
		if g.End() < start || g.Pos() > end {
			continue
		}
		for _, c := range g.List {
			d, ok := parseIgnoreDirective(c)
			if !ok || d.problem == "" {
				continue
			}
			key := hazardKey{RuleIgnoreDirective, c.Pos()}
			if s.seen[key] {
				continue
			}
			s.seen[key] = true
			s.out = append(s.out, Hazard{
				Rule:    RuleIgnoreDirective,
				Pos:     s.m.Position(c.Pos()),
				End:     s.m.Position(c.End()),
				Path:    append(append([]string(nil), w.path...), ignoreDirective),
				Message: d.problem,
			})
		}
	}
}

// directives indexes the //dfversion:ignore comments of a file by line.
func (s *hazardScan) directives(p *packages.Package, tf *token.File) map[int][]*ignoreDir {
	if lines, ok := s.dirs[tf]; ok {
		return lines
	}
	lines := map[int][]*ignoreDir{}
	s.dirs[tf] = lines
	f := hazardFileOf(p, token.Pos(tf.Base()))
	if f == nil {
		return lines
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			d, ok := parseIgnoreDirective(c)
			if !ok {
				continue
			}
			d.alone = s.aloneOnLine(tf, c.Pos())
			line := tf.Line(c.Pos())
			lines[line] = append(lines[line], d)
		}
	}
	return lines
}

// aloneOnLine reports whether only space comes before pos on its line.
// When the file cannot be read, it is taken to be so.
func (s *hazardScan) aloneOnLine(tf *token.File, pos token.Pos) bool {
	src, ok := s.sources[tf.Name()]
	if !ok {
		src, _ = os.ReadFile(tf.Name())
		s.sources[tf.Name()] = src
	}
	off := tf.Offset(pos)
	lineStart := tf.Offset(tf.LineStart(tf.Line(pos)))
	if src == nil || off > len(src) || lineStart > off {
		return true
	}
	return strings.TrimSpace(string(src[lineStart:off])) == ""
}

// hazardFileOf returns the file of p that holds pos.
func hazardFileOf(p *packages.Package, pos token.Pos) *ast.File {
	for _, f := range p.Syntax {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}
