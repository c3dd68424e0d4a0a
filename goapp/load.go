package goapp

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io/fs"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
)

// LoadMode is everything discovery and rewriting need, in one load of the
// module. NeedDeps is left out on purpose: dependencies come from export
// data, which is much faster than type-checking them from source. It is
// exported for the benchmarks, whose floor is one load in this mode.
const LoadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedSyntax | packages.NeedTypes |
	packages.NeedTypesInfo | packages.NeedModule

// Module is the Go module of a function app, loaded once with syntax and
// full type information.
type Module struct {
	// Dir is the module root (the folder holding go.mod) as the user would
	// write it; Path is the module path.
	Dir  string
	Path string
	Fset *token.FileSet
	// Packages are the module's packages (not its dependencies), sorted by
	// import path.
	Packages []*packages.Package
	// Warnings are problems that left type information incomplete, such as
	// an import missing from the module cache. Work goes on without it.
	Warnings []error
	// problems are the packages that do not type-check, by import path:
	// see CompleteTypes.
	problems map[string]*TypeProblem

	decls map[*types.Func]FuncDecl // every function and method declared in the module
	// specs are the declarations of the module's package-level variables,
	// constants and types.
	specs map[types.Object]SpecDecl
	// src holds the content of every Go file of the module as it was
	// parsed, by file name (see readSources).
	src map[string][]byte
	// byKey indexes decls by DeclKey, built on first use.
	byKey map[string]*types.Func
	// inits lists each package's init functions in source order: a
	// package may have several, which DeclKey numbers.
	inits map[*types.Package][]*types.Func
	// memo holds what analyses of the module compute once and keep (see
	// Memo).
	memoMu sync.Mutex
	memo   map[any]any
	// assigned maps variables to the first place that assigns them (or
	// takes their address) outside their declaration, built on first use.
	assigned map[*types.Var]token.Pos
	// crlf holds, by file name, the content on disk of the Go files with
	// CRLF line endings; overlay their content with LF endings, which is
	// what was parsed.
	crlf, overlay map[string][]byte
}

// SpecDecl is the declaration of a package-level variable, constant or
// type of the module: the spec, the declaration holding it (several specs
// in parentheses share one) and its package.
type SpecDecl struct {
	Spec ast.Spec
	Decl *ast.GenDecl
	Pkg  *packages.Package
}

// FuncDecl is the declaration of a function or method of the module, and
// its package.
type FuncDecl struct {
	Decl *ast.FuncDecl
	Pkg  *packages.Package
}

// Load loads every package of the module rooted at dir. Go files that do
// not parse are an error; type errors are warnings, since what type
// information exists is still enough for most of the work.
func Load(dir string) (*Module, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("loading Go packages: %w", err)
	}
	fset := token.NewFileSet()
	// Files with CRLF line endings are loaded with LF ones (an overlay):
	// the syntax trees, and what is printed from them, then match the
	// text; the endings are put back when the files are written.
	crlf, err := crlfFiles(abs)
	if err != nil {
		return nil, fmt.Errorf("loading Go packages in %s: %w", dir, err)
	}
	overlay := map[string][]byte{}
	for path, data := range crlf {
		overlay[path] = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	cfg := &packages.Config{Mode: LoadMode, Dir: abs, Fset: fset, Overlay: overlay}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, fmt.Errorf("loading Go packages in %s: %w", dir, err)
	}
	m := &Module{Dir: dir, Fset: fset, crlf: crlf, overlay: overlay}
	for _, p := range pkgs {
		if p.Module != nil && m.Path == "" {
			m.Path = p.Module.Path
		}
		if err := m.collectErrors(p, abs); err != nil {
			return nil, err
		}
		if len(p.Syntax) > 0 {
			m.Packages = append(m.Packages, p)
		}
	}
	if len(m.Packages) == 0 {
		for _, p := range pkgs {
			for _, e := range p.Errors {
				return nil, fmt.Errorf("%s: no Go packages could be loaded: %s", dir, oneLine(m.displayMsg(e.Msg, abs)))
			}
		}
		return nil, fmt.Errorf("%s: no Go packages in the module; name the handler's module with --module", dir)
	}
	sort.Slice(m.Packages, func(i, j int) bool { return m.Packages[i].PkgPath < m.Packages[j].PkgPath })
	m.indexDecls()
	if err := m.readSources(); err != nil {
		return nil, err
	}
	return m, nil
}

// readSources keeps the content of every Go file of the module as it was
// parsed, so that what is planned from the syntax trees is compared, when
// written, with exactly what was read: a file changed after the load is
// refused then, and a file changed during it now.
func (m *Module) readSources() error {
	m.src = map[string][]byte{}
	for _, p := range m.Packages {
		for _, f := range p.Syntax {
			tf := m.Fset.File(f.FileStart)
			if tf == nil {
				continue
			}
			data, ok := m.overlay[tf.Name()]
			if !ok {
				var err error
				if data, err = os.ReadFile(tf.Name()); err != nil {
					continue // a cgo file from the build cache, gone already: never edited
				}
			}
			if len(data) != tf.Size() {
				return fmt.Errorf("%s changed while dfversion read it; run dfversion again", m.DisplayFile(tf.Name()))
			}
			m.src[tf.Name()] = data
		}
	}
	return nil
}

// Source returns the content of a file of the module as it was parsed.
func (m *Module) Source(path string) ([]byte, error) {
	if data, ok := m.src[path]; ok {
		return data, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", m.DisplayFile(path), err)
	}
	return data, nil
}

// collectErrors turns a package's load errors into a fatal error (for Go
// files that do not parse) or a TypeProblem, which is a warning until a
// command asks for complete type information (CompleteTypes).
func (m *Module) collectErrors(p *packages.Package, absDir string) error {
	if len(p.Errors) == 0 {
		return nil
	}
	for _, e := range p.Errors {
		if e.Kind == packages.ParseError || e.Kind == packages.ListError {
			// go list reports some syntax errors itself, in the compiler's
			// multi-line form: parse again for one clear message.
			if err := m.parseFiles(p); err != nil {
				return err
			}
		}
	}
	prob := m.typeProblem(p, absDir)
	if m.problems == nil {
		m.problems = map[string]*TypeProblem{}
	}
	m.problems[p.PkgPath] = prob
	m.Warnings = append(m.Warnings, prob.Warning())
	return nil
}

// parseFiles parses a package's files and returns the first syntax error,
// at its position.
func (m *Module) parseFiles(p *packages.Package) error {
	for _, file := range p.GoFiles {
		_, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		var list scanner.ErrorList
		if errors.As(err, &list) && len(list) > 0 {
			pos := list[0].Pos
			pos.Filename = m.DisplayFile(pos.Filename)
			return fmt.Errorf("%s: Go file does not parse: %s", pos, list[0].Msg)
		}
	}
	return nil
}

// oneLine keeps the first line of a multi-line message that says something,
// skipping the "# package" header the go command prints.
func oneLine(msg string) string {
	for _, line := range strings.Split(msg, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "# ") {
			return line
		}
	}
	return strings.TrimSpace(msg)
}

// displayPos rewrites a "file:line:col" position from go/packages, whose
// file is absolute, relative to the module directory as the user gave it.
func (m *Module) displayPos(pos, absDir string) string {
	if pos == "" || pos == "-" {
		return ""
	}
	return m.displayMsg(pos, absDir)
}

func (m *Module) displayMsg(msg, absDir string) string {
	return strings.ReplaceAll(msg, absDir+string(filepath.Separator), filepath.Clean(m.Dir)+string(filepath.Separator))
}

// indexDecls records the declaration of every function and method of the
// module, so that a *types.Func found through type information leads to its
// source.
func (m *Module) indexDecls() {
	m.decls = map[*types.Func]FuncDecl{}
	m.specs = map[types.Object]SpecDecl{}
	m.inits = map[*types.Package][]*types.Func{}
	for _, p := range m.Packages {
		if p.TypesInfo == nil {
			continue
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if fn, ok := p.TypesInfo.Defs[d.Name].(*types.Func); ok {
						m.decls[fn] = FuncDecl{Decl: d, Pkg: p}
						if d.Recv == nil && d.Name.Name == "init" {
							m.inits[fn.Pkg()] = append(m.inits[fn.Pkg()], fn)
						}
					}
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						var names []*ast.Ident
						switch spec := spec.(type) {
						case *ast.ValueSpec:
							names = spec.Names
						case *ast.TypeSpec:
							names = []*ast.Ident{spec.Name}
						}
						for _, name := range names {
							if obj := p.TypesInfo.Defs[name]; obj != nil && name.Name != "_" {
								m.specs[obj] = SpecDecl{Spec: spec, Decl: d, Pkg: p}
							}
						}
					}
				}
			}
		}
	}
}

// DeclOf returns the module's declaration of fn (of its generic origin),
// if it has one.
func (m *Module) DeclOf(fn *types.Func) (FuncDecl, bool) {
	d, ok := m.decls[fn.Origin()]
	return d, ok
}

// Position returns the position of pos with its file name made relative to
// the module directory as the user gave it.
func (m *Module) Position(pos token.Pos) token.Position {
	p := m.Fset.Position(pos)
	p.Filename = m.DisplayFile(p.Filename)
	return p
}

// DisplayFile expresses an absolute file name relative to the module
// directory as the user gave it.
func (m *Module) DisplayFile(name string) string {
	if abs, err := filepath.Abs(m.Dir); err == nil {
		if rel, err := filepath.Rel(abs, name); err == nil {
			return filepath.Join(m.Dir, rel)
		}
	}
	return name
}

// MainPackages returns the module's main packages.
func (m *Module) MainPackages() []*packages.Package {
	var mains []*packages.Package
	for _, p := range m.Packages {
		if p.Name == "main" {
			mains = append(mains, p)
		}
	}
	return mains
}

// closure returns root and every package of the module that it imports,
// directly or not.
func (m *Module) closure(root *packages.Package) []*packages.Package {
	inModule := map[string]*packages.Package{}
	for _, p := range m.Packages {
		inModule[p.PkgPath] = p
	}
	seen := map[string]bool{}
	var out []*packages.Package
	var visit func(p *packages.Package)
	visit = func(p *packages.Package) {
		if seen[p.PkgPath] {
			return
		}
		seen[p.PkgPath] = true
		out = append(out, p)
		for path := range p.Imports {
			if q, ok := inModule[path]; ok {
				visit(q)
			}
		}
	}
	visit(root)
	sort.Slice(out, func(i, j int) bool { return out[i].PkgPath < out[j].PkgPath })
	return out
}

// crlfFiles reads the Go files below dir whose lines end with CRLF.
func crlfFiles(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil // unreadable: go list says so
		}
		// A file is CRLF when most of its lines end so; a stray CRLF line
		// in an LF file does not turn every line into CRLF.
		if crlf := bytes.Count(data, []byte("\r\n")); crlf > 0 && 2*crlf > bytes.Count(data, []byte("\n")) {
			out[path] = data
		}
		return nil
	})
	return out, err
}

// Memo returns the value stored for key with SetMemo, or nil. Analyses of
// the module keep there what they compute once for the whole module (an
// index of its writes, say), each under a key of an unexported type of its
// own, as context.Context's values are kept.
func (m *Module) Memo(key any) any {
	m.memoMu.Lock()
	defer m.memoMu.Unlock()
	return m.memo[key]
}

// SetMemo stores value for key: see Memo.
func (m *Module) SetMemo(key, value any) {
	m.memoMu.Lock()
	defer m.memoMu.Unlock()
	if m.memo == nil {
		m.memo = map[any]any{}
	}
	m.memo[key] = value
}

// SpecOf returns the declaration of a package-level variable, constant or
// type of the module, if it has one.
func (m *Module) SpecOf(obj types.Object) (SpecDecl, bool) {
	s, ok := m.specs[obj]
	return s, ok
}

// FuncDecls yields every function and method the module declares, with
// its declaration, in no particular order.
func (m *Module) FuncDecls() iter.Seq2[*types.Func, FuncDecl] { return maps.All(m.decls) }

// SpecDecls yields every package-level variable, constant and type the
// module declares, with its declaration, in no particular order.
func (m *Module) SpecDecls() iter.Seq2[types.Object, SpecDecl] { return maps.All(m.specs) }

// InitsOf lists p's init functions in source order.
func (m *Module) InitsOf(p *types.Package) []*types.Func { return m.inits[p] }

// FileAt returns the file of the module that holds pos, and its package.
func (m *Module) FileAt(pos token.Pos) (*ast.File, *packages.Package) {
	for _, p := range m.Packages {
		for _, f := range p.Syntax {
			if f.FileStart <= pos && pos <= f.FileEnd {
				return f, p
			}
		}
	}
	return nil, nil
}

// CRLFSource returns the content on disk of a Go file whose lines end with
// CRLF, if path is one: the module was loaded with LF endings in its place,
// and a rewrite of the file puts the CRLF ones back.
func (m *Module) CRLFSource(path string) ([]byte, bool) {
	data, ok := m.crlf[path]
	return data, ok
}
