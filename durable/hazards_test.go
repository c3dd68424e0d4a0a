package durable

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/hazard"
)

// hazardFixture is the module in testdata/hazards, loaded once: a main
// package of orchestrators (one per kind of hazard, plus safe code), a
// helper package, an orchestration context declared in the module, and a
// stand-in durable SDK in a module of its own whose code uses channels and
// the clock.
var hazardFixture = sync.OnceValues(func() (*goapp.Module, error) {
	return goapp.Load(filepath.Join("testdata", "hazards"))
})

func loadHazardFixture(t *testing.T) *goapp.Module {
	t.Helper()
	m, err := hazardFixture()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) > 0 {
		t.Fatalf("the fixture does not type-check: %v", m.Warnings)
	}
	return m
}

// hazardHandler returns the handler of the main package's function name.
func hazardHandler(t *testing.T, m *goapp.Module, name string) *goapp.Handler {
	t.Helper()
	for fn, d := range m.FuncDecls() {
		if d.Pkg.Name == "main" && fn.Signature().Recv() == nil && fn.Name() == name {
			return m.HandlerOfDecl(fn, d)
		}
	}
	t.Fatalf("no function %s in the fixture", name)
	return nil
}

// hazardLiteral returns the handler of the func literal that the main
// package's variable name is set to.
func hazardLiteral(t *testing.T, m *goapp.Module, name string) *goapp.Handler {
	t.Helper()
	for _, p := range m.Packages {
		if p.Name != "main" {
			continue
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, id := range vs.Names {
						if id.Name != name || i >= len(vs.Values) {
							continue
						}
						if lit, ok := vs.Values[i].(*ast.FuncLit); ok {
							return m.HandlerOfLit(lit, p)
						}
					}
				}
			}
		}
	}
	t.Fatalf("no func literal %s in the fixture", name)
	return nil
}

// wantHazard is a hazard the fixture must yield.
type wantHazard struct {
	rule string
	// at is text that occurs once in the file; the hazard starts at its
	// "@", or at its start when it has none.
	at   string
	path string // joined with " -> "
	// span, when set, is the source text from the hazard's Pos to its End.
	span string
	file string // relative to the fixture; main.go when ""
}

// hazardSource reads a file of the fixture.
func hazardSource(t *testing.T, file string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "hazards", file))
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// position finds w.at in the fixture: file:line:col as m.Position gives it.
func (w wantHazard) position(t *testing.T) (token.Position, string) {
	t.Helper()
	file := w.file
	if file == "" {
		file = "main.go"
	}
	src := hazardSource(t, file)
	text := strings.Replace(w.at, "@", "", 1)
	if n := strings.Count(src, text); n != 1 {
		t.Fatalf("%q occurs %d times in %s, want once", text, n, file)
	}
	off := strings.Index(src, text) + max(strings.Index(w.at, "@"), 0)
	line := strings.Count(src[:off], "\n") + 1
	col := off - (strings.LastIndex(src[:off], "\n") + 1) + 1
	return token.Position{Filename: filepath.Join("testdata", "hazards", file), Offset: off, Line: line, Column: col}, src
}

func formatHazard(rule string, pos token.Position, path []string) string {
	return rule + " " + pos.String() + " " + strings.Join(path, " -> ")
}

// checkHazards compares the hazards h reaches with want, in order.
func checkHazards(t *testing.T, m *goapp.Module, h *goapp.Handler, root string, want []wantHazard) {
	t.Helper()
	got := Hazards(m, h, root)
	var gotS, wantS []string
	for _, z := range got {
		gotS = append(gotS, formatHazard(z.Rule, token.Position{Filename: z.Pos.Filename, Line: z.Pos.Line, Column: z.Pos.Column}, z.Path))
	}
	for _, w := range want {
		pos, _ := w.position(t)
		pos.Offset = 0
		wantS = append(wantS, formatHazard(w.rule, pos, strings.Split(w.path, " -> ")))
	}
	if !slices.Equal(gotS, wantS) {
		t.Fatalf("hazards of %s:\ngot:\n\t%s\nwant:\n\t%s", root, strings.Join(gotS, "\n\t"), strings.Join(wantS, "\n\t"))
	}
	for i, w := range want {
		z := got[i]
		pos, src := w.position(t)
		if z.Pos.Offset != pos.Offset {
			t.Errorf("%s: offset %d, want %d", gotS[i], z.Pos.Offset, pos.Offset)
		}
		if z.End.Filename != z.Pos.Filename || z.End.Offset <= z.Pos.Offset {
			t.Errorf("%s: ends at %s", gotS[i], z.End)
		} else if w.span != "" && src[z.Pos.Offset:z.End.Offset] != w.span {
			t.Errorf("%s: spans %q, want %q", gotS[i], src[z.Pos.Offset:z.End.Offset], w.span)
		}
		if z.Message == "" || strings.Contains(z.Message, "\n") || strings.ToLower(z.Message[:1]) != z.Message[:1] || !strings.Contains(z.Message, ": ") {
			t.Errorf("%s: message %q is not one lower-case line saying what to do", gotS[i], z.Message)
		}
		if !isHazardRule(z.Rule) {
			t.Errorf("%s: rule %s is not in hazard.Rules", gotS[i], z.Rule)
		}
	}
}

func isHazardRule(id string) bool {
	for _, r := range hazard.Rules {
		if r.ID == id {
			return true
		}
	}
	return false
}

func TestHazardsTime(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "Clock"), "Clock", []wantHazard{
		{rule: "nondeterministic-time", at: "start := @time.Now()", path: "Clock -> time.Now", span: "time.Now()"},
		{rule: "nondeterministic-time", at: "@time.Sleep(time.Second)", path: "Clock -> time.Sleep", span: "time.Sleep(time.Second)"},
		{rule: "nondeterministic-time", at: "left := @time.Until(", path: "Clock -> time.Until", span: "time.Until(ctx.CurrentTimeUtc.Add(time.Hour))"},
		{rule: "nondeterministic-time", at: "timer := @time.NewTimer(", path: "Clock -> time.NewTimer"},
		{rule: "nondeterministic-time", at: "ticker := @time.NewTicker(", path: "Clock -> time.NewTicker"},
		{rule: "nondeterministic-time", at: "@time.AfterFunc(", path: "Clock -> time.AfterFunc"},
		{rule: "nondeterministic-time", at: "_ = @time.Tick(", path: "Clock -> time.Tick"},
		{rule: "nondeterministic-time", at: "_ = @time.After(", path: "Clock -> time.After"},
		// A function value counts as much as a call.
		{rule: "nondeterministic-time", at: "clock := @time.Now", path: "Clock -> time.Now", span: "time.Now"},
		{rule: "nondeterministic-time", at: "return @time.Since(start)", path: "Clock -> time.Since"},
	})
	z := Hazards(m, hazardHandler(t, m, "Clock"), "Clock")[0]
	if want := "time.Now is not deterministic: read the time from ctx.CurrentTimeUtc"; z.Message != want {
		t.Errorf("message %q, want %q", z.Message, want)
	}
}

func TestHazardsRandom(t *testing.T) {
	m := loadHazardFixture(t)
	got := Hazards(m, hazardHandler(t, m, "Random"), "Random")
	checkHazards(t, m, hazardHandler(t, m, "Random"), "Random", []wantHazard{
		{rule: "random", at: "n := @rand.Intn(10)", path: "Random -> rand.Intn"},
		{rule: "random", at: "m := @randv2.IntN(10)", path: "Random -> rand.IntN"},
		{rule: "random", at: "cryptorand.Read(buf)", path: "Random -> rand.Read", span: "cryptorand.Read(buf)"},
	})
	// The message tells the three rand packages apart.
	for i, pkg := range []string{"(math/rand)", "(math/rand/v2)", "(crypto/rand)"} {
		if !strings.Contains(got[i].Message, pkg) {
			t.Errorf("message %q does not name %s", got[i].Message, pkg)
		}
	}
}

func TestHazardsGoroutine(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "Goroutines"), "Goroutines", []wantHazard{
		{rule: "channel", at: "results := @make(chan int, 1)", path: "Goroutines -> make(chan)", span: "make(chan int, 1)"},
		{rule: "goroutine", at: "go worker(results)", path: "Goroutines -> go statement", span: "go worker(results)"},
		{rule: "channel", at: "return @<-results", path: "Goroutines -> channel receive", span: "<-results"},
		// The goroutine's function is followed too.
		{rule: "channel", at: "out <- 42", path: "Goroutines -> worker -> channel send", span: "out <- 42"},
	})
}

func TestHazardsChannel(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "Channels"), "Channels", []wantHazard{
		{rule: "channel", at: "names := @make(chan string, 2)", path: "Channels -> make(chan)"},
		{rule: "channel", at: "names <- \"a\"", path: "Channels -> channel send"},
		{rule: "channel", at: "quit := @make(chan struct{})", path: "Channels -> make(chan)"},
		// One hazard for the select, none for its cases' receives.
		{rule: "channel", at: "select {", path: "Channels -> select"},
		{rule: "channel", at: "for s := range names", path: "Channels -> range over channel", span: "for s := range names"},
	})
}

func TestHazardsMapRange(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "Maps"), "Maps", []wantHazard{
		{rule: "map-range", at: "for k := range counts", path: "Maps -> range over map", span: "for k := range counts"},
		// A named type whose underlying type is a map.
		{rule: "map-range", at: "for k, v := range byCity", path: "Maps -> range over map"},
		{rule: "map-range", at: "for k := range maps.Keys(counts)", path: "Maps -> range over maps.Keys", span: "for k := range maps.Keys(counts)"},
		// Not: for _, k := range slices.Sorted(maps.Keys(counts)).
	})
}

func TestHazardsEnvRead(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "Env"), "Env", []wantHazard{
		{rule: "env-read", at: "region := @os.Getenv(\"REGION\")", path: "Env -> os.Getenv", span: "os.Getenv(\"REGION\")"},
		{rule: "env-read", at: "@os.LookupEnv(\"DEBUG\")", path: "Env -> os.LookupEnv"},
		{rule: "env-read", at: "@os.Environ()", path: "Env -> os.Environ"},
		{rule: "env-read", at: "@os.ExpandEnv(", path: "Env -> os.ExpandEnv"},
		{rule: "env-read", at: "@os.Hostname()", path: "Env -> os.Hostname"},
	})
}

func TestHazardsIO(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "IO"), "IO", []wantHazard{
		{rule: "io", at: "resp, err := @http.Get(\"https://example.com/\")", path: "IO -> http.Get"},
		// Not http.NewRequest, which builds a value; the method that sends it is.
		{rule: "io", at: "@http.DefaultClient.Do(req)", path: "IO -> (*http.Client).Do", span: "http.DefaultClient.Do(req)"},
		{rule: "io", at: "@net.Dial(\"tcp\"", path: "IO -> net.Dial"},
		{rule: "io", at: "@conn.Write(", path: "IO -> (net.Conn).Write"},
		{rule: "io", at: "data, _ := @os.ReadFile(", path: "IO -> os.ReadFile"},
		{rule: "io", at: "@os.MkdirAll(", path: "IO -> os.MkdirAll"},
		{rule: "io", at: "@os.Remove(", path: "IO -> os.Remove"},
		{rule: "io", at: "@ioutil.ReadFile(", path: "IO -> ioutil.ReadFile"},
		{rule: "io", at: "@db.Query(", path: "IO -> (*sql.DB).Query"},
		{rule: "io", at: "@exec.Command(\"date\")", path: "IO -> exec.Command", span: "exec.Command(\"date\")"},
	})
}

func TestHazardsTwoHelpersDeep(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "Greeting"), "Greeting", []wantHazard{
		{rule: "nondeterministic-time", at: "return @time.Now().Format(time.Kitchen)", path: "Greeting -> buildGreeting -> stamp -> time.Now"},
	})
}

func TestHazardsHelperReachedTwice(t *testing.T) {
	m := loadHazardFixture(t)
	// jitter is reached directly and through viaOther: one hazard, with the
	// shorter path, although viaOther is called first.
	checkHazards(t, m, hazardHandler(t, m, "Twice"), "Twice", []wantHazard{
		{rule: "random", at: "return @rand.Intn(5)", path: "Twice -> jitter -> rand.Intn"},
	})
}

func TestHazardsMethods(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "Methods"), "Methods", []wantHazard{
		{file: "helpers/helpers.go", rule: "io", at: "return @os.WriteFile(", path: "Methods -> (*planner).plan -> (*helpers.Store).Save -> os.WriteFile"},
		{rule: "env-read", at: "return @os.Getenv(\"PLAN_LABEL\")", path: "Methods -> (planner).label -> os.Getenv"},
	})
}

func TestHazardsGeneric(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "Generic"), "Generic", []wantHazard{
		{rule: "random", at: "return xs[@rand.Intn(len(xs))]", path: "Generic -> pick -> rand.Intn"},
		{rule: "env-read", at: "_ = @os.Getenv(\"PAIR\")", path: "Generic -> pickPair -> os.Getenv"},
	})
}

func TestHazardsFuncLiterals(t *testing.T) {
	m := loadHazardFixture(t)
	checkHazards(t, m, hazardHandler(t, m, "Literals"), "Literals", []wantHazard{
		{rule: "random", at: "return @rand.Intn(2) == 0", path: "Literals -> rand.Intn"},
		{rule: "env-read", at: "return @os.Getenv(key)", path: "Literals -> os.Getenv"},
		// byClock is handed to slices.SortFunc, which calls it.
		{rule: "nondeterministic-time", at: "return @time.Now().Nanosecond()", path: "Literals -> byClock -> time.Now"},
	})
	// An orchestrator that is a func literal.
	checkHazards(t, m, hazardLiteral(t, m, "literal"), "literal", []wantHazard{
		{rule: "nondeterministic-time", at: "return @time.Now().String(), nil", path: "literal -> time.Now"},
	})
}

func TestHazardsIgnore(t *testing.T) {
	m := loadHazardFixture(t)
	// Silenced: time.Now with a directive on its line, rand.Intn with one
	// on the line above, os.Getenv by "all", and quiet's two os.Getenv by
	// the directive in quiet's doc comment, which does not cover its
	// time.Now. A directive for another rule silences nothing, and a
	// trailing directive does not reach the line below.
	checkHazards(t, m, hazardHandler(t, m, "Ignored"), "Ignored", []wantHazard{
		{rule: "nondeterministic-time", at: "e := @time.Now()", path: "Ignored -> time.Now"},
		{rule: "io", at: "_, _ = @os.ReadFile(f)", path: "Ignored -> os.ReadFile"},
		{rule: "nondeterministic-time", at: "os.Getenv(\"B\") + @time.Now().String()", path: "Ignored -> quiet -> time.Now"},
	})
}

func TestHazardsBadIgnore(t *testing.T) {
	m := loadHazardFixture(t)
	h := hazardHandler(t, m, "BadDirectives")
	checkHazards(t, m, h, "BadDirectives", []wantHazard{
		{rule: "ignore-directive", at: "\t@//dfversion:ignore nondeterministic-time\n", path: "BadDirectives -> //dfversion:ignore", span: "//dfversion:ignore nondeterministic-time"},
		{rule: "nondeterministic-time", at: "a := @time.Now()\n", path: "BadDirectives -> time.Now"},
		{rule: "random", at: "b := @rand.Intn(2)", path: "BadDirectives -> rand.Intn"},
		{rule: "ignore-directive", at: "//dfversion:ignore randomness", path: "BadDirectives -> //dfversion:ignore", span: "//dfversion:ignore randomness a typo in the rule"},
		{rule: "ignore-directive", at: "\t@//dfversion:ignore\n", path: "BadDirectives -> //dfversion:ignore"},
	})
	got := Hazards(m, h, "BadDirectives")
	for i, want := range map[int]string{0: "needs a reason", 3: "unknown rule randomness", 4: "needs a rule and a reason"} {
		if !strings.Contains(got[i].Message, want) {
			t.Errorf("message %q does not say %q", got[i].Message, want)
		}
	}
}

func TestHazardsNone(t *testing.T) {
	m := loadHazardFixture(t)
	// Duration arithmetic, ctx.CurrentTimeUtc, durable timers, an activity
	// that does I/O handed to ctx.CallActivity, the SDK's own channels and
	// clock, ranging over a slice and an int, a map literal lookup,
	// strings, strconv and fmt.Sprintf.
	checkHazards(t, m, hazardHandler(t, m, "Safe"), "Safe", nil)
	// Calls on an orchestration context declared in the module are not
	// followed, nor is a receive from one of its methods reported.
	checkHazards(t, m, hazardHandler(t, m, "LocalContext"), "LocalContext", nil)
}

func TestHazardsNotReached(t *testing.T) {
	m := loadHazardFixture(t)
	// notReached, main and the activity FetchPage are full of hazards, but
	// no orchestrator reaches them.
	for _, name := range []string{"Clock", "Random", "Goroutines", "Channels", "Maps", "Env", "IO", "Greeting",
		"Twice", "Generic", "Methods", "Literals", "Ignored", "BadDirectives", "Safe", "LocalContext"} {
		hs := Hazards(m, hazardHandler(t, m, name), name)
		for i, z := range hs {
			if slices.Contains(z.Path, "notReached") || slices.Contains(z.Path, "FetchPage") || slices.Contains(z.Path, "main") {
				t.Errorf("%s: %s reached through %v", name, z.Rule, z.Path)
			}
			if z.Path[0] != name {
				t.Errorf("%s: path %v does not start at the orchestrator", name, z.Path)
			}
			if i > 0 {
				p := hs[i-1].Pos
				if p.Filename > z.Pos.Filename || p.Filename == z.Pos.Filename && (p.Line > z.Pos.Line || p.Line == z.Pos.Line && p.Column > z.Pos.Column) {
					t.Errorf("%s: %s comes after %s", name, z.Pos, p)
				}
			}
		}
	}
	// Scanned as a root of its own, notReached is reported.
	if hs := Hazards(m, hazardHandler(t, m, "notReached"), "notReached"); len(hs) != 4 {
		t.Errorf("notReached: %d hazards, want 4 (go statement, time.Now, rand.Int, os.Getenv)", len(hs))
	}
}
