package durable

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// serializer writes a function's slice canonically: from the criteria in
// instruction order, backwards along the deps, numbering instructions by
// first visit. Nothing outside the slice, and no name or position, is
// written.
type serializer struct {
	a   *Analysis
	fi  *funcInfo
	ids map[any]int
	b   strings.Builder
	// segments are the criteria in the order written, each with its part
	// of the serialization (see Site).
	segments []segment
}

// segment is one criterion's part of a function's serialization.
type segment struct {
	criterion ssa.Instruction
	text      string
}

func newSerializer(a *Analysis, fi *funcInfo) *serializer {
	return &serializer{a: a, fi: fi, ids: map[any]int{}}
}

// function serializes the slice; "" when it is empty.
func (s *serializer) function() string {
	for _, c := range s.fi.criteria() {
		start := s.b.Len()
		s.b.WriteString("criterion ")
		s.node(c)
		s.b.WriteByte('\n')
		s.segments = append(s.segments, segment{c, s.b.String()[start:]})
	}
	return s.b.String()
}

func (s *serializer) node(n any) {
	if id, ok := s.ids[n]; ok {
		fmt.Fprintf(&s.b, "#%d", id)
		return
	}
	instr, ok := n.(ssa.Instruction)
	if !ok {
		s.b.WriteString(s.leaf(n.(ssa.Value)))
		return
	}
	id := len(s.ids)
	s.ids[n] = id
	fmt.Fprintf(&s.b, "#%d=(%s", id, s.op(instr))
	for _, d := range s.fi.deps(instr) {
		s.b.WriteString(" " + d.label + ":")
		if d.v == nil && d.i == nil {
			s.b.WriteString("_")
			continue
		}
		s.node(d.node())
	}
	s.b.WriteString(")")
}

// leaf spells a value that is not an instruction.
func (s *serializer) leaf(v ssa.Value) string {
	switch x := v.(type) {
	case *ssa.Const:
		if x.Value == nil {
			return "const " + typeRef(x.Type()) + " nil"
		}
		return "const " + typeRef(x.Type()) + " " + x.Value.ExactString()
	case *ssa.Function:
		return s.a.funcRef(x)
	case *ssa.Global:
		if obj := x.Object(); obj != nil && s.a.module[x.Pkg] {
			return "global " + s.a.m.DeclKey(obj)
		}
		return "global " + x.RelString(nil)
	case *ssa.Builtin:
		return "builtin " + x.Name()
	case *ssa.Parameter:
		for i, p := range s.fi.fn.Params {
			if p == x {
				return fmt.Sprintf("param %d %s", i, typeRef(x.Type()))
			}
		}
	case *ssa.FreeVar:
		for i, p := range s.fi.fn.FreeVars {
			if p == x {
				return fmt.Sprintf("free %d %s", i, typeRef(x.Type()))
			}
		}
	}
	return fmt.Sprintf("%T %s", v, typeRef(v.Type()))
}

// op spells an instruction's operation, without its operands.
func (s *serializer) op(instr ssa.Instruction) string {
	typ := ""
	if v, ok := instr.(ssa.Value); ok && v.Type() != nil {
		typ = " " + typeRef(v.Type())
	}
	switch x := instr.(type) {
	case *ssa.Alloc:
		return fmt.Sprintf("alloc heap=%v%s", x.Heap, typ)
	case *ssa.BinOp:
		return "binop " + x.Op.String() + typ
	case *ssa.UnOp:
		return fmt.Sprintf("unop %s commaok=%v%s", x.Op, x.CommaOk, typ)
	case *ssa.Call:
		return "call " + s.callee(x.Common()) + typ
	case *ssa.Defer:
		return "defer " + s.callee(x.Common())
	case *ssa.Go:
		return "go " + s.callee(x.Common())
	case *ssa.Field:
		return fmt.Sprintf("field %d%s", x.Field, typ)
	case *ssa.FieldAddr:
		return fmt.Sprintf("fieldaddr %d%s", x.Field, typ)
	case *ssa.Lookup:
		return fmt.Sprintf("lookup commaok=%v%s", x.CommaOk, typ)
	case *ssa.TypeAssert:
		return fmt.Sprintf("typeassert %s commaok=%v", typeRef(x.AssertedType), x.CommaOk)
	case *ssa.Extract:
		return fmt.Sprintf("extract %d%s", x.Index, typ)
	case *ssa.MakeClosure:
		return "closure " + s.a.funcRef(x.Fn.(*ssa.Function))
	case *ssa.Next:
		return fmt.Sprintf("next string=%v", x.IsString)
	case *ssa.Select:
		dirs := make([]string, len(x.States))
		for i, st := range x.States {
			dirs[i] = fmt.Sprint(int(st.Dir))
		}
		return fmt.Sprintf("select blocking=%v %s", x.Blocking, strings.Join(dirs, ","))
	}
	name := fmt.Sprintf("%T", instr)
	return strings.ToLower(strings.TrimPrefix(name, "*ssa.")) + typ
}

// callee spells what a call calls.
func (s *serializer) callee(c *ssa.CallCommon) string {
	switch {
	case c.IsInvoke():
		return "invoke " + typeRef(c.Value.Type()) + "." + c.Method.Name()
	case c.StaticCallee() != nil:
		return s.a.funcRef(c.StaticCallee())
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		return "builtin " + b.Name()
	}
	return "dynamic " + typeRef(c.Signature())
}
