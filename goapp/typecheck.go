package goapp

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// TypeCheck type-checks the packages whose files byPath changes (new
// contents by absolute file name, see NewContents), with the changes
// applied in memory, and returns the module as it will be once they are
// written; or the first error that the original code did not already
// have: a rewrite that would not compile must not be written.
//
// It runs in process on what Load already has: unchanged files keep their
// syntax trees, changed ones are parsed again (into the module's file
// set), and imports resolve to the loaded packages' types (or, for an
// edited package of the module, to its newly checked types), so no second
// go list is needed.
func (m *Module) TypeCheck(byPath map[string][]byte) (*Module, error) {
	var edited []*packages.Package
	for _, p := range m.Packages {
		for _, f := range p.CompiledGoFiles {
			if _, ok := byPath[f]; ok {
				edited = append(edited, p)
				break
			}
		}
	}
	// A package of the module that imports an edited one is checked again
	// too: the types it was loaded with are the old ones.
	edited = m.withDependents(edited)
	checked := map[string]*packages.Package{}
	for _, p := range topoOrder(edited) {
		np, err := m.checkPackage(p, byPath, checked)
		if err != nil {
			return nil, err
		}
		checked[p.PkgPath] = np
	}
	// Unchanged files keep the content they were parsed from; reading
	// them again from disk would cost a read per declaration and could
	// see a file changed since.
	out := &Module{Dir: m.Dir, Path: m.Path, Fset: m.Fset, Warnings: m.Warnings, problems: m.problems, src: maps.Clone(m.src)}
	for _, p := range m.Packages {
		if np, ok := checked[p.PkgPath]; ok {
			p = np
		}
		out.Packages = append(out.Packages, p)
	}
	for path, data := range byPath {
		out.src[path] = data
	}
	out.indexDecls()
	return out, nil
}

// withDependents adds to pkgs every package of the module that imports one
// of them, directly or not.
func (m *Module) withDependents(pkgs []*packages.Package) []*packages.Package {
	in := map[string]bool{}
	for _, p := range pkgs {
		in[p.PkgPath] = true
	}
	for changed := true; changed; {
		changed = false
		for _, p := range m.Packages {
			if in[p.PkgPath] {
				continue
			}
			for path := range p.Imports {
				if in[path] {
					in[p.PkgPath] = true
					pkgs = append(pkgs, p)
					changed = true
					break
				}
			}
		}
	}
	return pkgs
}

// checkPackage type-checks one package with its edited files replaced,
// and returns it as a package of the rewritten module.
func (m *Module) checkPackage(p *packages.Package, byPath map[string][]byte, checked map[string]*packages.Package) (*packages.Package, error) {
	var files []*ast.File
	for i, name := range p.CompiledGoFiles {
		e, edited := byPath[name]
		if !edited && i < len(p.Syntax) {
			files = append(files, p.Syntax[i])
			continue
		}
		src := any(nil)
		if edited {
			src = e
		}
		f, err := parser.ParseFile(m.Fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("the rewritten code does not parse, so nothing was written: %s", m.rewrittenMsg(err.Error(), byPath))
		}
		files = append(files, f)
	}
	known := map[string]bool{}
	for _, e := range p.Errors {
		known[e.Msg] = true
	}
	var firstErr error
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if np, ok := checked[path]; ok {
				return np.Types, nil
			}
			if ip, ok := p.Imports[path]; ok && ip.Types != nil {
				return ip.Types, nil
			}
			return nil, fmt.Errorf("package %s was not loaded", path)
		}),
		Error: func(err error) {
			te, ok := err.(types.Error)
			if !ok || firstErr != nil || known[te.Msg] {
				return
			}
			pos := te.Fset.Position(te.Pos)
			name := m.DisplayFile(pos.Filename)
			if _, edited := byPath[pos.Filename]; edited {
				name += " (rewritten)"
			}
			firstErr = fmt.Errorf("the rewritten code would not compile, so nothing was written: %s:%d:%d: %s; change the code around it so that a copy compiles, or make the copy by hand", name, pos.Line, pos.Column, te.Msg)
		},
		GoVersion: goVersion(p),
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Implicits:  map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes:     map[ast.Node]*types.Scope{},
		Instances:  map[*ast.Ident]types.Instance{},
	}
	tp, err := checkFiles(&conf, p.PkgPath, m.Fset, files, info)
	if err != nil {
		return nil, err
	}
	if firstErr != nil {
		return nil, firstErr
	}
	np := *p
	np.Syntax, np.Types, np.TypesInfo = files, tp, info
	return &np, nil
}

// checkFiles type-checks a package's files, turning a crash of the type
// checker (it has panicked on malformed generic code before) into an
// error: dfversion says what failed instead of printing a stack trace.
// Type errors go to conf.Error.
func checkFiles(conf *types.Config, path string, fset *token.FileSet, files []*ast.File, info *types.Info) (tp *types.Package, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the Go type checker failed on package %s (%v), so nothing was written; please report this with the code", path, r)
		}
	}()
	tp, _ = conf.Check(path, fset, files, info)
	return tp, nil
}

// rewrittenMsg marks the edited files' names in a message as rewritten.
func (m *Module) rewrittenMsg(msg string, byPath map[string][]byte) string {
	for path := range byPath {
		msg = strings.ReplaceAll(msg, path, m.DisplayFile(path)+" (rewritten)")
	}
	return msg
}

// goVersion is the language version the package is checked at: its
// module's go directive.
func goVersion(p *packages.Package) string {
	if p.Module != nil && p.Module.GoVersion != "" {
		return "go" + p.Module.GoVersion
	}
	return ""
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// topoOrder sorts packages so that each comes after the ones it imports.
func topoOrder(pkgs []*packages.Package) []*packages.Package {
	in := map[string]*packages.Package{}
	for _, p := range pkgs {
		in[p.PkgPath] = p
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].PkgPath < pkgs[j].PkgPath })
	var out []*packages.Package
	seen := map[string]bool{}
	var visit func(p *packages.Package)
	visit = func(p *packages.Package) {
		if seen[p.PkgPath] {
			return
		}
		seen[p.PkgPath] = true
		paths := make([]string, 0, len(p.Imports))
		for path := range p.Imports {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			if q, ok := in[path]; ok {
				visit(q)
			}
		}
		out = append(out, p)
	}
	for _, p := range pkgs {
		visit(p)
	}
	return out
}
