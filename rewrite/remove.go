package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
	"golang.org/x/tools/go/packages"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/goapp"
)

// RemoveResult is what RemoveFunctions did.
type RemoveResult struct {
	Files []FileEdit
	// Removed names the Go declarations removed (handlers, and helpers
	// that only they used); Kept names handlers of removed functions that
	// other code still uses.
	Removed, Kept []string
	// Tests names the test functions removed because they exercised
	// removed code.
	Tests []string
}

// RemoveFunctions removes the given registrations from the Go code, with
// the handlers they register and the helpers only those handlers used,
// unless code that stays uses them; and the test functions that call what
// was removed. It changes nothing on disk.
func RemoveFunctions(m *goapp.Module, regs []*goapp.Registration) (*RemoveResult, error) {
	res := &RemoveResult{}
	ed := newEditor(m)
	// Every span of code going away, to tell uses from inside it from the
	// uses that keep a declaration alive.
	var gone []span
	for _, r := range regs {
		ef, err := ed.file(r.Node.Pos())
		if err != nil {
			return nil, err
		}
		unit, err := registrationUnit(ef, r)
		if err != nil {
			return nil, err
		}
		if err := removeFromList(ef, unit); err != nil {
			return nil, fmt.Errorf("%s: removing the registration of %s: %w", r.Pos, r.Function, err)
		}
		gone = append(gone, span{unit.Pos(), unit.End()})
	}
	// Handlers, then the helpers only removed code used, to a fixed point.
	candidates := map[*types.Func]bool{}
	for _, r := range regs {
		if h := r.Handler; h.Func != nil {
			candidates[h.Func.Origin()] = true
			for _, fn := range durable.ReachOf(m, h).Funcs {
				candidates[fn] = true
			}
		}
	}
	handlers := map[*types.Func]bool{}
	for _, r := range regs {
		if r.Handler.Func != nil {
			handlers[r.Handler.Func.Origin()] = true
		}
	}
	removed := map[*types.Func]bool{}
	for changed := true; changed; {
		changed = false
		for fn := range candidates {
			if removed[fn] {
				continue
			}
			d, ok := m.DeclOf(fn)
			if !ok || usedOutside(m, fn, gone) {
				continue
			}
			removed[fn] = true
			gone = append(gone, span{d.Decl.Pos(), d.Decl.End()})
			changed = true
		}
	}
	var names []string
	for fn := range removed {
		d, _ := m.DeclOf(fn)
		ef, err := ed.file(d.Decl.Pos())
		if err != nil {
			return nil, err
		}
		if err := removeDecl(ef, d.Decl); err != nil {
			return nil, err
		}
		names = append(names, m.DeclKey(fn))
	}
	sort.Strings(names)
	res.Removed = names
	for fn := range handlers {
		if !removed[fn] {
			res.Kept = append(res.Kept, m.DeclKey(fn))
		}
	}
	sort.Strings(res.Kept)
	tests, err := removeTests(m, removed)
	if err != nil {
		return nil, err
	}
	if res.Files, err = ed.printAll(); err != nil {
		return nil, err
	}
	for _, t := range tests {
		res.Files = append(res.Files, t.edit)
		res.Tests = append(res.Tests, t.names...)
	}
	return res, nil
}

// span is a range of source positions.
type span struct{ start, end token.Pos }

func (s span) holds(p token.Pos) bool { return s.start <= p && p < s.end }

// usedOutside reports whether fn is used anywhere in the module outside
// the spans going away.
func usedOutside(m *goapp.Module, fn *types.Func, gone []span) bool {
	for _, p := range m.Packages {
		if p.TypesInfo == nil {
			continue
		}
		for id, obj := range p.TypesInfo.Uses {
			f, ok := obj.(*types.Func)
			if !ok || f.Origin() != fn {
				continue
			}
			inside := false
			for _, s := range gone {
				if s.holds(id.Pos()) {
					inside = true
					break
				}
			}
			if !inside {
				return true
			}
		}
	}
	return false
}

// removeFromList deletes a statement, map entry, slice element or argument
// from the list that holds it.
func removeFromList(ef *editFile, n ast.Node) error {
	var parent ast.Node
	if path := ef.ancestry(n); len(path) > 1 {
		parent = path[1]
	}
	target := ef.dstOf(n)
	switch p := ef.dstOf(parent).(type) {
	case *dst.BlockStmt:
		p.List = dropStmt(p.List, target)
	case *dst.CaseClause:
		p.Body = dropStmt(p.Body, target)
	case *dst.CommClause:
		p.Body = dropStmt(p.Body, target)
	case *dst.CallExpr:
		p.Args = dropExpr(p.Args, target)
	case *dst.CompositeLit:
		p.Elts = dropExpr(p.Elts, target)
	default:
		return fmt.Errorf("cannot remove from %T", p)
	}
	return nil
}

func dropStmt(list []dst.Stmt, n dst.Node) []dst.Stmt {
	for i, s := range list {
		if s == n {
			var next dst.Node
			if i+1 < len(list) {
				next = list[i+1]
			}
			var prev dst.Node
			if i > 0 {
				prev = list[i-1]
			}
			keepLayout(s, prev, next)
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

func dropExpr(list []dst.Expr, n dst.Node) []dst.Expr {
	for i, e := range list {
		if e == n {
			var next, prev dst.Node
			if i+1 < len(list) {
				next = list[i+1]
			}
			if i > 0 {
				prev = list[i-1]
			}
			keepLayout(e, prev, next)
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

// keepLayout hands what surrounds a removed node to its neighbours: a
// comment above it (a heading such as "// Orchestrators.") and the blank
// line before it go to the next node, a blank line after it to the
// previous one.
func keepLayout(removed, prev, next dst.Node) {
	d := removed.Decorations()
	if next != nil {
		nd := next.Decorations()
		nd.Start = append(append(dst.Decorations{}, d.Start...), nd.Start...)
		if d.Before == dst.EmptyLine {
			nd.Before = dst.EmptyLine
		}
	}
	if prev != nil && d.After == dst.EmptyLine {
		prev.Decorations().After = dst.EmptyLine
	}
}

// removeDecl deletes a declaration from its file.
func removeDecl(ef *editFile, d ast.Decl) error {
	target := ef.dstOf(d)
	for i, x := range ef.dst.Decls {
		if x == target {
			ef.dst.Decls = append(ef.dst.Decls[:i:i], ef.dst.Decls[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("internal error: declaration not found in its file")
}

// testEdit is a _test.go file with test functions removed.
type testEdit struct {
	edit  FileEdit
	names []string
}

// removeTests removes, from the _test.go files of the packages that lose
// declarations, the test, benchmark, example and fuzz functions that call
// a removed function: they tested only what is gone. Test files are not
// part of the loaded packages, so they are read by name, without types.
func removeTests(m *goapp.Module, removed map[*types.Func]bool) ([]testEdit, error) {
	byDir := map[string]map[string]bool{}
	for fn := range removed {
		d, _ := m.DeclOf(fn)
		if len(d.Pkg.GoFiles) == 0 {
			continue
		}
		dir := filepath.Dir(d.Pkg.GoFiles[0])
		if byDir[dir] == nil {
			byDir[dir] = map[string]bool{}
		}
		byDir[dir][fn.Name()] = true
	}
	var out []testEdit
	dirs := make([]string, 0, len(byDir))
	for dir := range byDir {
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
		for _, file := range files {
			te, err := removeTestsIn(m, file, byDir[dir])
			if err != nil {
				return nil, err
			}
			if te != nil {
				out = append(out, *te)
			}
		}
	}
	return out, nil
}

func removeTestsIn(m *goapp.Module, file string, names map[string]bool) (*testEdit, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", m.DisplayFile(file), err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil // a test file that does not parse is not ours to fix
	}
	dec := decorator.NewDecorator(fset)
	df, err := dec.DecorateFile(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", m.DisplayFile(file), err)
	}
	var te testEdit
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || fd.Body == nil || !isTestFunc(fd.Name.Name) {
			continue
		}
		calls := false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				calls = calls || names[n.Name]
			case *ast.SelectorExpr:
				calls = calls || names[n.Sel.Name]
				return false
			}
			return !calls
		})
		if !calls {
			continue
		}
		target := dec.Dst.Nodes[fd]
		for i, x := range df.Decls {
			if x == target {
				df.Decls = append(df.Decls[:i:i], df.Decls[i+1:]...)
				break
			}
		}
		te.names = append(te.names, m.DisplayFile(file)+": "+fd.Name.Name)
	}
	if len(te.names) == 0 {
		return nil, nil
	}
	var buf strings.Builder
	if err := decorator.NewRestorer().Fprint(&buf, df); err != nil {
		return nil, fmt.Errorf("printing %s: %w", m.DisplayFile(file), err)
	}
	te.edit = FileEdit{Path: file, Old: src, New: []byte(buf.String())}
	return &te, nil
}

// isTestFunc reports whether a function name is one go test runs.
func isTestFunc(name string) bool {
	for _, prefix := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// testDecl finds a top-level declaration named name (a method of recv
// when recv is not "") in the _test.go files of p that belong to p itself:
// test files are not loaded, yet a copy must not clash with them. The
// files of a package are read once (testDeclIndex): bump asks for every
// copy it declares.
func testDecl(m *goapp.Module, p *packages.Package, recv, name string) (string, bool) {
	if len(p.GoFiles) == 0 {
		return "", false
	}
	pos, ok := testDeclIndex(m, p)[recv+"."+name]
	return pos, ok
}

// testDeclsKey is the key in the module's memo of the test declarations of
// the package in dir (see testDeclIndex).
type testDeclsKey struct{ dir string }

// testDeclIndex maps "recv.name" (".name" for a function, variable,
// constant or type) to the position of its first declaration in the
// _test.go files of p's own package.
func testDeclIndex(m *goapp.Module, p *packages.Package) map[string]string {
	dir := filepath.Dir(p.GoFiles[0])
	if idx, ok := m.Memo(testDeclsKey{dir}).(map[string]string); ok {
		return idx
	}
	idx := map[string]string{}
	add := func(key string, fset *token.FileSet, pos token.Pos) {
		if _, seen := idx[key]; !seen {
			idx[key] = m.DisplayFile(fset.Position(pos).String())
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, file := range files {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil || f.Name.Name != p.Name {
			continue
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				add(goapp.RecvName(d)+"."+d.Name.Name, fset, d.Name.Pos())
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					var names []*ast.Ident
					switch s := spec.(type) {
					case *ast.ValueSpec:
						names = s.Names
					case *ast.TypeSpec:
						names = []*ast.Ident{s.Name}
					}
					for _, n := range names {
						add("."+n.Name, fset, n.Pos())
					}
				}
			}
		}
	}
	m.SetMemo(testDeclsKey{dir}, idx)
	return idx
}
