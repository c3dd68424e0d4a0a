package check

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/dfversion/dfversion/hazard"
)

// SARIF output is for GitHub code scanning (and any SARIF 2.1.0 viewer):
// one run whose tool.driver lists every rule of dfversion check, and one
// result per finding, located by a URI relative to the repository root
// (what code scanning matches against the files of the commit).

// Tool describes dfversion in a SARIF log.
type Tool struct {
	Name           string
	Version        string
	InformationURI string
}

// sarifLog and the types below are the parts of SARIF 2.1.0 dfversion
// writes.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	ColumnKind string        `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	ShortDescription     sarifText     `json:"shortDescription"`
	FullDescription      sarifText     `json:"fullDescription"`
	Help                 sarifText     `json:"help"`
	DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
}

type sarifRuleConf struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// noteRules are the rules whose findings are notes unless --strict.
var noteRules = map[string]bool{RuleReleasedBody: true, RuleLockMissing: true}

// WriteSARIF writes findings as one SARIF 2.1.0 log with one run. root is
// the folder URIs are relative to: the repository root, for code scanning.
func WriteSARIF(w io.Writer, findings []Finding, tool Tool, root string) error {
	return WriteSARIFRules(w, findings, Rules(), tool, root)
}

// WriteSARIFRules is WriteSARIF for another command's findings, whose rules
// are the ones given (dfversion replay's).
func WriteSARIFRules(w io.Writer, findings []Finding, rules []Rule, tool Tool, root string) error {
	index := map[string]int{}
	driver := sarifDriver{Name: tool.Name, Version: tool.Version, InformationURI: tool.InformationURI, Rules: []sarifRule{}}
	for i, r := range rules {
		index[r.ID] = i
		level := "error"
		if noteRules[r.ID] {
			level = "note"
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   r.ID,
			ShortDescription:     sarifText{firstClause(r.Description)},
			FullDescription:      sarifText{r.Description},
			Help:                 sarifText{ruleHelp(r)},
			DefaultConfiguration: sarifRuleConf{level},
		})
	}
	run := sarifRun{Tool: sarifTool{driver}, Results: []sarifResult{}, ColumnKind: "unicodeCodePoints"}
	for _, f := range findings {
		level := "error"
		if f.Severity == Note {
			level = "note"
		}
		loc := sarifPhysical{ArtifactLocation: sarifArtifact{URI: relPath(root, f.Pos.Filename), URIBaseID: "%SRCROOT%"}}
		if f.Pos.Line > 0 {
			loc.Region = &sarifRegion{StartLine: f.Pos.Line, StartColumn: f.Pos.Column}
			if f.End.Line > 0 {
				loc.Region.EndLine, loc.Region.EndColumn = f.End.Line, f.End.Column
			}
		}
		run.Results = append(run.Results, sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: level,
			Message:   sarifText{f.Message},
			Locations: []sarifLocation{{loc}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

// firstClause shortens a rule's description to its first clause, for the
// one-line shortDescription.
func firstClause(s string) string {
	if i := strings.IndexAny(s, ":;("); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// ruleHelp is a rule's help text in the SARIF log: what it finds and what
// to do about it.
func ruleHelp(r Rule) string {
	what := "dfversion check reports " + r.Description + "."
	switch {
	case strings.HasPrefix(r.ID, "replay-"):
		return "dfversion replay reports " + r.Description + ". An instance in flight would replay on code that schedules other durable actions than its history: keep the old code under a versioned name (dfversion bump), or wait until the instance finishes."
	case strings.HasPrefix(r.ID, "released-"):
		return what + " Instances in flight replay the released code: undo the change, or move it to a new version with 'dfversion bump'."
	case strings.HasPrefix(r.ID, "lock-"):
		return what + " Record released versions with 'dfversion lock'; never edit or delete entries of dfversion.lock by hand."
	}
	for _, h := range hazard.Rules {
		if h.ID == r.ID {
			return what + " Move the work into an activity, or silence a false alarm with '//dfversion:ignore " + r.ID + " <reason>'."
		}
	}
	return what
}
