package replay

import (
	"go/ast"
	"go/types"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dfversion/dfversion/goapp"
)

var (
	flowsOnce sync.Once
	flowsMod  *goapp.Module
	flowsErr  error
)

// flows loads testdata/flows once.
func flows(t testing.TB) *goapp.Module {
	t.Helper()
	flowsOnce.Do(func() { flowsMod, flowsErr = goapp.Load(filepath.Join("testdata", "flows")) })
	if flowsErr != nil {
		t.Fatal(flowsErr)
	}
	if len(flowsMod.Warnings) > 0 {
		t.Fatalf("the fixture does not type-check: %v", flowsMod.Warnings)
	}
	return flowsMod
}

// handlerOf makes the handler of the module's function name.
func handlerOf(t testing.TB, m *goapp.Module, name string) *goapp.Handler {
	t.Helper()
	for _, p := range m.Packages {
		obj, ok := p.Types.Scope().Lookup(name).(*types.Func)
		if !ok {
			continue
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && p.TypesInfo.Defs[fd.Name] == obj {
					return &goapp.Handler{GoName: name, Func: obj, Decl: fd, Pkg: p, Pos: m.Position(fd.Pos())}
				}
			}
		}
	}
	t.Fatalf("no function %s in the fixture", name)
	return nil
}

// actions reads "A B t S:Child ?:Odd" as activity A, activity B, a timer,
// sub-orchestration Child and an event of the unknown type Odd.
func actions(s string) []Item {
	var out []Item
	for i, f := range strings.Fields(s) {
		it := Item{Event: i, At: time.Unix(int64(1000+i), 0)}
		switch {
		case f == "t":
			it.Action = Action{Kind: Timer}
		case strings.HasPrefix(f, "S:"):
			it.Action = Action{SubOrchestration, f[2:]}
		case strings.HasPrefix(f, "?:"):
			it.Unknown, it.Action = true, Action{Name: f[2:]}
		default:
			it.Action = Action{Activity, f}
		}
		out = append(out, it)
	}
	return out
}

// TestModel checks, for each orchestrator of testdata/flows, histories
// that replay (want 0) and histories that diverge at an action (want its
// 1-based position).
func TestModel(t *testing.T) {
	m := flows(t)
	b := NewBuilder(m, nil)
	for _, tt := range []struct {
		fn      string
		history string
		want    int
	}{
		{"Seq", "", 0},
		{"Seq", "A", 0},
		{"Seq", "A B", 0},
		{"Seq", "B", 1},
		{"Seq", "A A", 2},
		{"Seq", "A B B", 3},
		{"Seq", "A t", 2},
		{"Seq", "a b", 0}, // names as the host matches them, ignoring case
		{"Branch", "A B D", 0},
		{"Branch", "A C D", 0},
		{"Branch", "A D", 2},
		{"Branch", "A B C", 3},
		{"Loop", "t", 0},
		{"Loop", "A A A t", 0},
		{"Loop", "A t A", 3},
		{"FanOut", "Say Say Say Sum", 0},
		{"FanOut", "Sum", 0},
		{"FanOut", "Say Sum Say", 3},
		{"Sub", "S:Seq A", 0},
		{"Sub", "S:Seq t A", 0},
		{"Sub", "S:Seq t t", 3},
		{"Sub", "Seq", 1},
		{"Helper", "Greet B", 0},
		{"Helper", "B Greet", 1},
		{"Switch", "Validate", 0},
		{"Switch", "Transform", 0},
		{"Switch", "B C", 0},
		{"Switch", "C", 0},
		{"Switch", "C B", 2},
		{"Switch", "Other", 1},
		{"Dynamic", "DoAnything B", 0},
		{"Dynamic", "t", 1},
		{"Dynamic", "DoX DoY", 2},
		{"Outside", "A X Y t", 0},
		{"Outside", "B", 1},
		{"Callback", "A X X B", 0},
		{"Callback", "B", 1},
		{"Recursive", "A R R R R R", 0},
		{"Recursive", "R", 1},
		{"Goroutine", "A G B", 0},
		{"Goroutine", "A B G", 0},
		{"Goroutine", "G", 1},
		{"Retry", "A t A t A B", 0},
		{"Retry", "A B", 0},
		{"Retry", "A t B", 3},
		{"Panics", "A", 0},
		{"Panics", "A B", 0},
		{"Panics", "B", 1},
		{"Continue", "A", 0},
		{"Continue", "A A", 2},
		{"Labeled", "Poll t Poll t Poll Done", 0},
		{"Labeled", "Poll Done", 0},
		{"Labeled", "Poll Poll", 2},
		{"Short", "A B C", 0},
		{"Short", "A C", 0},
		{"Short", "A", 0},
		{"Short", "C", 1},
		{"Deferred", "A Cleanup", 0},
		{"Deferred", "Cleanup A", 1},
		{"Seq", "A ?:Odd B", 0},
		{"Seq", "?:Odd A B", 0},
		{"Seq", "?:Odd B A", 3},
	} {
		md := b.Build(tt.fn, handlerOf(t, m, tt.fn))
		res := md.Check(&History{Items: actions(tt.history), Untimed: -1})
		got := 0
		if res.Verdict == Diverges {
			got = res.Action
		}
		if got != tt.want {
			t.Errorf("%s [%s]: got %s (%s), want %d", tt.fn, tt.history, res.Verdict, res.Message(), tt.want)
		}
	}
}
