package durable

import (
	"go/ast"
	"go/types"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/dfversion/dfversion/goapp"
)

// ioShapes describes the types an activity's or entity's code reads its
// input into and the types it hands back: what must not change while
// instances in flight still call it.
//
// Inputs are the targets of GetInput, json.Unmarshal and
// (*json.Decoder).Decode; outputs are the values the handler returns
// (other than the error) and the values given to json.Marshal and
// (*json.Encoder).Encode.
func ioShapes(m *goapp.Module, h *goapp.Handler, reach *Reach) (inputs, outputs []string) {
	in, out := map[string]bool{}, map[string]bool{}
	visit := func(body ast.Node, info *types.Info) {
		if body == nil || info == nil {
			return
		}
		ast.Inspect(body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name, isMethod := calleeName(info, call)
			switch {
			case name == "GetInput" && isMethod && len(call.Args) == 1,
				name == "encoding/json.Unmarshal" && len(call.Args) == 2,
				name == "(encoding/json.Decoder).Decode" && len(call.Args) == 1:
				arg := call.Args[len(call.Args)-1]
				if t := info.TypeOf(arg); t != nil {
					if p, ok := t.(*types.Pointer); ok {
						t = p.Elem()
					}
					in[shape(m, t)] = true
				}
			case name == "encoding/json.Marshal" && len(call.Args) == 1,
				name == "encoding/json.MarshalIndent" && len(call.Args) == 3,
				name == "(encoding/json.Encoder).Encode" && len(call.Args) == 1:
				if t := info.TypeOf(call.Args[0]); t != nil {
					out[shape(m, t)] = true
				}
			}
			return true
		})
	}
	if body := h.Body(); body != nil {
		visit(body, h.Pkg.TypesInfo)
	}
	for _, fn := range reach.Funcs {
		if h.Func != nil && fn == h.Func.Origin() {
			continue
		}
		if d, ok := m.DeclOf(fn); ok && d.Decl.Body != nil {
			visit(d.Decl.Body, d.Pkg.TypesInfo)
		}
	}
	// What the handler itself returns, besides its error.
	if info := h.Pkg.TypesInfo; info != nil && h.Body() != nil {
		ast.Inspect(h.Body(), func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // a nested function's returns are its own
			case *ast.ReturnStmt:
				for _, r := range n.Results {
					t := info.TypeOf(r)
					if t == nil || isErrorOrNil(t) {
						continue
					}
					out[shape(m, t)] = true
				}
			}
			return true
		})
	}
	return sortedKeys(in), sortedKeys(out)
}

// calleeName names the function a call calls: "pkg/path.Func",
// "(pkg/path.Type).Method", or a bare method name for methods of
// interfaces and of types outside the standard library, with isMethod set.
func calleeName(info *types.Info, call *ast.CallExpr) (name string, isMethod bool) {
	fn := goapp.FuncOf(info, call.Fun)
	if fn == nil || fn.Pkg() == nil {
		return "", false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return fn.Pkg().Path() + "." + fn.Name(), false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && !types.IsInterface(n) {
		if n.Obj().Pkg().Path() == "encoding/json" {
			return "(" + n.Obj().Pkg().Path() + "." + n.Obj().Name() + ")." + fn.Name(), true
		}
	}
	return fn.Name(), true
}

func isErrorOrNil(t types.Type) bool {
	if b, ok := t.(*types.Basic); ok && b.Kind() == types.UntypedNil {
		return true
	}
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// shape describes a type by its structure, so that any change to what
// crosses the wire shows: named types are written with their package's
// path within the module and, the first time, their underlying structure;
// struct fields with their names, shapes and JSON names.
func shape(m *goapp.Module, t types.Type) string {
	var b strings.Builder
	writeShape(m, &b, t, map[*types.TypeName]bool{})
	return b.String()
}

func writeShape(m *goapp.Module, b *strings.Builder, t types.Type, seen map[*types.TypeName]bool) {
	switch t := t.(type) {
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() == nil {
			b.WriteString(obj.Name()) // error
			return
		}
		b.WriteString(m.DeclKey(obj))
		if args := t.TypeArgs(); args != nil && args.Len() > 0 {
			b.WriteString("[")
			for i := range args.Len() {
				if i > 0 {
					b.WriteString(",")
				}
				writeShape(m, b, args.At(i), seen)
			}
			b.WriteString("]")
		}
		if seen[obj] || !strings.HasPrefix(obj.Pkg().Path(), m.Path) {
			return // outside the module: its name says enough
		}
		seen[obj] = true
		b.WriteString("=")
		writeShape(m, b, t.Underlying(), seen)
	case *types.Alias:
		writeShape(m, b, types.Unalias(t), seen)
	case *types.Pointer:
		b.WriteString("*")
		writeShape(m, b, t.Elem(), seen)
	case *types.Slice:
		b.WriteString("[]")
		writeShape(m, b, t.Elem(), seen)
	case *types.Array:
		b.WriteString("[" + strconv.FormatInt(t.Len(), 10) + "]")
		writeShape(m, b, t.Elem(), seen)
	case *types.Map:
		b.WriteString("map[")
		writeShape(m, b, t.Key(), seen)
		b.WriteString("]")
		writeShape(m, b, t.Elem(), seen)
	case *types.Struct:
		b.WriteString("struct{")
		for i := range t.NumFields() {
			f := t.Field(i)
			if i > 0 {
				b.WriteString("; ")
			}
			if !f.Embedded() {
				b.WriteString(f.Name() + " ")
			}
			writeShape(m, b, f.Type(), seen)
			if tag := reflect.StructTag(t.Tag(i)).Get("json"); tag != "" {
				b.WriteString(" json:" + tag)
			}
		}
		b.WriteString("}")
	case *types.Interface:
		if t.Empty() {
			b.WriteString("any")
			return
		}
		b.WriteString(types.TypeString(t, nil))
	default:
		b.WriteString(types.TypeString(t, func(p *types.Package) string { return p.Path() }))
	}
}
