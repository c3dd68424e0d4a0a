package check

import (
	"bytes"
	"encoding/json"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifFindings are findings of every shape: an error with a span, a note
// without a line, a hazard.
func sarifFindings(root string) []Finding {
	return []Finding{
		{Rule: RuleReleasedCalls, Severity: Error, Pos: token.Position{Filename: filepath.Join(root, "app", "main.go"), Line: 20, Column: 12},
			Message: "HelloCities (v1, released) calls SayHello now, before SayHello; move this change to a new version with 'dfversion bump'", Function: "HelloCities", Version: 1},
		{Rule: RuleLockMissing, Severity: Note, Pos: token.Position{Filename: filepath.Join(root, "app", "dfversion.lock")},
			Message: "no lock file: no version counts as released yet; run 'dfversion lock' when you release"},
		{Rule: "nondeterministic-time", Severity: Error, Pos: token.Position{Filename: filepath.Join(root, "app", "greet.go"), Line: 7, Column: 9},
			End: token.Position{Line: 7, Column: 19}, Message: "time.Now is not deterministic (Greet -> time.Now)"},
	}
}

func TestSARIFValidates(t *testing.T) {
	root := t.TempDir()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, sarifFindings(root), Tool{Name: "dfversion", Version: "v1.2.3", InformationURI: "https://github.com/dfversion/dfversion"}, root); err != nil {
		t.Fatal(err)
	}
	schemaFile, err := os.Open(filepath.Join("testdata", "sarif-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	doc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("the SARIF output is not JSON: %v\n%s", err, buf.String())
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("the SARIF output breaks the SARIF 2.1.0 schema: %v\n%s", err, buf.String())
	}
}

// TestSARIFContent checks what GitHub code scanning reads: the rules with
// help, and each result's rule, level, message and repository-relative
// location.
func TestSARIFContent(t *testing.T) {
	root := t.TempDir()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, sarifFindings(root), Tool{Name: "dfversion", Version: "v1.2.3", InformationURI: "https://github.com/dfversion/dfversion"}, root); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version, InformationURI string
					Rules                         []struct {
						ID               string
						ShortDescription struct{ Text string }
						Help             struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs; want 2.1.0, one run", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "dfversion" || d.Version != "v1.2.3" || d.InformationURI == "" {
		t.Errorf("driver %+v", d)
	}
	if len(d.Rules) != len(Rules()) {
		t.Errorf("%d rules, want all %d", len(d.Rules), len(Rules()))
	}
	seen := map[string]bool{}
	for _, r := range d.Rules {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
		if r.ShortDescription.Text == "" || !strings.Contains(r.Help.Text, "dfversion check reports") {
			t.Errorf("rule %s: short %q, help %q", r.ID, r.ShortDescription.Text, r.Help.Text)
		}
	}
	want := []struct {
		rule, level, uri string
		line, col        int
		endCol           int
	}{
		{RuleReleasedCalls, "error", "app/main.go", 20, 12, 0},
		{RuleLockMissing, "note", "app/dfversion.lock", 0, 0, 0},
		{"nondeterministic-time", "error", "app/greet.go", 7, 9, 19},
	}
	if len(run.Results) != len(want) {
		t.Fatalf("%d results, want %d", len(run.Results), len(want))
	}
	for i, w := range want {
		r := run.Results[i]
		loc := r.Locations[0].PhysicalLocation
		if r.RuleID != w.rule || r.Level != w.level || loc.ArtifactLocation.URI != w.uri || d.Rules[r.RuleIndex].ID != w.rule || r.Message.Text == "" {
			t.Errorf("result %d: %+v at %q, want %s %s at %s", i, r, loc.ArtifactLocation.URI, w.rule, w.level, w.uri)
		}
		switch {
		case w.line == 0 && loc.Region != nil:
			t.Errorf("result %d: a region for a finding without a line", i)
		case w.line > 0 && (loc.Region == nil || loc.Region.StartLine != w.line || loc.Region.StartColumn != w.col || loc.Region.EndColumn != w.endCol):
			t.Errorf("result %d: region %+v, want line %d col %d end col %d", i, loc.Region, w.line, w.col, w.endCol)
		}
	}
}

// TestRuleHelpNamesTheCommand: a rule's help in SARIF names the command
// that reports it.
func TestRuleHelpNamesTheCommand(t *testing.T) {
	if h := ruleHelp(Rule{ID: "replay-diverges", Description: "x"}); !strings.HasPrefix(h, "dfversion replay reports x.") {
		t.Errorf("replay rule help %q", h)
	}
	if h := ruleHelp(Rule{ID: RuleReleasedCalls, Description: "y"}); !strings.HasPrefix(h, "dfversion check reports y.") {
		t.Errorf("check rule help %q", h)
	}
}
