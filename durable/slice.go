package durable

// The durable slice: what counts, and why.
//
// A released orchestrator is replayed from its history: on replay it must
// schedule the same durable actions (activities, sub-orchestrations, timers,
// external-event waits, continue-as-new, entity operations), with the same
// target names, in the same order. That sequence is all the engine compares.
// The slice of a function is the part of its code that can change the
// sequence: a backward slice over the function's SSA form
// (golang.org/x/tools/go/ssa) from these criteria:
//
//   - every durable call (the call itself, where it stands in the control
//     flow, and its target name; for WaitForSingleEvent also the timeout,
//     which decides whether a timer is scheduled too), and every Await on a
//     durable task;
//   - every panic, and every call of a function that does not return
//     (os.Exit, log.Fatal, log.Panic, runtime.Goexit);
//   - every call of a module function whose own slice is not empty (it
//     makes durable calls or decides them), with the arguments its slice
//     depends on;
//   - every call the analysis cannot see into: a call through an interface
//     or a func value, a call out of the module passing a callback, with all
//     its operands;
//   - every write to memory that outlives the function or that others may
//     see (package variables, what a parameter points to, captured
//     variables, escaped locals), with the value written;
//   - a function's return values, when some caller's slice uses them (a
//     helper that computes a target name or decides a call), or when it can
//     be called where the analysis cannot see (methods, functions used as
//     values, func literals). An orchestrator's own results are its output:
//     not in the slice.
//
// From the criteria the slice follows, backwards:
//
//   - data: the operands an instruction computes its value from. A call out
//     of the module depends on all its arguments; a call of a module function
//     on the arguments its slice depends on (a summary, computed to a fixed
//     point over the module);
//   - memory: a load from a local variable depends on every store to it and
//     every call given its address (ctx.GetInput(&in), Await(&out)), in the
//     function;
//   - control: an instruction depends on the branches that decide whether it
//     runs (control dependence, from post-dominators computed on the reversed
//     control-flow graph), and a phi on the branches that choose its edge. So
//     the condition of `if err != nil { return nil, err }` is in the slice of
//     every call after it; the error it returns is not.
//
// Examples, in an orchestrator:
//
//	for i := 0; i < len(in.Cities); i++ {                        // in: the bound decides the calls
//		log.Printf("city %d of %d", i, len(in.Cities))           // out: a message
//		err := ctx.CallActivity(SayHello,
//			task.WithActivityInput(in.Cities[i])).Await(&out)    // in: the call, SayHello; out: the input
//		if err != nil {                                          // in: decides whether the loop goes on
//			return nil, fmt.Errorf("greeting %s: %w", in.Cities[i], err) // out: the output
//		}
//	}
//	name := target(in.Kind)                                      // in: it names the next activity
//	ctx.CallActivity(name)
//
// in a helper that the orchestrator calls: `func target(k string) string {
// if k == "gift" { return "Wrap" }; return "Ship" }` has its condition and
// both results in its slice (a caller uses its result as a target name);
// `func describe(o Order) string { return fmt.Sprintf(...) }`, used only for
// a log message, has an empty slice.
//
// The slice is serialized canonically (serialize.go): backwards from the
// criteria in the order they appear, values numbered by first visit, with
// constants by value, module functions and variables by declaration key,
// other functions by their full name and types by their spelling. Names of
// locals, parameters and labels, positions, comments and layout do not
// appear, nor does any instruction outside the slice: renaming a local,
// inserting a log line or reordering statements that feed no durable
// decision leaves the serialization unchanged.
//
// Sound first. Wherever the analysis is unsure it counts the change as
// inside the slice: a function that uses unsafe or reflect, whose SSA form
// cannot be built, or whose control flow has a block that cannot reach a
// return (post-dominators are undefined there) has no slice hash, so any
// change to it is breaking. What the analysis assumes, as the reach does
// (reach.go): code outside the module does not call back into
// module code that makes durable calls except through func values passed
// to it (fmt calling String, encoding/json calling MarshalJSON are not
// followed; neither is an error's Error method); value computations end and
// do not panic by themselves (a nil dereference, an index out of range or a
// division by zero that an edit introduces is not seen, an explicit panic
// is); memory reachable from a local variable through pointers loaded from
// it belongs to that variable.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/dfversion/dfversion/goapp"
)

// Analysis is the durable slice of every function of a module.
type Analysis struct {
	m      *goapp.Module
	prog   *ssa.Program
	module map[*ssa.Package]bool
	funcs  []*ssa.Function // the module's functions with bodies, func literals included
	infos  map[*ssa.Function]*funcInfo
	syntax map[ast.Node]*ssa.Function
	byKey  map[string]*ssa.Function
	hashes map[*ssa.Function]string
	sites  map[*ssa.Function][]Site // with hashes: see sites.go
	roots  map[*ssa.Function]bool
	failed bool
}

// Analyze builds the SSA form of the module's packages (its dependencies
// from their types only) and computes the slice of every function. roots
// are the orchestrators' handlers: their results are the orchestration's
// output, which replay does not compare. An Analysis that could not be
// built (the SSA builder failed) knows no slice: every change counts as
// inside the slice.
func Analyze(m *goapp.Module, roots []*goapp.Handler) (a *Analysis) {
	a = &Analysis{m: m, module: map[*ssa.Package]bool{}, infos: map[*ssa.Function]*funcInfo{},
		syntax: map[ast.Node]*ssa.Function{}, byKey: map[string]*ssa.Function{},
		hashes: map[*ssa.Function]string{}, sites: map[*ssa.Function][]Site{}, roots: map[*ssa.Function]bool{}}
	defer func() {
		if r := recover(); r != nil {
			a.failed = true // sound: nothing is known to be outside the slice
		}
	}()
	if !a.build() {
		a.failed = true
		return a
	}
	for _, h := range roots {
		var fn *ssa.Function
		switch {
		case h.Func != nil:
			fn = a.prog.FuncValue(h.Func.Origin())
		case h.Lit != nil:
			fn = a.syntax[h.Lit]
		}
		if fn != nil {
			a.roots[fn] = true
		}
	}
	a.solve()
	return a
}

// build creates the SSA program: the module's packages from their syntax,
// every package they import (transitively) from its types.
func (a *Analysis) build() bool {
	a.prog = ssa.NewProgram(a.m.Fset, ssa.BuilderMode(0))
	created := map[*types.Package]bool{}
	var pkgs []*ssa.Package
	for _, p := range a.m.Packages {
		if p.Types == nil || p.TypesInfo == nil || len(p.Syntax) == 0 {
			return false
		}
		created[p.Types] = true
	}
	var deps func(t *types.Package)
	deps = func(t *types.Package) {
		for _, imp := range t.Imports() {
			if created[imp] {
				continue
			}
			created[imp] = true
			a.prog.CreatePackage(imp, nil, nil, true)
			deps(imp)
		}
	}
	for _, p := range a.m.Packages {
		deps(p.Types)
	}
	for _, p := range a.m.Packages {
		sp := a.prog.CreatePackage(p.Types, p.Syntax, p.TypesInfo, true)
		a.module[sp] = true
		pkgs = append(pkgs, sp)
	}
	for _, sp := range pkgs {
		sp.Build()
	}
	seen := map[*ssa.Function]bool{}
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		if fn == nil || seen[fn] {
			return
		}
		seen[fn] = true
		if fn.Blocks != nil {
			a.funcs = append(a.funcs, fn)
		}
		if s := fn.Syntax(); s != nil {
			a.syntax[s] = fn
		}
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for i, p := range a.m.Packages {
		sp := pkgs[i]
		add(sp.Func("init"))
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok {
					continue
				}
				obj, ok := p.TypesInfo.Defs[fd.Name].(*types.Func)
				if !ok {
					continue
				}
				fn := a.prog.FuncValue(obj)
				if fn == nil {
					continue
				}
				add(fn)
				a.byKey[a.m.DeclKey(obj)] = fn
			}
		}
	}
	return true
}

// Slice gives, for the declarations of an orchestrator's Code (keys as
// FingerprintOf names them), the hash of each function's durable slice,
// and its sites (sites.go): the function's own criteria, then those of its
// func literals. literal is the key of a func-literal handler h.
// Declarations that are not functions (variables, constants, types), and
// functions the analysis is unsure of, have no entry: any change to them
// is breaking.
func (a *Analysis) Slice(h *goapp.Handler, code map[string]string, literal string) (hashes map[string]string, sites map[string][]Site) {
	out := map[string]string{}
	sites = map[string][]Site{}
	if a == nil || a.failed {
		return out, sites
	}
	for k := range code {
		var fn *ssa.Function
		if k == literal && h.Lit != nil {
			fn = a.syntax[h.Lit]
		} else {
			fn = a.byKey[k]
		}
		if fn == nil {
			continue
		}
		if hash, ok := a.hashOf(fn); ok {
			out[k] = hash
			if s := a.sites[fn]; len(s) > 0 {
				sites[k] = s
			}
		}
	}
	return out, sites
}

// hashOf is the hash of fn's slice, with the slices of the func literals
// it holds; ok is false when the analysis is unsure of it.
func (a *Analysis) hashOf(fn *ssa.Function) (string, bool) {
	if h, ok := a.hashes[fn]; ok {
		return h, h != ""
	}
	a.hashes[fn] = "" // a cycle through literals: unsure
	fi := a.infos[fn]
	if fi == nil || fi.unsure {
		return "", false
	}
	var b strings.Builder
	ser := newSerializer(a, fi)
	b.WriteString(ser.function())
	sites := a.sitesOf(fn, ser.segments)
	var lits []string
	for _, anon := range fn.AnonFuncs {
		h, ok := a.hashOf(anon)
		if !ok {
			return "", false
		}
		if h != emptyHash {
			lits = append(lits, h)
			sites = append(sites, a.sites[anon]...)
		}
	}
	a.sites[fn] = sites
	sort.Strings(lits)
	for _, h := range lits {
		b.WriteString("\nliteral " + h)
	}
	h := hashString(b.String())
	a.hashes[fn] = h
	return h, true
}

var emptyHash = hashString("")

func hashString(s string) string {
	if s == "" {
		return "sha256:empty"
	}
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])[:32]
}

// solve computes every function's slice, to a fixed point of the
// summaries: which functions' results callers use, which parameters a
// function's slice depends on, and whether its slice has criteria.
func (a *Analysis) solve() {
	for _, fn := range a.funcs {
		a.infos[fn] = newFuncInfo(a, fn)
	}
	// Results of what may be called where the analysis cannot see are
	// needed: methods (interfaces), functions used as values, literals.
	for _, fn := range a.funcs {
		fi := a.infos[fn]
		if a.roots[fn] {
			continue
		}
		if fn.Parent() != nil || fn.Signature.Recv() != nil {
			fi.needResults = true
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var rands [8]*ssa.Value
				ops := instr.Operands(rands[:0])
				if c, ok := instr.(ssa.CallInstruction); ok && !c.Common().IsInvoke() {
					ops = ops[1:] // the callee, when static, is not a value use
					if _, ok := c.Common().Value.(*ssa.Function); !ok {
						ops = instr.Operands(rands[:0])
					}
				}
				for _, op := range ops {
					if op == nil {
						continue
					}
					g, ok := (*op).(*ssa.Function)
					if !ok {
						continue
					}
					if g.Origin() != nil {
						g = g.Origin()
					}
					if gi := a.infos[g]; gi != nil && !a.roots[g] {
						gi.needResults = true
					}
				}
			}
		}
	}
	for iter := 0; ; iter++ {
		if iter > 100 {
			for _, fi := range a.infos {
				fi.unsure = true
			}
			return
		}
		changed := false
		for _, fn := range a.funcs {
			if a.infos[fn].compute() {
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// summaryOf is the analysis's knowledge of a module function called
// statically; nil for functions outside the module (or without a body).
func (a *Analysis) summaryOf(fn *ssa.Function) *funcInfo {
	if fn == nil {
		return nil
	}
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	return a.infos[fn]
}

// funcRef names a function in a serialization.
func (a *Analysis) funcRef(fn *ssa.Function) string {
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	if fn.Parent() != nil {
		if h, ok := a.hashOf(fn); ok {
			return "literal " + h
		}
		return "literal ?" + fmt.Sprint(fn.Pos())
	}
	if obj, ok := fn.Object().(*types.Func); ok && fn.Synthetic == "" && a.module[fn.Pkg] {
		return "func " + a.m.DeclKey(obj)
	}
	return "func " + fn.RelString(nil)
}

// typeRef spells a type in a serialization.
func typeRef(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Path() })
}
