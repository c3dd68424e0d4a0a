package durable

import (
	"go/types"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dfversion/dfversion/goapp"
)

// reachFixture is the module in testdata/reach, loaded once: orchestrators
// that reach code through each kind of edge.
var reachFixture = sync.OnceValues(func() (*goapp.Module, error) {
	return goapp.Load(filepath.Join("testdata", "reach"))
})

// TestReachEdges checks, for each kind of edge, that the declarations it
// reaches are in the fingerprint with the path that reached them, and that
// declarations it must not reach are not.
func TestReachEdges(t *testing.T) {
	m, err := reachFixture()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) > 0 {
		t.Fatalf("the fixture does not type-check: %v", m.Warnings)
	}
	tests := []struct {
		root string
		want map[string]string // key: path joined with " -> "
		not  []string          // keys that must not be reached
	}{
		{
			root: "Loop",
			want: map[string]string{
				"cities":    "Loop -> cities (variable)",
				"init":      "Loop -> cities (variable) -> init (assigns cities)",
				"reorder":   "Loop -> cities (variable) -> reorder (may change cities)",
				"setCities": "Loop -> cities (variable) -> setCities (assigns cities)",
				// main chooses the value setCities assigns.
				"main": "Loop -> cities (variable) -> reorder (may change cities) -> main (calls reorder)",
			},
			// Show reads a string element and logs through a shared logger.
			not: []string{"Show", "logger", "greetEN"},
		},
		{
			root: "Audit",
			want: map[string]string{
				"tally":         "Audit -> tally (variable)",
				"Record":        "Audit -> tally (variable) -> Record (may change tally)",
				"(Tally).Add":   "Audit -> tally (variable) -> Record (may change tally) -> (*Tally).Add",
				"(Log).Info":    "Audit -> (*Log).Info",
				"(Tally).Count": "Audit -> (*Tally).Count",
			},
			// Calling a method that does not change its receiver is a read.
			not: []string{"Ping", "Peek"},
		},
		{
			root: "Persist",
			want: map[string]string{
				"(fileStore).Save": "Persist -> (*fileStore).Save (implements Store.Save)",
				"(memStore).Save":  "Persist -> (memStore).Save (implements Store.Save)",
			},
			not: []string{"(memStore).Load", "(other).Save"},
		},
		{
			root: "Flush",
			want: map[string]string{
				"(memStore).Save":  "Flush -> (memStore).Save (a func(string) error value)",
				"(fileStore).Save": "Flush -> (*fileStore).Save (a func(string) error value)",
			},
			not: []string{"(other).Save", "(memStore).Load"},
		},
		{
			root: "Greet",
			want: map[string]string{
				"greetEN":  "Greet -> greetEN (a func(string) string value)",
				"shout":    "Greet -> shout (a func(string) string value)",
				"greeters": "Greet -> greeters (variable)",
				// main holds a func literal of the signature.
				"main": "Greet -> main (holds a func literal, a func(string) string value)",
				// count's value is taken too, but its signature differs:
				// it is reached only as main's callee.
				"count": "Greet -> main (holds a func literal, a func(string) string value) -> count",
				// The package's init runs first.
				"init": "Greet -> init (package init)",
			},
			not: []string{"(other).Save", "Show"},
		},
		{
			root: "Labels",
			want: map[string]string{
				"helpers.Label":  "Labels -> helpers.Label",
				"helpers.Prefix": "Labels -> helpers.Label -> helpers.Prefix (variable)",
				"helpers.init":   "Labels -> helpers.Label -> helpers.Prefix (variable) -> helpers.init (assigns Prefix)",
			},
			not: []string{"Show"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			h := hazardHandler(t, m, tt.root)
			fp, err := FingerprintOf(m, h, func(*types.Func) (string, bool) { return "", false }, "")
			if err != nil {
				t.Fatal(err)
			}
			for key, want := range tt.want {
				if _, ok := fp.Code[key]; !ok {
					t.Errorf("%s does not reach %s; it reaches %v", tt.root, key, keysOf(fp.Code))
					continue
				}
				if got := strings.Join(fp.Paths[key], " -> "); got != want {
					t.Errorf("path to %s:\n got %s\nwant %s", key, got, want)
				}
				steps := strings.Split(want, " -> ")
				last := steps[len(steps)-1]
				if fp.Plain[key] && strings.Contains(last, " (") && !strings.HasSuffix(last, "(variable)") && !strings.HasSuffix(last, "(type)") {
					t.Errorf("%s is reached only through a new edge, but Plain has it", key)
				}
			}
			for _, key := range tt.not {
				if _, ok := fp.Code[key]; ok {
					t.Errorf("%s reaches %s, through %s", tt.root, key, strings.Join(fp.Paths[key], " -> "))
				}
			}
		})
	}
}

// TestReachPlain checks that the plain reach (what client code and
// pointers use) follows none of the new edges, and that Plain in the
// fingerprint is what it reaches.
func TestReachPlain(t *testing.T) {
	m, err := reachFixture()
	if err != nil {
		t.Fatal(err)
	}
	h := hazardHandler(t, m, "Loop")
	r := ReachOf(m, h)
	var got []string
	for _, fn := range r.Funcs {
		got = append(got, m.DeclKey(fn))
	}
	for _, obj := range r.Objects {
		got = append(got, m.DeclKey(obj))
	}
	if strings.Join(got, " ") != "Loop cities" {
		t.Errorf("plain reach of Loop: %v, want [Loop cities]", got)
	}
	fp, err := FingerprintOf(m, h, func(*types.Func) (string, bool) { return "", false }, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(fp.Plain) != 2 || !fp.Plain["Loop"] || !fp.Plain["cities"] {
		t.Errorf("Plain = %v, want Loop and cities", fp.Plain)
	}
}

// TestReachStop checks that a durable handler of another function is not
// followed through the new edges either.
func TestReachStop(t *testing.T) {
	m, err := reachFixture()
	if err != nil {
		t.Fatal(err)
	}
	fp, err := FingerprintOf(m, hazardHandler(t, m, "Loop"), func(fn *types.Func) (string, bool) {
		return fn.Name(), fn.Name() == "setCities"
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fp.Code["setCities"]; ok {
		t.Errorf("Loop reaches the handler setCities through %v", fp.Paths["setCities"])
	}
	if got := strings.Join(fp.Paths["main"], " -> "); got != "Loop -> cities (variable) -> reorder (may change cities) -> main (calls reorder)" {
		t.Errorf("path to main: %s", got)
	}
}

func keysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
