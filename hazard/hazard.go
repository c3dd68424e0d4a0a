// Package hazard holds dfversion's determinism rules: which Go constructs
// and which callees can make an orchestrator's replay diverge, the rule id
// and message of each, and the //dfversion:ignore directive that silences
// one. It works on go/ast and go/types alone, so that both tools that report
// hazards make the same decisions:
//
//   - `dfversion check` (package durable) walks the whole loaded module from
//     each orchestrator that function.json names;
//   - the go/analysis analyzer (package hazard/analyzer) walks one package
//     at a time and carries what a function reaches to the packages that
//     import it as a fact.
//
// The package decides, the callers traverse. Scanner.Scan walks one
// function body and says, in source order, what it finds there (a Found)
// and which functions the body hands control to (its Follow callback); the
// caller chooses which of those to walk next, keeps the path from the
// orchestrator, and applies the directives (Directives, Silenced,
// Malformed) before it reports.
//
// Worked examples, in code an orchestrator reaches:
//
//	start := time.Now()        // nondeterministic-time, what "time.Now"
//	clock := time.Now          // the same: a function value counts as a call
//	n := rand.Intn(6)          // random, what "rand.Intn"
//	go work()                  // goroutine, what "go statement"; work is followed
//	v := <-results             // channel, what "channel receive"
//	for k := range counts {}   // map-range, what "range over map"
//	os.Getenv("REGION")        // env-read
//	http.DefaultClient.Do(req) // io, what "(*http.Client).Do"
//	ctx.CallActivity(Fetch)    // nothing: the orchestration context's API, and
//	                           // Fetch is an activity, which runs elsewhere
//	sort.Slice(xs, less)       // nothing itself; less is followed (Follow)
//
// and directives:
//
//	t := time.Now() //dfversion:ignore nondeterministic-time logged only
//	//dfversion:ignore random a different number on replay is harmless
//	//dfversion:ignore random        <- no reason: silences nothing, and is
//	                                    itself an ignore-directive hazard
package hazard

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Rule is a determinism rule: a stable id and what it finds.
type Rule struct {
	// ID is the rule's stable id, as findings and directives name it.
	ID string
	// Description says in one line what the rule finds, and why it is a
	// hazard.
	Description string
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

// Rules lists every rule with a one-line description, for --help, SARIF
// logs and the README.
var Rules = []Rule{
	{RuleTime, "time.Now, Since, Until, Sleep, After, AfterFunc, Tick, NewTimer, NewTicker: the clock differs on replay; use ctx.CurrentTimeUtc and durable timers"},
	{RuleRandom, "functions of math/rand, math/rand/v2 and crypto/rand: random values differ on replay"},
	{RuleGoroutine, "go statements: goroutines run outside the orchestration's history"},
	{RuleChannel, "channel sends and receives, select, make(chan), range over a channel: they wait on goroutines, not on durable tasks"},
	{RuleMapRange, "range over a map (or maps.Keys, maps.Values, maps.All): the order differs on every run"},
	{RuleEnvRead, "os.Getenv, LookupEnv, Environ, ExpandEnv, Hostname: settings and hosts can change between replays"},
	{RuleIO, "network, file, database and process I/O (net, net/http, os, io/ioutil, database/sql, os/exec): do it in an activity"},
	{RuleIgnoreDirective, "a //dfversion:ignore directive without a reason, or naming an unknown rule"},
}

// Found is a hazard in a function body.
type Found struct {
	// Rule is the hazard's rule id.
	Rule string
	// Node is the offending expression or statement; the hazard starts at
	// its Pos.
	Node ast.Node
	// End is where the hazard ends: Node's end, or for a range statement
	// the end of its header (the ranged expression).
	End token.Pos
	// What names the offending callee ("time.Now", "(*http.Client).Do") or
	// construct ("go statement", "select", "range over map"), the last
	// element of a path.
	What string
	// Message says, in one lower-case line, what is wrong and what to do
	// instead.
	Message string
}

// Scanner walks function bodies for hazards.
type Scanner struct {
	// Info is the type information of the body's package.
	Info *types.Info
	// IsContext reports whether a named type (pointer removed) is the
	// orchestration context, whose methods are the durable API: calls of
	// them are neither hazards nor code to follow. Nil means none is.
	IsContext func(t types.Type) bool
	// Found is called for every hazard, in source order.
	Found func(Found)
	// Follow is offered every function the body hands control to and that
	// is no hazard itself: the callee of a call, and, when the callee is
	// of the standard library and Follow declines it, the functions passed
	// to it (sort.Slice(xs, less), slices.SortFunc(xs, byName)), which the
	// standard library calls here and now. at is the call, or the argument.
	// Follow returns whether the caller walks fn's code.
	Follow func(fn *types.Func, at ast.Node) bool
}

// Scan walks body (a function's body, its func literals included) and
// reports what it finds to s.Found and s.Follow.
func (s *Scanner) Scan(body ast.Node) {
	info := s.Info
	done := map[ast.Node]bool{} // nodes already reported or known to be harmless
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || done[n] {
			return true
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			s.found(RuleGoroutine, n, n.End(), "go statement",
				"go statement runs code outside the orchestration's history: start activities or sub-orchestrations and await their tasks instead")
		case *ast.SelectStmt:
			s.found(RuleChannel, n, n.End(), "select", channelMessage("select"))
			for _, c := range n.Body.List {
				if cc, ok := c.(*ast.CommClause); ok && cc.Comm != nil {
					markCommOp(done, cc.Comm)
				}
			}
		case *ast.SendStmt:
			s.found(RuleChannel, n, n.End(), "channel send", channelMessage("channel send"))
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && !s.onContext(n.X) {
				s.found(RuleChannel, n, n.End(), "channel receive", channelMessage("channel receive"))
			}
		case *ast.RangeStmt:
			s.rangeStmt(n)
		case *ast.CallExpr:
			s.call(n, done)
		case *ast.SelectorExpr, *ast.Ident:
			// A hazardous function used as a value (clock := time.Now).
			if fn := FuncOf(info, n.(ast.Expr)); fn != nil {
				if rule, what, msg, ok := Callee(fn); ok {
					s.found(rule, n, n.End(), what, msg)
				}
			}
			if sel, ok := n.(*ast.SelectorExpr); ok {
				done[sel.Sel] = true
			}
		}
		return true
	})
}

func (s *Scanner) found(rule string, node ast.Node, end token.Pos, what, msg string) {
	if s.Found != nil {
		s.Found(Found{Rule: rule, Node: node, End: end, What: what, Message: msg})
	}
}

func (s *Scanner) follow(fn *types.Func, at ast.Node) bool {
	return s.Follow != nil && s.Follow(fn, at)
}

// call reports a hazardous call, and offers Follow the functions the call
// runs: its callee, and functions passed to a standard-library callee.
func (s *Scanner) call(call *ast.CallExpr, done map[ast.Node]bool) {
	info := s.Info
	fun := CalleeExpr(call.Fun)
	done[fun] = true
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		done[sel.Sel] = true
	}
	if s.onContext(call) {
		return
	}
	if id, ok := fun.(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "make" {
			if t := info.TypeOf(call); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					s.found(RuleChannel, call, call.End(), "make(chan)", channelMessage("make(chan)"))
				}
			}
			return
		}
	}
	fn := FuncOf(info, fun)
	if fn == nil {
		return
	}
	if rule, what, msg, ok := Callee(fn); ok {
		s.found(rule, call, call.End(), what, msg)
		return
	}
	if s.follow(fn, call) {
		return
	}
	if fn.Pkg() == nil || !IsStdlib(fn.Pkg().Path()) {
		return
	}
	for _, a := range call.Args {
		switch a := ast.Unparen(a).(type) {
		case *ast.Ident, *ast.SelectorExpr, *ast.IndexExpr, *ast.IndexListExpr:
			if f := FuncOf(info, CalleeExpr(a)); f != nil {
				s.follow(f, a)
			}
		}
	}
}

// onContext reports whether e is a call of a method of the orchestration
// context, or a selection of such a method.
func (s *Scanner) onContext(e ast.Expr) bool {
	if s.IsContext == nil {
		return false
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		e = call.Fun
	}
	sel, ok := CalleeExpr(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	selection, ok := s.Info.Selections[sel]
	if !ok || selection.Kind() != types.MethodVal {
		return false
	}
	return s.IsContext(Deref(selection.Recv()))
}

// markCommOp marks the send or receive of a select case as reported with
// its select.
func markCommOp(done map[ast.Node]bool, comm ast.Stmt) {
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
func (s *Scanner) rangeStmt(r *ast.RangeStmt) {
	info := s.Info
	t := info.TypeOf(r.X)
	if t == nil {
		return
	}
	switch t.Underlying().(type) {
	case *types.Map:
		s.found(RuleMapRange, r, r.X.End(), "range over map", mapRangeMessage("range over map"))
		return
	case *types.Chan:
		s.found(RuleChannel, r, r.X.End(), "range over channel", channelMessage("range over channel"))
		return
	}
	if call, ok := ast.Unparen(r.X).(*ast.CallExpr); ok {
		if fn := FuncOf(info, CalleeExpr(call.Fun)); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "maps" {
			switch fn.Name() {
			case "Keys", "Values", "All":
				construct := "range over maps." + fn.Name()
				s.found(RuleMapRange, r, r.X.End(), construct, mapRangeMessage(construct))
			}
		}
	}
}

// CalleeExpr strips parentheses and explicit instantiation from a call's
// function expression: (pick[string]) is pick.
func CalleeExpr(e ast.Expr) ast.Expr {
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

// FuncOf returns the function or method an identifier or selector refers
// to, or nil.
func FuncOf(info *types.Info, e ast.Expr) *types.Func {
	if info == nil {
		return nil
	}
	var obj types.Object
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj = info.Uses[e]
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[e]; ok {
			obj = sel.Obj()
		} else {
			obj = info.Uses[e.Sel]
		}
	case *ast.IndexExpr: // an instantiated generic function
		return FuncOf(info, e.X)
	}
	fn, _ := obj.(*types.Func)
	return fn
}

// Deref removes one pointer from t.
func Deref(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// IsStdlib reports whether an import path is the standard library's: its
// first element has no dot.
func IsStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// ContextType returns the type of a handler's first parameter, pointer
// removed, when it is a named type: the orchestration context, whose
// methods are the durable API. It returns nil otherwise.
func ContextType(sig *types.Signature) types.Type {
	if sig == nil || sig.Params().Len() == 0 {
		return nil
	}
	t := Deref(sig.Params().At(0).Type())
	if _, ok := t.(*types.Named); !ok {
		return nil
	}
	return t
}

// IsOrchestrationContext reports whether t is (a pointer to) a type named
// OrchestrationContext, whatever SDK declares it.
func IsOrchestrationContext(t types.Type) bool {
	if t == nil {
		return false
	}
	n, ok := Deref(t).(*types.Named)
	return ok && n.Obj().Name() == "OrchestrationContext"
}

// FuncName names a function for a path: "buildGreeting",
// "(*planner).plan", "helpers.Stamp", "(*helpers.Store).Save". Names of
// package rel go unqualified; with rel nil, every name is qualified, as
// callers of another package write it ("time.Now", "(net.Conn).Write").
func FuncName(fn *types.Func, rel *types.Package) string {
	qual := func(p *types.Package) string {
		if p == nil || p == rel {
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

// Callee reports whether calling fn (or taking it as a value) is a hazard,
// with its rule, its name as callers write it, and the message.
func Callee(fn *types.Func) (rule, what, message string, ok bool) {
	rule, msg, ok := calleeRule(fn)
	if !ok {
		return "", "", "", false
	}
	what = FuncName(fn, nil)
	return rule, what, msg(what), true
}

// calleeRule reports whether calling fn is a hazard, with its rule and a
// function that writes the message for the callee's name.
func calleeRule(fn *types.Func) (rule string, msg func(name string) string, ok bool) {
	if fn.Pkg() == nil {
		return "", nil, false
	}
	path := fn.Pkg().Path()
	recv := ""
	if r := fn.Signature().Recv(); r != nil {
		n, isNamed := Deref(r.Type()).(*types.Named)
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
	if what, ok := ioCallee(path, recv, fn.Name()); ok {
		return RuleIO, func(n string) string {
			return n + " " + what + ", whose result can differ on replay: do it in an activity and call that with ctx.CallActivity"
		}, true
	}
	return "", nil, false
}

// ioCallee reports whether a function (recv "") or a method of the named
// type recv does I/O, and what kind.
func ioCallee(path, recv, name string) (string, bool) {
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

func channelMessage(construct string) string {
	return construct + " waits on goroutines, not on the orchestration's history: await durable tasks (activities, timers, external events) instead"
}

func mapRangeMessage(construct string) string {
	return construct + " visits keys in a different order on every run: range over sorted keys (slices.Sorted(maps.Keys(m)))"
}
