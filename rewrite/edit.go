package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"golang.org/x/tools/go/packages"

	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/internal/parallel"
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

// NewContents maps the files edits change to their new contents, for
// Module.TypeCheck.
func NewContents(edits []FileEdit) map[string][]byte {
	out := make(map[string][]byte, len(edits))
	for _, e := range edits {
		out[e.Path] = e.New
	}
	return out
}

// editor holds the decorated form of every file an edit touches, so that
// several changes to one file land in one rewrite of it.
type editor struct {
	m     *goapp.Module
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
	// parents maps each node of the file to its parent, built on first use.
	parents map[ast.Node]ast.Node
	// track are nodes of the edited file whose position in the new content
	// is wanted, such as rewritten references.
	track []trackedNode
}

type trackedNode struct {
	node dst.Node
	pos  *token.Position // filled in when the file is printed
}

func newEditor(m *goapp.Module) *editor {
	return &editor{m: m, files: map[*ast.File]*editFile{}}
}

// file returns the edit state of the file holding pos, decorating it on
// first use.
func (e *editor) file(pos token.Pos) (*editFile, error) {
	f, p := e.m.FileAt(pos)
	if f == nil {
		return nil, fmt.Errorf("no Go file holds position %s", e.m.Position(pos))
	}
	if ef, ok := e.files[f]; ok {
		return ef, nil
	}
	name := e.m.Fset.File(f.Package).Name()
	// cgo's output is generated too: tell that case first, by the file the
	// user wrote.
	if orig := e.m.Fset.PositionFor(f.Package, true).Filename; orig != name || !strings.HasPrefix(name, absDir(e.m)) {
		return nil, fmt.Errorf("%s uses cgo (import \"C\"), so dfversion cannot rewrite it: move the handlers, registrations and names it holds into a file without cgo", e.m.DisplayFile(orig))
	}
	if ast.IsGenerated(f) {
		return nil, fmt.Errorf("%s is generated (it says \"Code generated ... DO NOT EDIT\"), so dfversion will not edit it: move the handlers, registrations and names it holds into a file of your own", e.m.DisplayFile(name))
	}
	dec := decorator.NewDecorator(e.m.Fset)
	df, err := dec.DecorateFile(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", e.m.Position(f.Package).Filename, err)
	}
	ef := &editFile{ast: f, pkg: p, path: name, dec: dec, dst: df}
	e.files[f] = ef
	e.order = append(e.order, ef)
	return ef, nil
}

// ancestry returns n and its ancestors, innermost first, up to the file.
func (ef *editFile) ancestry(n ast.Node) []ast.Node {
	if ef.parents == nil {
		ef.parents = map[ast.Node]ast.Node{}
		var stack []ast.Node
		ast.Inspect(ef.ast, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			if len(stack) > 0 {
				ef.parents[n] = stack[len(stack)-1]
			}
			stack = append(stack, n)
			return true
		})
	}
	path := []ast.Node{n}
	for p, ok := ef.parents[n]; ok; p, ok = ef.parents[p] {
		path = append(path, p)
	}
	return path
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
	// Whether the original was gofmt-clean is a second parse and print,
	// of other bytes: it runs beside this one.
	lf := bytes.ReplaceAll(old, []byte("\r\n"), []byte("\n"))
	reformatted := make(chan bool, 1)
	go func() {
		clean, err := format.Source(lf)
		reformatted <- err == nil && !bytes.Equal(clean, lf)
	}()
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
	if len(ef.track) > 0 {
		// The restorer's positions are its own; the printed file's come
		// from parsing it again and pairing its nodes with the restored
		// ones, which have the same shape.
		fset := token.NewFileSet()
		printed, err := parser.ParseFile(fset, ef.path, buf.Bytes(), parser.SkipObjectResolution)
		if err != nil {
			return FileEdit{}, fmt.Errorf("internal error: the rewritten %s does not parse: %w", ef.path, err)
		}
		pair := pairNodes(af, printed)
		for _, t := range ef.track {
			if n, ok := r.Ast.Nodes[t.node]; ok && pair[n] != nil {
				*t.pos = fset.Position(pair[n].Pos())
			}
		}
	}
	// (Files with CRLF endings were loaded with LF ones: printAll puts
	// them back.)
	return FileEdit{
		Path:        ef.path,
		Old:         old,
		New:         buf.Bytes(),
		Reformatted: <-reformatted,
	}, nil
}

// pairNodes maps every node of a to the node at the same place in b, two
// syntax trees of the same code. Comments are left out: they are attached
// differently by the restorer and the parser.
func pairNodes(a, b ast.Node) map[ast.Node]ast.Node {
	collect := func(root ast.Node) []ast.Node {
		var out []ast.Node
		ast.Inspect(root, func(n ast.Node) bool {
			switch n.(type) {
			case nil, *ast.CommentGroup, *ast.Comment:
				return false
			}
			out = append(out, n)
			return true
		})
		return out
	}
	na, nb := collect(a), collect(b)
	m := make(map[ast.Node]ast.Node, len(na))
	if len(na) != len(nb) {
		return m
	}
	for i := range na {
		m[na[i]] = nb[i]
	}
	return m
}

// printAll renders every edited file, in the order first edited. Files
// are printed on as many goroutines as there are processors: each has its
// own decorated tree and restorer. The error is that of the first file,
// in that order, that failed.
func (e *editor) printAll() ([]FileEdit, error) {
	out := make([]FileEdit, len(e.order))
	errs := make([]error, len(e.order))
	parallel.For(len(e.order), 0, func(i int) { out[i], errs[i] = e.printFile(e.order[i]) })
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// printFile renders one edited file, with the line endings it had.
func (e *editor) printFile(ef *editFile) (FileEdit, error) {
	old, err := e.m.Source(ef.path)
	if err != nil {
		return FileEdit{}, err
	}
	fe, err := ef.print(old)
	if err != nil {
		return FileEdit{}, err
	}
	if disk, ok := e.m.CRLFSource(ef.path); ok {
		// Loaded with LF endings: the file gets its CRLF ones back.
		fe.Old = disk
		fe.New = bytes.ReplaceAll(fe.New, []byte("\n"), []byte("\r\n"))
	}
	return fe, nil
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

// absDir is the module directory, absolute.
func absDir(m *goapp.Module) string {
	abs, err := filepath.Abs(m.Dir)
	if err != nil {
		return m.Dir
	}
	return abs
}
