package durable

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sort"

	"github.com/dfversion/dfversion/goapp"
)

// EditedSince lists the declarations that h's code reaches, as its
// fingerprint does (functions, methods, package-level variables,
// constants and types, the writers of those variables, package inits,
// interface implementations and func values; h itself and other durable
// functions' handlers excluded) whose tokens differ from the
// same declarations at a base revision. base returns a file's content at
// that revision, or nil when the file did not exist. Declarations new
// since then are not listed: no released code could have used them.
func EditedSince(m *goapp.Module, h *goapp.Handler, names FunctionNames, base func(path string) []byte) []string {
	reach := ReachUntil(m, h, func(fn *types.Func) bool {
		_, durable := names(fn)
		return durable
	}, true)
	var edited []string
	for _, obj := range EditedIn(m, reach, h, NewBaseFiles(base)) {
		edited = append(edited, m.DeclKey(obj))
	}
	sort.Strings(edited)
	return edited
}

// BaseFiles parses files at a base revision, once each.
type BaseFiles struct {
	read   func(path string) []byte
	parsed map[string]*ast.File
	src    map[string][]byte
}

// NewBaseFiles reads files of the base revision with read, which returns
// nil for a file the revision does not have.
func NewBaseFiles(read func(path string) []byte) *BaseFiles {
	return &BaseFiles{read: read, parsed: map[string]*ast.File{}, src: map[string][]byte{}}
}

// file returns the file at path as it was at the base revision, parsed
// without comments, and its content; nil when it did not exist.
func (b *BaseFiles) file(path string) (*ast.File, []byte) {
	if f, ok := b.parsed[path]; ok {
		return f, b.src[path]
	}
	src := b.read(path)
	var f *ast.File
	if src != nil {
		f, _ = parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
	}
	b.parsed[path], b.src[path] = f, src
	return f, src
}

// EditedIn lists the functions and objects of reach (h's own function
// aside) whose tokens differ from their declaration at the base revision,
// in the order reached. Declarations new since then are not listed.
func EditedIn(m *goapp.Module, reach *Reach, h *goapp.Handler, base *BaseFiles) []types.Object {
	var edited []types.Object
	check := func(obj types.Object, node ast.Node) {
		if editedSince(m, obj, node, base) {
			edited = append(edited, obj)
		}
	}
	for _, fn := range reach.Funcs {
		if h.Func != nil && fn == h.Func.Origin() {
			continue
		}
		if d, ok := m.DeclOf(fn); ok {
			check(fn, d.Decl)
		}
	}
	for _, obj := range reach.Objects {
		s, _ := m.SpecOf(obj)
		check(obj, s.Spec)
	}
	return edited
}

// editedSince reports whether the declaration node of obj differs, token
// by token, from its declaration at the base revision; false when the
// base revision does not have it.
func editedSince(m *goapp.Module, obj types.Object, node ast.Node, base *BaseFiles) bool {
	f, src := base.file(m.Fset.File(node.Pos()).Name())
	if f == nil {
		return false
	}
	old := baseDecl(f, src, obj)
	if old == nil {
		return false
	}
	now, err := m.NodeSource(node)
	if err != nil {
		return false
	}
	return TokenHash(now) != TokenHash(old)
}

// baseDecl returns the source text, in f (parsed from src), of the
// declaration of the object with obj's name (see baseNode).
func baseDecl(f *ast.File, src []byte, obj types.Object) []byte {
	n := BaseNode(f, obj)
	if n == nil {
		return nil
	}
	start, end := int(n.Pos())-int(f.FileStart), int(n.End())-int(f.FileStart)
	if start < 0 || end > len(src) || start > end {
		return nil
	}
	return src[start:end]
}

// BaseNode finds, in f, the declaration of the object with obj's name: a
// function or method declaration (same receiver type name), or a
// variable, constant or type spec; nil when f has none.
func BaseNode(f *ast.File, obj types.Object) ast.Node {
	fn, isFunc := obj.(*types.Func)
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !isFunc || d.Name.Name != fn.Name() {
				continue
			}
			if goapp.RecvName(d) == goapp.RecvTypeName(fn) {
				return d
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
							return s
						}
					}
				case *ast.TypeSpec:
					if s.Name.Name == obj.Name() {
						return s
					}
				}
			}
		}
	}
	return nil
}
