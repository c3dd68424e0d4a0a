package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
)

// EditedSince lists the declarations that h's code reaches, as its
// fingerprint does (functions, methods, package-level variables,
// constants and types, the writers of those variables, package inits,
// interface implementations and func values; h itself and other durable
// functions' handlers excluded) whose tokens differ from the
// same declarations at a base revision. base returns a file's content at
// that revision, or nil when the file did not exist. Declarations new
// since then are not listed: no released code could have used them.
func (m *Module) EditedSince(h *Handler, names FunctionNames, base func(path string) []byte) []string {
	reach := m.reach(h, func(fn *types.Func) bool {
		_, durable := names(fn)
		return durable
	}, true)
	parsed := map[string]*ast.File{}
	baseSrc := map[string][]byte{}
	baseFile := func(path string) (*ast.File, *token.FileSet, []byte) {
		fset := token.NewFileSet()
		if f, ok := parsed[path]; ok {
			return f, fset, baseSrc[path]
		}
		src := base(path)
		var f *ast.File
		if src != nil {
			f, _ = parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		}
		parsed[path], baseSrc[path] = f, src
		return f, fset, src
	}
	var edited []string
	check := func(obj types.Object, node ast.Node) {
		path := m.Fset.File(node.Pos()).Name()
		f, _, src := baseFile(path)
		if f == nil {
			return
		}
		old := baseDecl(f, src, obj)
		if old == nil {
			return
		}
		now, err := m.nodeSource(node)
		if err != nil {
			return
		}
		if TokenHash(now) != TokenHash(old) {
			edited = append(edited, m.DeclKey(obj))
		}
	}
	for _, fn := range reach.Funcs {
		if h.Func != nil && fn == h.Func.Origin() {
			continue
		}
		if d, ok := m.declOf(fn); ok {
			check(fn, d.decl)
		}
	}
	for _, obj := range reach.Objects {
		s := m.specs[obj]
		check(obj, s.spec)
	}
	sort.Strings(edited)
	return edited
}

// baseDecl returns the source text, in f (parsed from src), of the
// declaration of the object with obj's name: a function or method (same
// receiver type name), or a variable, constant or type spec.
func baseDecl(f *ast.File, src []byte, obj types.Object) []byte {
	text := func(n ast.Node) []byte {
		start, end := int(n.Pos())-int(f.FileStart), int(n.End())-int(f.FileStart)
		if start < 0 || end > len(src) || start > end {
			return nil
		}
		return src[start:end]
	}
	fn, isFunc := obj.(*types.Func)
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !isFunc || d.Name.Name != fn.Name() {
				continue
			}
			recv := ""
			if r := fn.Signature().Recv(); r != nil {
				t := r.Type()
				if p, ok := t.(*types.Pointer); ok {
					t = p.Elem()
				}
				if n, ok := t.(*types.Named); ok {
					recv = n.Obj().Name()
				}
			}
			if recvName(d) == recv {
				return text(d)
			}
		case *ast.GenDecl:
			if isFunc {
				continue
			}
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name == obj.Name() {
							return text(s)
						}
					}
				case *ast.TypeSpec:
					if s.Name.Name == obj.Name() {
						return text(s)
					}
				}
			}
		}
	}
	return nil
}
