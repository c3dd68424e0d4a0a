package durable

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// dep is one dependence of an instruction in the slice: a value it
// computes from, a branch that decides whether it runs, or a write to
// memory it reads. Marking (slicer) and serialization (serializer) follow
// the same deps, so what is serialized is exactly the slice.
type dep struct {
	label string
	v     ssa.Value       // a value (instructions that are values included)
	i     ssa.Instruction // or an instruction that is not a value
	use   bool            // v is used as a value (a call's result is needed)
}

// node is what a dep points at: the instruction when there is one.
func (d dep) node() any {
	if d.i != nil {
		return d.i
	}
	if in, ok := d.v.(ssa.Instruction); ok {
		return in
	}
	return d.v
}

// durableMethod names the durable method a call makes, "" if none.
func durableMethod(c *ssa.CallCommon) string {
	fn := c.StaticCallee()
	if fn == nil || c.IsInvoke() {
		return ""
	}
	recv := fn.Signature.Recv()
	if recv == nil || durableMethods[fn.Name()] == "" {
		return ""
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Name() == "OrchestrationContext" {
		return fn.Name()
	}
	return ""
}

// isAwait reports whether a call awaits a durable task.
func isAwait(c *ssa.CallCommon) bool {
	return c.IsInvoke() && c.Method.Name() == "Await" && isSDK(c.Value.Type())
}

// isErrorMethod reports whether a call is err.Error() on an error value.
func isErrorMethod(c *ssa.CallCommon) bool {
	return c.IsInvoke() && c.Method.Name() == "Error" && isError(c.Value.Type())
}

// noReturn reports whether a function outside the module never returns.
func noReturn(fn *ssa.Function) bool {
	if fn == nil || fn.Pkg == nil {
		return false
	}
	name := fn.Name()
	switch fn.Pkg.Pkg.Path() {
	case "os":
		return name == "Exit" && fn.Signature.Recv() == nil
	case "runtime":
		return name == "Goexit"
	case "log":
		return strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic")
	}
	return false
}

// isSDKFunc reports whether fn belongs to the package of the orchestration
// context (the SDK's task package): its option constructors serialize
// inputs, they write no memory of the module.
func isSDKFunc(fn *ssa.Function) bool {
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Scope().Lookup("OrchestrationContext") != nil
}

// isPrivate reports whether a root is memory the function allocates and
// nobody else sees.
func (fi *funcInfo) isPrivate(r ssa.Value) bool {
	return r != nil && isLocal(r) && !fi.escaped[r]
}

// isShared reports whether v may point into memory others see.
func (fi *funcInfo) isShared(v ssa.Value) bool {
	r := aliasRoot(v)
	return r != nil && !fi.isPrivate(r)
}

// callDeps lists what a call depends on; module callees by their summary.
func (fi *funcInfo) callDeps(c *ssa.CallCommon) []dep {
	var out []dep
	arg := func(i int) {
		if i < len(c.Args) {
			out = append(out, dep{label: fmt.Sprintf("arg%d", i), v: c.Args[i], use: true})
		}
	}
	all := func() {
		if !c.IsInvoke() {
			if _, ok := c.Value.(*ssa.Function); !ok {
				out = append(out, dep{label: "fn", v: c.Value, use: true})
			}
		} else {
			out = append(out, dep{label: "recv", v: c.Value, use: true})
		}
		for i := range c.Args {
			arg(i)
		}
	}
	if _, ok := c.Value.(*ssa.Builtin); ok {
		all()
		return out
	}
	if m := durableMethod(c); m != "" {
		switch m {
		case "CreateTimer", "ContinueAsNew":
			arg(0)
		case "WaitForSingleEvent":
			arg(0)
			arg(1)
			arg(2)
		case "CallEntity", "SignalEntity":
			all()
		default:
			arg(0)
			arg(1)
		}
		return out
	}
	if isAwait(c) {
		return []dep{{label: "recv", v: c.Value, use: true}}
	}
	callee := c.StaticCallee()
	if noReturn(callee) {
		return nil
	}
	if g := fi.a.summaryOf(callee); g != nil && (callee.Synthetic == "" || callee.Origin() != nil) {
		if mc, ok := c.Value.(*ssa.MakeClosure); ok && g.free {
			out = append(out, dep{label: "fn", v: mc, use: true})
		}
		for i := range c.Args {
			if g.params[i] {
				arg(i)
			}
		}
		return out
	}
	all()
	return out
}

// isCriterion reports whether an instruction is in the slice by itself.
func (fi *funcInfo) isCriterion(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.Panic, *ssa.Go, *ssa.Send, *ssa.Select:
		return true
	case *ssa.Return:
		return fi.needResults && len(x.Results) > 0
	case *ssa.Store:
		return fi.isShared(x.Addr)
	case *ssa.MapUpdate:
		return fi.isShared(x.Map)
	case ssa.CallInstruction:
		return fi.callActs(x.Common())
	}
	return false
}

// callActs reports whether a call is in the slice by itself.
func (fi *funcInfo) callActs(c *ssa.CallCommon) bool {
	if durableMethod(c) != "" || isAwait(c) {
		return true
	}
	if isErrorMethod(c) {
		return false
	}
	if c.IsInvoke() {
		return true // an interface method the analysis does not see
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "append", "copy", "delete", "clear":
			return len(c.Args) > 0 && fi.isShared(c.Args[0])
		}
		return false
	}
	callee := c.StaticCallee()
	if callee == nil {
		return true // a func value
	}
	if noReturn(callee) {
		return true
	}
	if g := fi.a.summaryOf(callee); g != nil {
		if callee.Synthetic != "" && callee.Origin() == nil {
			return true // a wrapper: bound method, thunk
		}
		return g.acts
	}
	if callee.Synthetic != "" && callee.Pkg != nil && fi.a.module[callee.Pkg] {
		return true // a wrapper the module's code needs
	}
	// Out of the module: a callback it may call, or shared memory it may
	// write.
	for _, a := range c.Args {
		if _, ok := a.Type().Underlying().(*types.Signature); ok && !fi.quietFunc(a) {
			return true
		}
		if !isSDKFunc(callee) && fi.isShared(a) {
			return true
		}
	}
	return false
}

// quietFunc reports whether a func value is a function whose slice has no
// criteria (a callback that cannot change the durable actions).
func (fi *funcInfo) quietFunc(v ssa.Value) bool {
	var fn *ssa.Function
	switch x := v.(type) {
	case *ssa.Function:
		fn = x
	case *ssa.MakeClosure:
		fn, _ = x.Fn.(*ssa.Function)
	}
	if fn == nil {
		return false
	}
	g := fi.a.summaryOf(fn)
	if g == nil && fn.Pkg != nil && fi.a.module[fn.Pkg] {
		return false // a wrapper
	}
	if g == nil {
		return fn.Pkg == nil || !fi.a.module[fn.Pkg]
	}
	return !g.acts
}

// deps lists what an instruction in the slice depends on.
func (fi *funcInfo) deps(instr ssa.Instruction) []dep {
	var out []dep
	// Control: the branches that decide whether it runs.
	for _, br := range fi.ctl[instr.Block()] {
		out = append(out, dep{label: fmt.Sprintf("ctl%d", br.succ), i: br.block.Instrs[len(br.block.Instrs)-1]})
	}
	read := func(v ssa.Value) {
		if r := aliasRoot(v); fi.isPrivate(r) {
			for _, w := range fi.writers[r] {
				out = append(out, dep{label: "w", i: w})
			}
		}
	}
	switch x := instr.(type) {
	case *ssa.Panic, *ssa.Jump, *ssa.RunDefers, *ssa.DebugRef:
	case *ssa.If:
		out = append(out, dep{label: "cond", v: x.Cond, use: true})
	case *ssa.Return:
		for i, r := range x.Results {
			out = append(out, dep{label: fmt.Sprintf("res%d", i), v: r, use: true})
			read(r)
		}
	case *ssa.Phi:
		for i, e := range x.Edges {
			out = append(out, dep{label: fmt.Sprintf("edge%d", i), v: e, use: true})
			p := x.Block().Preds[i]
			if len(p.Succs) > 1 {
				out = append(out, dep{label: "from", i: p.Instrs[len(p.Instrs)-1]})
			}
			for _, br := range fi.ctl[p] {
				out = append(out, dep{label: fmt.Sprintf("ctl%d", br.succ), i: br.block.Instrs[len(br.block.Instrs)-1]})
			}
		}
	case ssa.CallInstruction:
		for _, d := range fi.callDeps(x.Common()) {
			out = append(out, d)
			read(d.v)
		}
	case *ssa.Store:
		out = append(out, dep{label: "addr", v: x.Addr, use: true}, dep{label: "val", v: x.Val, use: true})
	case *ssa.UnOp:
		out = append(out, dep{label: "x", v: x.X, use: true})
		if x.Op.String() == "*" {
			read(x.X)
		}
	case *ssa.Lookup:
		out = append(out, dep{label: "x", v: x.X, use: true}, dep{label: "index", v: x.Index, use: true})
		read(x.X)
	case *ssa.Range:
		out = append(out, dep{label: "x", v: x.X, use: true})
		read(x.X)
	default:
		var rands [8]*ssa.Value
		for i, op := range instr.Operands(rands[:0]) {
			if op == nil || *op == nil {
				out = append(out, dep{label: fmt.Sprintf("op%d", i)})
				continue
			}
			out = append(out, dep{label: fmt.Sprintf("op%d", i), v: *op, use: true})
		}
	}
	return out
}

// slicer marks the slice of one function.
type slicer struct {
	fi      *funcInfo
	marked  map[any]bool
	work    []dep
	acts    bool
	params  map[int]bool
	free    bool
	results map[*ssa.Function]bool
}

func newSlicer(fi *funcInfo) *slicer {
	return &slicer{fi: fi, marked: map[any]bool{}, params: map[int]bool{}, results: map[*ssa.Function]bool{}}
}

// criteria lists the function's criteria, in instruction order.
func (fi *funcInfo) criteria() []ssa.Instruction {
	var out []ssa.Instruction
	for _, b := range fi.fn.Blocks {
		for _, instr := range b.Instrs {
			if fi.isCriterion(instr) {
				out = append(out, instr)
			}
		}
	}
	return out
}

func (s *slicer) run() {
	for _, c := range s.fi.criteria() {
		if _, ret := c.(*ssa.Return); !ret {
			s.acts = true
		}
		s.push(dep{i: c})
	}
	for len(s.work) > 0 {
		d := s.work[len(s.work)-1]
		s.work = s.work[:len(s.work)-1]
		if instr, ok := d.node().(ssa.Instruction); ok {
			for _, e := range s.fi.deps(instr) {
				s.push(e)
			}
		}
	}
}

func (s *slicer) push(d dep) {
	if d.v == nil && d.i == nil {
		return
	}
	if d.use {
		s.noteUse(d.v)
	}
	n := d.node()
	if s.marked[n] {
		return
	}
	s.marked[n] = true
	switch v := d.v.(type) {
	case *ssa.Parameter:
		for i, p := range s.fi.fn.Params {
			if p == v {
				s.params[i] = true
			}
		}
	case *ssa.FreeVar:
		s.free = true
	}
	s.work = append(s.work, d)
}

// noteUse records that a call's result is used in the slice.
func (s *slicer) noteUse(v ssa.Value) {
	if e, ok := v.(*ssa.Extract); ok {
		v = e.Tuple
	}
	if c, ok := v.(*ssa.Call); ok {
		if fn := c.Call.StaticCallee(); fn != nil {
			s.results[fn] = true
		}
	}
}
