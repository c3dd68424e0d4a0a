package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"

	"github.com/dfversion/dfversion/goapp"
)

// restoreDecl gives a handler that was edited since the base revision its
// code from then back: src is the content of its file at that revision.
// The new version, already cloned from the edited code, keeps the edit.
// It reports whether the handler had been edited.
func (c *cloner) restoreDecl(ef *editFile, h *goapp.Handler, current *dst.FuncDecl, src []byte) (bool, error) {
	fset := token.NewFileSet()
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")) // compared with the LF text loaded
	refFile, err := parser.ParseFile(fset, ef.path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return false, fmt.Errorf("reading %s at the base revision: %w", c.m.DisplayFile(ef.path), err)
	}
	refDecl := findDecl(refFile, h)
	if refDecl == nil {
		return false, nil // a handler the base revision does not have
	}
	now, err := c.m.Source(ef.path)
	if err != nil {
		return false, err
	}
	if bytes.Equal(declText(c.m.Fset, now, h.Decl), declText(fset, src, refDecl)) {
		return false, nil
	}
	dec := decorator.NewDecorator(fset)
	df, err := dec.DecorateFile(refFile)
	if err != nil {
		return false, fmt.Errorf("reading %s at the base revision: %w", c.m.DisplayFile(ef.path), err)
	}
	_ = df
	restored := dst.Clone(dec.Dst.Nodes[refDecl]).(*dst.FuncDecl)
	restored.Decs.Before = current.Decs.Before
	restored.Decs.After = current.Decs.After
	restored.Decs.End = current.Decs.End
	for i, d := range ef.dst.Decls {
		if d == current {
			ef.dst.Decls[i] = restored
			return true, nil
		}
	}
	return false, fmt.Errorf("internal error: the declaration of %s was not found in its file", h.Describe())
}

// findDecl finds the declaration of h's function or method in f.
func findDecl(f *ast.File, h *goapp.Handler) *ast.FuncDecl {
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != h.GoName {
			continue
		}
		if goapp.RecvName(fd) == goapp.RecvName(h.Decl) {
			return fd
		}
	}
	return nil
}

// declText is the source text of a declaration, from its func keyword to
// its closing brace.
func declText(fset *token.FileSet, src []byte, d *ast.FuncDecl) []byte {
	f := fset.File(d.Pos())
	start, end := f.Offset(d.Pos()), f.Offset(d.End())
	if start < 0 || end > len(src) || start > end {
		return nil
	}
	return src[start:end]
}
