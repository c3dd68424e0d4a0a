package durable

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// funcInfo is what the analysis knows of one function: its control
// dependences and memory, which do not change, and its summary, which
// grows to a fixed point.
type funcInfo struct {
	a  *Analysis
	fn *ssa.Function

	// unsure is set when the function's slice cannot be trusted: unsafe,
	// reflect, a block that cannot reach a return.
	unsure bool
	// ctl lists, for every block, the branches it is control dependent on.
	ctl map[*ssa.BasicBlock][]branch
	// roots maps pointer-like values to the local allocation whose memory
	// they point into; escaped holds the allocations others may see.
	escaped map[ssa.Value]bool
	// writers lists, for every local allocation, the instructions that may
	// write its memory, in instruction order.
	writers map[ssa.Value][]ssa.Instruction

	// The summary.
	needResults bool         // callers use the results
	acts        bool         // the slice has criteria besides the returns
	params      map[int]bool // parameters the slice depends on
	free        bool         // the slice depends on a captured variable
}

// branch is an edge out of a block ending in If: the block, and which
// successor (0 for true).
type branch struct {
	block *ssa.BasicBlock
	succ  int
}

func newFuncInfo(a *Analysis, fn *ssa.Function) *funcInfo {
	fi := &funcInfo{a: a, fn: fn, params: map[int]bool{}, escaped: map[ssa.Value]bool{},
		writers: map[ssa.Value][]ssa.Instruction{}}
	var ok bool
	fi.ctl, ok = controlDependence(fn)
	if !ok {
		fi.unsure = true
	}
	fi.memory()
	return fi
}

// compute slices the function with the current summaries and updates its
// own; it reports whether any summary changed.
func (fi *funcInfo) compute() bool {
	if fi.unsure {
		changed := !fi.acts
		fi.acts = true
		for i := range fi.fn.Params {
			if !fi.params[i] {
				fi.params[i] = true
				changed = true
			}
		}
		fi.free = true
		return changed
	}
	s := newSlicer(fi)
	s.run()
	changed := false
	if s.acts && !fi.acts {
		fi.acts, changed = true, true
	}
	for i := range s.params {
		if !fi.params[i] {
			fi.params[i], changed = true, true
		}
	}
	if s.free && !fi.free {
		fi.free, changed = true, true
	}
	for g := range s.results {
		if gi := fi.a.summaryOf(g); gi != nil && !gi.needResults && !fi.a.roots[gi.fn] {
			gi.needResults, changed = true, true
		}
	}
	return changed
}

// hasPointers reports whether a value of type t may point to memory that
// a write through it can change. Strings are immutable: they do not.
func hasPointers(t types.Type) bool {
	return hasPointersSeen(t, map[types.Type]bool{})
}

func hasPointersSeen(t types.Type, seen map[types.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if hasPointersSeen(u.Field(i).Type(), seen) {
				return true
			}
		}
		return false
	case *types.Array:
		return hasPointersSeen(u.Elem(), seen)
	case *types.Tuple:
		for i := 0; i < u.Len(); i++ {
			if hasPointersSeen(u.At(i).Type(), seen) {
				return true
			}
		}
		return false
	}
	return true // pointer, slice, map, chan, func, interface, type parameter
}

// isSDK reports whether t is (a pointer to) the orchestration context or
// a durable task: values the SDK keeps, which module code neither reads
// as memory nor writes.
func isSDK(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok {
		return false
	}
	switch n.Obj().Name() {
	case "OrchestrationContext", "Task":
		return true
	}
	return false
}

// isError reports whether t is the predeclared error type.
func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// root follows a value that may point into memory back to where the
// memory comes from: a local allocation (Alloc, make), or anything else
// (a parameter, a global, a call's result), which the function does not
// own. Memory reachable from a local through pointers loaded from it is
// the local's.
func root(v ssa.Value) ssa.Value {
	for i := 0; i < 1000; i++ {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Slice:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.Index:
			v = x.X
		case *ssa.Lookup:
			v = x.X
		case *ssa.UnOp:
			if x.Op.String() != "*" {
				return v
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.TypeAssert:
			v = x.X
		case *ssa.SliceToArrayPointer:
			v = x.X
		case *ssa.Extract:
			v = x.Tuple
		case *ssa.Call:
			if b, ok := x.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(x.Call.Args) > 0 {
				v = x.Call.Args[0]
				continue
			}
			return v
		default:
			return v
		}
	}
	return v
}

// aliasRoot is root for a value that may carry a pointer into the memory;
// nil for values that cannot (a string or a number loaded from it, a
// durable task).
func aliasRoot(v ssa.Value) ssa.Value {
	if v == nil || !hasPointers(v.Type()) || isSDK(v.Type()) {
		return nil
	}
	for i := 0; i < 1000; i++ {
		var next ssa.Value
		switch x := v.(type) {
		case *ssa.FieldAddr:
			next = x.X
		case *ssa.IndexAddr:
			next = x.X
		case *ssa.Slice:
			next = x.X
		case *ssa.Field:
			next = x.X
		case *ssa.Index:
			next = x.X
		case *ssa.Lookup:
			next = x.X
		case *ssa.UnOp:
			if x.Op.String() != "*" {
				return v
			}
			next = x.X
		case *ssa.ChangeType:
			next = x.X
		case *ssa.Convert:
			next = x.X
		case *ssa.MakeInterface:
			next = x.X
		case *ssa.ChangeInterface:
			next = x.X
		case *ssa.TypeAssert:
			next = x.X
		case *ssa.SliceToArrayPointer:
			next = x.X
		case *ssa.Extract:
			next = x.Tuple
		case *ssa.Call:
			if b, ok := x.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(x.Call.Args) > 0 {
				next = x.Call.Args[0]
			} else {
				return v
			}
		default:
			return v
		}
		if !hasPointers(next.Type()) {
			return nil // a copy of a value without pointers aliases nothing
		}
		v = next
	}
	return v
}

// isLocal reports whether a root is memory the function allocates.
func isLocal(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.Alloc, *ssa.MakeSlice, *ssa.MakeMap, *ssa.MakeChan:
		return true
	}
	return false
}

// memory finds the local allocations whose memory others may see, and
// the writers of every other one; it marks the function unsure when it
// uses unsafe or reflect.
func (fi *funcInfo) memory() {
	escape := func(v ssa.Value) {
		if r := aliasRoot(v); r != nil && isLocal(r) {
			fi.escaped[r] = true
		}
	}
	write := func(instr ssa.Instruction, v ssa.Value) {
		if r := aliasRoot(v); r != nil && isLocal(r) {
			fi.writers[r] = append(fi.writers[r], instr)
		}
	}
	for _, b := range fi.fn.Blocks {
		for _, instr := range b.Instrs {
			var rands [8]*ssa.Value
			for _, op := range instr.Operands(rands[:0]) {
				if op != nil && *op != nil && usesUnsafe((*op).Type()) {
					fi.unsure = true
				}
			}
			switch x := instr.(type) {
			case *ssa.Store:
				escape(x.Val)
				write(x, x.Addr)
			case *ssa.MapUpdate:
				escape(x.Key)
				escape(x.Value)
				write(x, x.Map)
			case *ssa.Send:
				escape(x.X)
				write(x, x.Chan)
			case *ssa.MakeClosure:
				for _, v := range x.Bindings {
					escape(v)
				}
			case *ssa.Phi:
				for _, v := range x.Edges {
					escape(v)
				}
			case *ssa.Select:
				for _, st := range x.States {
					escape(st.Chan)
					if st.Send != nil {
						escape(st.Send)
					}
				}
			case *ssa.Go:
				for _, v := range x.Call.Args {
					escape(v)
				}
				escape(x.Call.Value)
			case *ssa.Defer:
				for _, v := range x.Call.Args {
					escape(v)
				}
				escape(x.Call.Value)
			case *ssa.Call:
				c := x.Common()
				if fn := c.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "reflect" {
					fi.unsure = true
				}
				if b, ok := c.Value.(*ssa.Builtin); ok {
					switch b.Name() {
					case "append":
						if len(c.Args) > 0 {
							write(x, c.Args[0])
						}
					case "copy", "delete", "clear":
						if len(c.Args) > 0 {
							write(x, c.Args[0])
						}
					}
					continue
				}
				// A call given a local's address may write it; if it may
				// also hand back a pointer into it (anything but an error
				// or a durable task), the local escapes.
				keeps := false
				if res := x.Type(); res != nil && hasPointers(res) && !isError(res) && !isSDK(res) {
					if t, ok := res.(*types.Tuple); ok {
						for i := 0; i < t.Len(); i++ {
							rt := t.At(i).Type()
							if hasPointers(rt) && !isError(rt) && !isSDK(rt) {
								keeps = true
							}
						}
					} else {
						keeps = true
					}
				}
				ops := append([]ssa.Value{}, c.Args...)
				if c.IsInvoke() {
					ops = append(ops, c.Value)
				}
				for _, v := range ops {
					write(x, v)
					if keeps {
						escape(v)
					}
				}
			}
		}
	}
	// Results may be returned: a local returned is the caller's to read,
	// which the callers' slices see through the results.
}

// usesUnsafe reports whether t is unsafe.Pointer.
func usesUnsafe(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.UnsafePointer
}
