package rewrite_test

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/bump"
	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/internal/appgen"
	"github.com/dfversion/dfversion/internal/fuzzclock"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

// fuzzApp is an app that FuzzBump writes one fuzzed Go file into.
type fuzzApp struct {
	tree    string   // the app, ready to copy
	appRoot string   // the folder holding host.json, relative to tree
	goFiles []string // its Go files, slash-separated, relative to tree

	// module is the app's Go module, loaded once (go list runs once per
	// app and worker, not once per input); loadErr is why it could not be.
	module  *goapp.Module
	loadErr error
	loaded  bool
}

// load returns the app's module, loading it on first use.
func (a *fuzzApp) load() (*goapp.Module, error) {
	if !a.loaded {
		a.loaded = true
		dir, err := goapp.FindModule(filepath.Join(a.tree, a.appRoot))
		if err == nil {
			a.module, err = goapp.Load(dir)
		}
		a.loadErr = err
	}
	return a.module, a.loadErr
}

// fuzzApps prepares the apps the fuzzed files go into: the sample apps
// (with the stand-in SDK next to them), an appgen app and a few random
// ones, by name.
func fuzzApps(f *testing.F) map[string]*fuzzApp {
	f.Helper()
	root := f.TempDir()
	apps := map[string]*fuzzApp{}
	samples := map[string]string{
		"hellocities": "apps/hellocities",
		"approval":    "apps/approval/functions",
		"registry":    "apps/registry",
		"ingest":      "apps/ingest",
		"orders":      "apps/orders",
	}
	for name, appRoot := range samples {
		tree := filepath.Join(root, name)
		for _, d := range []string{"apps/" + name, "sdk"} {
			if err := os.CopyFS(filepath.Join(tree, d), os.DirFS(filepath.Join("../testdata", d))); err != nil {
				f.Fatal(err)
			}
		}
		apps[name] = &fuzzApp{tree: tree, appRoot: appRoot}
	}
	generated := map[string]func(dir string) error{
		"appgen": func(dir string) error {
			return appgen.Write(dir, appgen.Spec{Orchestrators: 2, Activities: 3, ActivitiesPerOrchestrator: 2})
		},
	}
	for _, seed := range []int64{1, 2, 3, 173} {
		generated[fmt.Sprint("random", seed)] = func(dir string) error {
			_, err := appgen.WriteRandom(dir, seed)
			return err
		}
	}
	for name, write := range generated {
		tree := filepath.Join(root, name)
		if err := os.Mkdir(tree, 0o755); err != nil {
			f.Fatal(err)
		}
		if err := write(tree); err != nil {
			f.Fatal(err)
		}
		apps[name] = &fuzzApp{tree: tree, appRoot: "."}
	}
	for name, a := range apps {
		err := filepath.WalkDir(a.tree, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(a.tree, p)
			rel = filepath.ToSlash(rel)
			if d.IsDir() && rel == "sdk" {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(rel, ".go") {
				a.goFiles = append(a.goFiles, rel)
			}
			return nil
		})
		if err != nil || len(a.goFiles) == 0 {
			f.Fatalf("%s: no Go files (%v)", name, err)
		}
	}
	return apps
}

// FuzzBump writes a fuzzed Go file in place of one file of an app (named
// by app and file), loads the app and plans its bump. Inputs the tool
// refuses (the file does not parse, no handler serves a function, the
// bump would not compile...) are fine; any panic is a bug. For an input
// the tool accepts:
//
//   - every Go file the plan changes parses and is gofmt-clean;
//   - every top-level declaration of every changed Go file (as gofmt
//     would print it, when the file was not gofmt-clean) is in the new
//     content with the same text, except those that hold a cloned
//     registration or a moved client fallback: a bump only adds;
//   - every new function.json parses, with the kind of its source;
//   - every reported reference points, in its file's new content, at its
//     new name.
func FuzzBump(f *testing.F) {
	f.Setenv("GOFLAGS", "-mod=mod")
	f.Setenv("GOPROXY", "off")
	f.Setenv("CGO_ENABLED", "0") // no cgo preprocessing of fuzzed files
	apps := fuzzApps(f)
	names := make([]string, 0, len(apps))
	for name := range apps {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := apps[name]
		for _, file := range a.goFiles {
			// Each app costs a go list (once); go test runs a few seeds.
			if !fuzzing() && !contains(quickSeeds, name+":"+file) {
				continue
			}
			src, err := os.ReadFile(filepath.Join(a.tree, file))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(name, file, src)
		}
	}
	f.Fuzz(func(t *testing.T, app, file string, src []byte) {
		defer fuzzclock.Start(t, app, file, src)()
		a, ok := apps[app]
		if !ok || !contains(a.goFiles, file) {
			return
		}
		// go list would refuse a file that does not parse; refusing it
		// here is much cheaper.
		if _, err := parser.ParseFile(token.NewFileSet(), file, src, parser.SkipObjectResolution); err != nil {
			return
		}
		// The app's module is loaded once; each input is type-checked in
		// process against it (goapp's TypeCheck, as bump checks its own
		// result), so an input costs no go list, and a crash of the type
		// checker happens on this goroutine, where the fuzzer sees it. The
		// fuzzed file is also written over the app's file, and put back
		// after, for the code that reads files from disk. (A fuzz worker
		// runs one input at a time.)
		base, err := a.load()
		if err != nil {
			t.Fatalf("loading %s: %v", app, err)
		}
		dir := a.tree
		target, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		orig, err := os.ReadFile(target)
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := os.WriteFile(target, orig, 0o644); err != nil {
				t.Fatal(err)
			}
		}()
		if err := os.WriteFile(target, src, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := base.TypeCheck(map[string][]byte{target: src})
		if err != nil {
			return // code that does not type-check: bump refuses it
		}
		p, err := project.LoadWithModule(project.Options{AppDir: filepath.Join(dir, a.appRoot), RequireTypes: true}, m)
		if err != nil {
			return
		}
		res, err := bump.Plan(p, bump.Options{Root: dir})
		if err != nil {
			return
		}
		checkBump(t, dir, p, res)
	})
}

// checkBump checks an accepted bump's plan (see FuzzBump).
func checkBump(t *testing.T, dir string, p *project.Project, res *bump.Result) {
	t.Helper()
	// The declarations that may change: those holding a cloned
	// registration (in the old content) or a moved fallback (in the new).
	excludedOld := map[string]map[string]bool{}
	excludedNew := map[string][]int{}
	for _, c := range res.Cloned {
		r := p.Discovery.Registrations[c.From]
		rel, err := filepath.Rel(dir, r.Pos.Filename)
		if err != nil {
			t.Fatal(err)
		}
		rel = filepath.ToSlash(rel)
		ch, ok := res.Plan.Lookup(rel)
		if !ok {
			t.Errorf("the registration of %s at %s is in a file the plan does not change", c.From, r.Pos)
			continue
		}
		if excludedOld[rel] == nil {
			excludedOld[rel] = map[string]bool{}
		}
		if d, ok := declAt(ch.Old, r.Pos.Offset); ok {
			excludedOld[rel][d.key] = true
		}
	}
	for _, r := range res.References {
		ch, ok := res.Plan.Lookup(r.Pos.Filename)
		if !ok {
			t.Errorf("%s: reference in a file the plan does not change", r.Pos)
			continue
		}
		if r.Pos.Offset < 0 || r.Pos.Offset > len(ch.New) {
			t.Errorf("%s: reference %s -> %s outside its file", r.Pos, r.From, r.To)
			continue
		}
		if at := strings.TrimLeft(string(ch.New[r.Pos.Offset:]), "\"`"); !strings.HasPrefix(at, r.To) {
			t.Errorf("%s: %s reference %s -> %s points at %.30q", r.Pos, r.Kind, r.From, r.To, at)
		}
		if r.Kind == "fallback" {
			excludedNew[r.Pos.Filename] = append(excludedNew[r.Pos.Filename], r.Pos.Offset)
		}
	}
	for _, ch := range res.Plan.Changes {
		switch {
		case strings.HasSuffix(ch.Path, ".go") && ch.New != nil:
			if _, err := parser.ParseFile(token.NewFileSet(), ch.Path, ch.New, parser.ParseComments); err != nil {
				t.Fatalf("%s does not parse after the bump: %v\n%s", ch.Path, err, ch.New)
			}
			if clean, err := format.Source(ch.New); err != nil || !bytes.Equal(clean, ch.New) {
				t.Errorf("%s is not gofmt-clean after the bump (%v)", ch.Path, err)
			}
			if ch.Old == nil {
				t.Errorf("%s: the bump creates a Go file", ch.Path)
				continue
			}
			excluded := excludedOld[ch.Path]
			if excluded == nil {
				excluded = map[string]bool{}
			}
			for _, off := range excludedNew[ch.Path] {
				if d, ok := declAt(ch.New, off); ok {
					excluded[d.key] = true
				}
			}
			old := ch.Old
			if clean, err := format.Source(old); err == nil {
				old = clean // the bump reformats a file that was not gofmt-clean
			}
			checkKept(t, ch.Path, old, ch.New, excluded)
		case path.Base(ch.Path) == manifest.FunctionFile && ch.Old == nil:
			name := path.Base(path.Dir(ch.Path))
			fn, err := manifest.ParseFunction(name, ch.Path, ch.New)
			if err != nil {
				t.Errorf("the new %s does not parse: %v", ch.Path, err)
				continue
			}
			for _, c := range res.Cloned {
				if c.To == name && c.Kind != fn.Kind {
					t.Errorf("the new %s is a %s, its source %s a %s", ch.Path, fn.Kind, c.From, c.Kind)
				}
			}
		}
	}
}

// decl is a top-level declaration: its key (kind and name, made unique
// by a count) and its text, doc comment included.
type decl struct {
	key        string
	text       string
	start, end int
}

// topDecls lists the top-level declarations of a Go file.
func topDecls(src []byte) ([]decl, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []decl
	count := map[string]int{}
	for _, d := range f.Decls {
		var key string
		start := d.Pos()
		switch d := d.(type) {
		case *ast.FuncDecl:
			key = "func " + d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				key = "method " + types.ExprString(d.Recv.List[0].Type) + "." + d.Name.Name
			}
			if d.Doc != nil {
				start = d.Doc.Pos()
			}
		case *ast.GenDecl:
			key = d.Tok.String()
			if len(d.Specs) > 0 {
				switch s := d.Specs[0].(type) {
				case *ast.ValueSpec:
					key += " " + s.Names[0].Name
				case *ast.TypeSpec:
					key += " " + s.Name.Name
				}
			}
			if d.Doc != nil {
				start = d.Doc.Pos()
			}
		default:
			continue
		}
		count[key]++
		key += "#" + strconv.Itoa(count[key])
		s, e := fset.Position(start).Offset, fset.Position(d.End()).Offset
		out = append(out, decl{key: key, text: string(src[s:e]), start: s, end: e})
	}
	return out, nil
}

// declAt finds the top-level declaration of src that holds offset.
func declAt(src []byte, offset int) (decl, bool) {
	decls, _ := topDecls(src)
	for _, d := range decls {
		if d.start <= offset && offset < d.end {
			return d, true
		}
	}
	return decl{}, false
}

// checkKept checks that every top-level declaration of old that is not
// excluded is in new with the same text.
func checkKept(t *testing.T, name string, old, new []byte, excluded map[string]bool) {
	t.Helper()
	oldDecls, err := topDecls(old)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	newDecls, err := topDecls(new)
	if err != nil {
		t.Fatalf("%s after the bump: %v", name, err)
	}
	byKey := map[string]string{}
	for _, d := range newDecls {
		byKey[d.key] = d.text
	}
	for _, d := range oldDecls {
		if excluded[d.key] {
			continue
		}
		switch text, ok := byKey[d.key]; {
		case !ok:
			t.Errorf("%s: %s is gone after the bump", name, d.key)
		case text != d.text:
			t.Errorf("%s: %s changed in the bump:\n%s\n-- now --\n%s", name, d.key, d.text, text)
		}
	}
}

// quickSeeds are the files FuzzBump starts from under go test; fuzzing
// starts from every Go file of every app.
var quickSeeds = []string{
	"hellocities:apps/hellocities/main.go",
	"approval:apps/approval/workflow.go",
	"registry:apps/registry/checkout/checkout.go",
	"ingest:apps/ingest/internal/pipeline/feed.go",
	"orders:apps/orders/handler/workflows/process.go",
	"appgen:main.go",
	"random1:main.go",
	"random2:main.go",
}

// fuzzing reports whether the test binary runs with -test.fuzz.
func fuzzing() bool {
	fl := flag.Lookup("test.fuzz")
	return fl != nil && fl.Value.String() != ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
