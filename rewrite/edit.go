package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"golang.org/x/tools/go/packages"
)

// FileEdit is the new content of one Go file.
type FileEdit struct {
	Path string // absolute
	Old  []byte // content as read
	New  []byte
	// Reformatted is true when the file was not gofmt-clean, so that
	// printing it changed lines that the edit did not touch.
	Reformatted bool
}

// editor holds the decorated form of every file an edit touches, so that
// several changes to one file land in one rewrite of it.
type editor struct {
	m     *Module
	files map[*ast.File]*editFile
	order []*editFile
}

// editFile is one Go file being edited.
type editFile struct {
	ast  *ast.File
	pkg  *packages.Package
	path string
	dec  *decorator.Decorator
	dst  *dst.File
	// track are nodes of the edited file whose position in the new content
	// is wanted, such as rewritten references.
	track []trackedNode
}

type trackedNode struct {
	node dst.Node
	pos  *token.Position // filled in when the file is printed
}

func newEditor(m *Module) *editor {
	return &editor{m: m, files: map[*ast.File]*editFile{}}
}

// file returns the edit state of the file holding pos, decorating it on
// first use.
func (e *editor) file(pos token.Pos) (*editFile, error) {
	f, p := e.m.fileAt(pos)
	if f == nil {
		return nil, fmt.Errorf("no Go file holds position %s", e.m.Position(pos))
	}
	if ef, ok := e.files[f]; ok {
		return ef, nil
	}
	dec := decorator.NewDecorator(e.m.Fset)
	df, err := dec.DecorateFile(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", e.m.Position(f.Package).Filename, err)
	}
	ef := &editFile{ast: f, pkg: p, path: e.m.Fset.File(f.Package).Name(), dec: dec, dst: df}
	e.files[f] = ef
	e.order = append(e.order, ef)
	return ef, nil
}

// dstOf returns the decorated node of an ast node of the file.
func (ef *editFile) dstOf(n ast.Node) dst.Node { return ef.dec.Dst.Nodes[n] }

// trackPos asks for the position of n in the printed file; the returned
// position is filled in by print.
func (ef *editFile) trackPos(n dst.Node) *token.Position {
	p := &token.Position{}
	ef.track = append(ef.track, trackedNode{node: n, pos: p})
	return p
}

// print renders the edited file. Original content comes from disk as the
// module's loader read it.
func (ef *editFile) print(old []byte) (FileEdit, error) {
	r := decorator.NewRestorer()
	fr := r.FileRestorer()
	af, err := fr.RestoreFile(ef.dst)
	if err != nil {
		return FileEdit{}, fmt.Errorf("printing %s: %w", ef.path, err)
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, r.Fset, af); err != nil {
		return FileEdit{}, fmt.Errorf("printing %s: %w", ef.path, err)
	}
	for _, t := range ef.track {
		if n, ok := r.Ast.Nodes[t.node]; ok {
			*t.pos = r.Fset.Position(n.Pos())
			t.pos.Filename = ef.path
		}
	}
	clean, err := format.Source(old)
	return FileEdit{
		Path:        ef.path,
		Old:         old,
		New:         buf.Bytes(),
		Reformatted: err == nil && !bytes.Equal(clean, old),
	}, nil
}

// fileAt returns the file of the module that holds pos, and its package.
func (m *Module) fileAt(pos token.Pos) (*ast.File, *packages.Package) {
	for _, p := range m.Packages {
		for _, f := range p.Syntax {
			if f.FileStart <= pos && pos <= f.FileEnd {
				return f, p
			}
		}
	}
	return nil, nil
}

// correspondence maps every node of orig to the node at the same place in
// clone, a dst.Clone of orig: the two have the same shape, so a walk of
// each in the same order pairs them up.
func correspondence(orig, clone dst.Node) map[dst.Node]dst.Node {
	var a, b []dst.Node
	dst.Inspect(orig, func(n dst.Node) bool {
		if n != nil {
			a = append(a, n)
		}
		return true
	})
	dst.Inspect(clone, func(n dst.Node) bool {
		if n != nil {
			b = append(b, n)
		}
		return true
	})
	m := make(map[dst.Node]dst.Node, len(a))
	for i := range min(len(a), len(b)) {
		m[a[i]] = b[i]
	}
	return m
}
