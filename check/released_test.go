package check

import (
	"go/token"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/rewrite"
)

// calls builds a skeleton from "activity A" strings, each at its own line.
func calls(list ...string) []rewrite.DurableCall {
	var out []rewrite.DurableCall
	for i, c := range list {
		kind, target, _ := strings.Cut(c, " ")
		out = append(out, rewrite.DurableCall{Kind: kind, Target: target, Pos: token.Position{Filename: "o.go", Line: 10 + i, Column: 2}})
	}
	return out
}

func TestDescribeCalls(t *testing.T) {
	released := []string{"activity Validate", "activity Charge", "timer", "suborchestration Ship"}
	tests := []struct {
		now  []rewrite.DurableCall
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
		v := &Version{Handler: &rewrite.Handler{Pos: token.Position{Filename: "o.go", Line: 1, Column: 1}}, Print: &rewrite.Fingerprint{Calls: tt.now}}
		pos, got := describeCalls(v, released)
		if got != tt.want || pos.Line != tt.line {
			t.Errorf("%v:\n got %q at line %d\nwant %q at line %d", tt.now, got, pos.Line, tt.want, tt.line)
		}
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
		Handler: &rewrite.Handler{Pos: token.Position{Filename: "main.go", Line: 10, Column: 1}},
		Print: &rewrite.Fingerprint{
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
	for _, c := range codeChanges(v, old, label) {
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
