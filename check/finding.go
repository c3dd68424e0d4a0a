package check

import (
	"go/token"
	"sort"
)

// Severity says whether a finding fails the check.
type Severity string

// The severities: an error fails the check; a note informs.
const (
	Error Severity = "error"
	Note  Severity = "note"
)

// Finding is one problem found.
type Finding struct {
	Rule     string
	Severity Severity
	// Pos and End delimit what the finding is about; Pos.Filename is a
	// path as the user gave it (or absolute).
	Pos, End token.Position
	Message  string
	// Function and Version name the function version concerned, when
	// there is one.
	Function string
	Version  int
}

// sortFindings orders findings by file, line, column, then rule.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		switch {
		case a.Pos.Filename != b.Pos.Filename:
			return a.Pos.Filename < b.Pos.Filename
		case a.Pos.Line != b.Pos.Line:
			return a.Pos.Line < b.Pos.Line
		case a.Pos.Column != b.Pos.Column:
			return a.Pos.Column < b.Pos.Column
		}
		return a.Rule < b.Rule
	})
}

// Failed reports whether any finding is an error.
func Failed(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}
