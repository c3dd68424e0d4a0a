package check

import (
	"fmt"
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/manifest"
)

// calls builds a skeleton from "activity A" strings, each at its own line.
func calls(list ...string) []durable.DurableCall {
	var out []durable.DurableCall
	for i, c := range list {
		kind, target, _ := strings.Cut(c, " ")
		out = append(out, durable.DurableCall{Kind: kind, Target: target, Pos: token.Position{Filename: "o.go", Line: 10 + i, Column: 2}})
	}
	return out
}

func TestDescribeCalls(t *testing.T) {
	released := []string{"activity Validate", "activity Charge", "timer", "suborchestration Ship"}
	tests := []struct {
		now  []durable.DurableCall
		line int
		want string
	}{
		{calls("activity Charge", "activity Validate", "timer", "suborchestration Ship"), 10, "calls Charge before Validate now"},
		{calls("activity Validate", "activity Audit", "activity Charge", "timer", "suborchestration Ship"), 11, "calls Audit now, before Charge"},
		{calls("activity Validate", "activity Refund", "timer", "suborchestration Ship"), 11, "calls Refund now where it called Charge"},
		{calls("activity Validate", "activity Charge", "timer"), 1, "no longer calls Ship (sub-orchestration)"},
		{calls("activity Validate", "activity Charge", "timer", "suborchestration Ship", "event Approved"), 14, "calls the event Approved now, after its released calls"},
		{calls("activity Validate", "timer", "suborchestration Ship"), 11, "no longer calls Charge"},
	}
	for _, tt := range tests {
		v := &Version{Handler: &goapp.Handler{Pos: token.Position{Filename: "o.go", Line: 1, Column: 1}}, Print: &durable.Fingerprint{Calls: tt.now}}
		pos, got := describeCalls(v, manifest.LockEntry{Calls: released})
		if got != tt.want || pos.Line != tt.line {
			t.Errorf("%v:\n got %q at line %d\nwant %q at line %d", tt.now, got, pos.Line, tt.want, tt.line)
		}
	}
}

// sited builds a skeleton of calls of one activity whose sites are the
// given inputs, each at its own line.
func sited(inputs ...string) []durable.DurableCall {
	var out []durable.DurableCall
	for i, in := range inputs {
		out = append(out, durable.DurableCall{Kind: "activity", Target: "SayHello", Site: in, Pos: token.Position{Filename: "o.go", Line: 10 + i, Column: 2}})
	}
	return out
}

// TestDescribeCallsOfOneTarget: calls of the same activity are told apart
// by their sites when the lock recorded them, so the inserted call is the
// one reported; a lock without sites falls back to the first call past the
// released ones.
func TestDescribeCallsOfOneTarget(t *testing.T) {
	released := sited("Tokyo", "London", "Seattle")
	entry := manifest.LockEntry{}
	for _, c := range released {
		entry.Calls = append(entry.Calls, c.String())
		entry.CallSites = append(entry.CallSites, c.Site)
	}
	noSites := manifest.LockEntry{Calls: entry.Calls}
	tests := []struct {
		now   []durable.DurableCall
		entry manifest.LockEntry
		line  int
		want  string
	}{
		{sited("Paris", "Tokyo", "London", "Seattle"), entry, 10, "calls SayHello now, before SayHello"},
		{sited("Tokyo", "London", "Paris", "Seattle"), entry, 12, "calls SayHello now, before SayHello"},
		{sited("Tokyo", "London", "Seattle", "Paris"), entry, 13, "calls SayHello now, after its released calls"},
		// An argument changed as well: the inserted call is still found.
		{sited("Paris", "Kyoto", "London", "Seattle"), entry, 10, "calls SayHello now, before SayHello"},
		{sited("Paris", "Tokyo", "London", "Seattle"), noSites, 13, "calls SayHello now, after its released calls"},
	}
	for _, tt := range tests {
		v := &Version{Handler: &goapp.Handler{Pos: token.Position{Filename: "o.go", Line: 1, Column: 1}}, Print: &durable.Fingerprint{Calls: tt.now}}
		pos, got := describeCalls(v, tt.entry)
		if got != tt.want || pos.Line != tt.line {
			t.Errorf("%v:\n got %q at line %d\nwant %q at line %d", tt.now, got, pos.Line, tt.want, tt.line)
		}
	}
}

func TestLCSMatch(t *testing.T) {
	got := lcsMatch([]string{"p", "t", "l", "s"}, []string{"t", "l", "s"})
	if want := []int{-1, 0, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("lcsMatch = %v, want %v", got, want)
	}
	got = lcsMatch([]string{"a", "b"}, []string{"b", "a"})
	if matches := len(got) - strings.Count(fmt.Sprint(got), "-1"); matches != 1 {
		t.Errorf("lcsMatch of a swap = %v, want one match", got)
	}
}

func TestShortKey(t *testing.T) {
	for key, want := range map[string]string{
		"workflows.ProcessOrder":          "ProcessOrder",
		"handler/workflows.chargeCard":    "chargeCard",
		"checkout.(Cart).Total":           "(Cart).Total",
		"HelloCities":                     "HelloCities",
		"(Approvals).Approve":             "(Approvals).Approve",
		"internal/pipeline.(*Store).Save": "(*Store).Save",
	} {
		if got := shortKey(key); got != want {
			t.Errorf("shortKey(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestCodeChangesPaths checks how a changed or new declaration of a
// released orchestrator's code is named: with the reason it counts and
// the path that reaches it.
func TestCodeChangesPaths(t *testing.T) {
	pos := token.Position{Filename: "main.go", Line: 3, Column: 1}
	v := &Version{
		Handler: &goapp.Handler{Pos: token.Position{Filename: "main.go", Line: 10, Column: 1}},
		Print: &durable.Fingerprint{
			Code: map[string]string{"HelloCities": "h", "cities": "c", "init": "i2", "helper": "x", "(fileStore).Save": "s"},
			Decls: map[string]token.Position{"HelloCities": {Filename: "main.go", Line: 10, Column: 1},
				"cities": pos, "init": pos, "helper": pos, "(fileStore).Save": pos},
			Paths: map[string][]string{
				"HelloCities":      {"HelloCities"},
				"cities":           {"HelloCities", "cities (variable)"},
				"init":             {"HelloCities", "cities (variable)", "init (assigns cities)"},
				"helper":           {"HelloCities", "helper"},
				"(fileStore).Save": {"HelloCities", "helper", "(*fileStore).Save (implements Store.Save)"},
			},
			Plain: map[string]bool{"HelloCities": true, "cities": true, "helper": true},
		},
	}
	old := map[string]string{"HelloCities": "h", "cities": "c", "init": "i1"}
	label := "HelloCities (v1, released)"
	var got []string
	for _, c := range codeChanges(v, manifest.LockEntry{Code: old}, label, false) {
		got = append(got, c.msg)
	}
	want := []string{
		"HelloCities (v1, released) reaches (fileStore).Save (implements Store.Save) now, through helper; " + bumpAdvice +
			" (if an older dfversion, which did not follow writers, inits, interface methods and func values, wrote the lock and (fileStore).Save is as released, record it with 'dfversion lock')",
		"HelloCities (v1, released) reaches helper now; " + bumpAdvice,
		"init (assigns cities), reached from HelloCities (v1, released) -> cities (variable), changed; " + helperAdvice,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestChangedSite(t *testing.T) {
	sites := func(hashes ...string) []durable.Site {
		var out []durable.Site
		for i, h := range hashes {
			out = append(out, durable.Site{Hash: h, Pos: token.Position{Filename: "main.go", Line: 10 + i, Column: 2}})
		}
		return out
	}
	cases := []struct {
		name     string
		released []string
		now      []durable.Site
		line     int // 0: no position
	}{
		{"a site changed", []string{"a", "b", "c"}, sites("a", "x", "c"), 11},
		{"a site inserted", []string{"a", "b"}, sites("a", "x", "b"), 11},
		{"the first site changed, later ones shifted", []string{"a", "b", "c"}, sites("x", "y", "z"), 10},
		{"a site removed", []string{"a", "b", "c"}, sites("a", "c"), 11},
		{"the first site removed", []string{"a", "b"}, sites("b"), 10},
		{"the last site removed", []string{"a", "b"}, sites("a"), 0},
		{"identical sites", []string{"a", "b"}, sites("a", "b"), 0},
		{"a lock without sites", nil, sites("a"), 0},
		{"no slice today", []string{"a"}, nil, 0},
	}
	for _, c := range cases {
		pos, ok := changedSite(c.released, c.now)
		if ok != (c.line != 0) || ok && pos.Line != c.line {
			t.Errorf("%s: changedSite = %v, %v; want line %d", c.name, pos, ok, c.line)
		}
	}
}

// TestSameEntryIgnoresSites checks that call and slice sites, which only
// place messages, never make two entries differ: a lock written before
// they were recorded lacks them, and one rewritten by such a dfversion
// loses them.
func TestSameEntryIgnoresSites(t *testing.T) {
	with := manifest.LockEntry{Kind: manifest.Orchestrator, Version: 1, Bindings: "b", Code: map[string]string{"A": "h"},
		Reach: manifest.ReachSlice, Slice: map[string]string{"A": "s"}, Calls: []string{"activity B"},
		CallSites: []string{"c1"}, SliceSites: map[string]string{"A": "ab12cd34"}}
	without := with
	without.CallSites, without.SliceSites = nil, nil
	if !sameEntry(with, without) || !sameEntry(without, with) {
		t.Error("entries that differ only in their sites are not the same")
	}
	changed := with
	changed.Code = map[string]string{"A": "h2"}
	if sameEntry(with, changed) {
		t.Error("entries whose code differs are the same")
	}
}
