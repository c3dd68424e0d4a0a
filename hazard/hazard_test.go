package hazard

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"
)

func TestRules(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.Description == "" || strings.Contains(r.Description, "\n") {
			t.Errorf("rule %s: description %q is not one line", r.ID, r.Description)
		}
	}
	for _, id := range []string{"nondeterministic-time", "random", "goroutine", "channel", "map-range", "env-read", "io", "ignore-directive"} {
		if !seen[id] {
			t.Errorf("rule %s missing from Rules", id)
		}
	}
	if len(seen) != 8 {
		t.Errorf("%d rules, want 8", len(seen))
	}
}

func TestParseDirective(t *testing.T) {
	for _, tc := range []struct {
		text    string
		ok      bool
		rule    string // of a valid directive
		problem string // of a malformed one
	}{
		{"//dfversion:ignore io the file is baked into the image", true, "io", ""},
		{"//dfversion:ignore all\treason", true, "all", ""},
		{"//dfversion:ignore random", true, "", "needs a reason"},
		{"//dfversion:ignore", true, "", "needs a rule and a reason"},
		{"//dfversion:ignore   ", true, "", "needs a rule and a reason"},
		{"//dfversion:ignore time reason", true, "", "unknown rule time"},
		{"//dfversion:ignore ignore-directive reason", true, "", "unknown rule ignore-directive"},
		{"//dfversion:ignored io reason", false, "", ""},
		{"// dfversion:ignore io reason", false, "", ""},
		{"/*dfversion:ignore io reason*/", false, "", ""},
	} {
		d, ok := ParseDirective(&ast.Comment{Text: tc.text})
		if ok != tc.ok {
			t.Errorf("%q: directive %v, want %v", tc.text, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		if tc.problem == "" && (d.Problem != "" || d.Rule != tc.rule) {
			t.Errorf("%q: rule %q, problem %q; want rule %q", tc.text, d.Rule, d.Problem, tc.rule)
		}
		if tc.problem != "" && !strings.Contains(d.Problem, tc.problem) {
			t.Errorf("%q: problem %q, want %q", tc.text, d.Problem, tc.problem)
		}
	}
}

// directiveSrc has directives in every place one can be.
const directiveSrc = `package p

// quiet reads settings fixed for the app's lifetime.
//
//dfversion:ignore env-read the settings never change
func quiet() {
	a() //dfversion:ignore nondeterministic-time logged only
	//dfversion:ignore random harmless on replay
	b()
	c() //dfversion:ignore io trailing, so it covers its own line only
	d()
	//dfversion:ignore random
	e()
}

func a() {}
func b() {}
func c() {}
func d() {}
func e() {}
`

func TestDirectives(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", directiveSrc, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	tf := fset.File(f.Pos())
	reads := 0
	lines := FileDirectives(tf, f, func() []byte { reads++; return []byte(directiveSrc) })
	if reads != 1 {
		t.Errorf("the source was read %d times, want once", reads)
	}
	decl := f.Decls[0].(*ast.FuncDecl)
	lineOf := func(text string) int {
		return strings.Count(directiveSrc[:strings.Index(directiveSrc, text)], "\n") + 1
	}
	for _, tc := range []struct {
		at, rule string
		doc      bool
		want     bool
	}{
		{"a() //", RuleTime, false, true},
		{"a() //", RuleRandom, false, false},
		{"b()\n", RuleRandom, false, true},
		{"c() //", RuleIO, false, true},
		{"d()\n", RuleIO, false, false}, // the directive above trails code
		{"e()\n", RuleRandom, false, false},
		{"d()\n", RuleEnvRead, false, false},
		{"d()\n", RuleEnvRead, true, true}, // the doc comment covers the body
	} {
		var doc *ast.CommentGroup
		if tc.doc {
			doc = decl.Doc
		}
		if got := Silenced(doc, lines, lineOf(tc.at), tc.rule); got != tc.want {
			t.Errorf("%q %s (doc %v): silenced %v, want %v", tc.at, tc.rule, tc.doc, got, tc.want)
		}
	}
	// Without the source, a trailing directive is taken to be alone.
	blind := FileDirectives(tf, f, func() []byte { return nil })
	if !Silenced(nil, blind, lineOf("d()\n"), RuleIO) {
		t.Errorf("without the source, the trailing directive does not cover the line below")
	}
	bad := Malformed(f, decl.Doc.Pos(), decl.End())
	if len(bad) != 1 || !strings.Contains(bad[0].Problem, "random needs a reason") || bad[0].Comment.Text != "//dfversion:ignore random" {
		t.Errorf("malformed directives: %+v", bad)
	}
	if got := Malformed(f, f.Decls[1].Pos(), f.Decls[1].End()); len(got) != 0 {
		t.Errorf("malformed directives outside the function: %+v", got)
	}
}

// scanSrc holds one of each hazard the standard library's small packages
// allow, and code that is safe.
const scanSrc = `package p

import (
	"maps"
	"math/rand"
	"os"
	"sort"
	"time"
)

type Ctx struct{ events chan string }

func (c *Ctx) Events() <-chan string { return c.events }

func helper() {}

func less(i, j int) bool { return i < j }

func orchestrator(ctx *Ctx, m map[string]int, xs []int) {
	_ = time.Now()
	clock := time.Now
	_ = clock
	_ = rand.Intn(3)
	_ = os.Getenv("A")
	go helper()
	ch := make(chan int)
	ch <- 1
	select {
	case v := <-ch:
		_ = v
	}
	for range m {
	}
	for range maps.Keys(m) {
	}
	<-ctx.Events()
	sort.Slice(xs, less)
	helper()
	_ = time.Duration(3) * time.Second
	for range xs {
	}
}
`

func TestScanner(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", scanSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{},
		Defs: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	var decl *ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "orchestrator" {
			decl = fd
		}
	}
	sig := pkg.Scope().Lookup("orchestrator").(*types.Func).Signature()
	ctx := ContextType(sig)
	var got, follow []string
	s := Scanner{
		Info:      info,
		IsContext: func(t types.Type) bool { return types.Identical(t, ctx) },
		Found: func(f Found) {
			got = append(got, f.Rule+" "+f.What+" "+scanSrc[fset.Position(f.Node.Pos()).Offset:fset.Position(f.End).Offset])
			if f.Message == "" || !strings.Contains(f.Message, ": ") {
				t.Errorf("%s: message %q does not say what to do", f.What, f.Message)
			}
		},
		Follow: func(fn *types.Func, at ast.Node) bool {
			follow = append(follow, FuncName(fn, pkg))
			return fn.Pkg() == pkg
		},
	}
	s.Scan(decl.Body)
	want := []string{
		"nondeterministic-time time.Now time.Now()",
		"nondeterministic-time time.Now time.Now",
		"random rand.Intn rand.Intn(3)",
		"env-read os.Getenv os.Getenv(\"A\")",
		"goroutine go statement go helper()",
		"channel make(chan) make(chan int)",
		"channel channel send ch <- 1",
		"channel select select {\n\tcase v := <-ch:\n\t\t_ = v\n\t}",
		"map-range range over map for range m",
		"map-range range over maps.Keys for range maps.Keys(m)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("found:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	// helper twice (the go statement and the call), sort.Slice declined,
	// so less, passed to it, is offered; maps.Keys and Duration are not
	// calls of functions.
	wantFollow := []string{"helper", "maps.Keys", "sort.Slice", "less", "helper"}
	if !slices.Equal(follow, wantFollow) {
		t.Errorf("offered %v, want %v", follow, wantFollow)
	}
}

func TestFuncName(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\ntype T struct{}\nfunc (*T) M() {}\nfunc (T) V() {}\nfunc F() {}\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := new(types.Config).Check("example.com/p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	T := pkg.Scope().Lookup("T").Type().(*types.Named)
	m, v := T.Method(0), T.Method(1)
	F := pkg.Scope().Lookup("F").(*types.Func)
	for _, tc := range []struct {
		fn   *types.Func
		rel  *types.Package
		want string
	}{
		{m, pkg, "(*T).M"}, {v, pkg, "(T).V"}, {F, pkg, "F"},
		{m, nil, "(*p.T).M"}, {F, nil, "p.F"},
	} {
		if got := FuncName(tc.fn, tc.rel); got != tc.want {
			t.Errorf("FuncName(%s) = %q, want %q", tc.fn, got, tc.want)
		}
	}
}
