package check

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Formats lists the output formats of dfversion check: Write's, and
// "sarif" (WriteSARIF), which is one document for all findings.
var Formats = []string{"text", "json", "github", "sarif"}

// Write prints findings in a format: "text" (path:line:col: message
// [rule], as go vet prints, with the rule id as staticcheck adds it), "json" (one object per line) or "github" (workflow
// commands that GitHub Actions shows as annotations). Paths are made
// relative to dir, the current directory, where they are below it.
func Write(w io.Writer, format string, findings []Finding, dir string) error {
	for _, f := range findings {
		path := relPath(dir, f.Pos.Filename)
		var err error
		switch format {
		case "text":
			pos := path
			if f.Pos.Line > 0 {
				pos = fmt.Sprintf("%s:%d:%d", path, f.Pos.Line, f.Pos.Column)
			}
			prefix := ""
			if f.Severity == Note {
				prefix = "note: "
			}
			// The rule id last, in brackets, as staticcheck and
			// golangci-lint print theirs: what //dfversion:ignore names.
			_, err = fmt.Fprintf(w, "%s: %s%s [%s]\n", pos, prefix, f.Message, f.Rule)
		case "json":
			err = writeJSON(w, f, path)
		case "github":
			err = writeGitHub(w, f, path)
		default:
			return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// jsonFinding is the shape of a finding in --format json.
type jsonFinding struct {
	Path      string   `json:"path"`
	Line      int      `json:"line"`
	Column    int      `json:"column"`
	EndLine   int      `json:"endLine"`
	EndColumn int      `json:"endColumn"`
	Rule      string   `json:"rule"`
	Severity  Severity `json:"severity"`
	Message   string   `json:"message"`
	Function  string   `json:"function,omitempty"`
	Version   int      `json:"version,omitempty"`
}

func writeJSON(w io.Writer, f Finding, path string) error {
	end := f.End
	if end.Line == 0 {
		end = f.Pos
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "a -> b" reads as written
	return enc.Encode(jsonFinding{
		Path: path, Line: f.Pos.Line, Column: f.Pos.Column, EndLine: end.Line, EndColumn: end.Column,
		Rule: f.Rule, Severity: f.Severity, Message: f.Message, Function: f.Function, Version: f.Version,
	})
}

// writeGitHub prints a workflow command: ::error file=...,line=...::msg.
func writeGitHub(w io.Writer, f Finding, path string) error {
	command := "error"
	if f.Severity == Note {
		command = "notice"
	}
	props := []string{"file=" + escapeProperty(path)}
	if f.Pos.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", f.Pos.Line), fmt.Sprintf("col=%d", f.Pos.Column))
		if f.End.Line > 0 {
			props = append(props, fmt.Sprintf("endLine=%d", f.End.Line), fmt.Sprintf("endColumn=%d", f.End.Column))
		}
	}
	props = append(props, "title="+escapeProperty("dfversion "+f.Rule))
	_, err := fmt.Fprintf(w, "::%s %s::%s\n", command, strings.Join(props, ","), escapeData(f.Message))
	return err
}

// escapeData and escapeProperty escape text as GitHub's workflow commands
// require.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// RelPath expresses path relative to dir, slash-separated, as go vet
// prints paths; the path as it is when that cannot be done.
func RelPath(dir, path string) string { return relPath(dir, path) }

// relPath expresses path relative to dir, as go vet does.
func relPath(dir, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil || dir == "" {
		return filepath.ToSlash(path)
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}
