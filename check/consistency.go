package check

import (
	"fmt"
	"go/token"
	"strings"

	"github.com/dfversion/dfversion/appsettings"
	"github.com/dfversion/dfversion/internal/jsonfile"
	"github.com/dfversion/dfversion/internal/schema"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

// consistency checks what must hold of any app, released or not.
func consistency(p *project.Project, versions map[string]*Version) []Finding {
	var out []Finding
	app := p.App
	for _, f := range p.Unserved {
		out = append(out, Finding{
			Rule: RuleHandlerMissing, Severity: Error,
			Pos:      filePos(app.Path(f.ConfigPath), 1, 1),
			Message:  p.MissingHandlerMessage(f),
			Function: f.Name, Version: f.Version,
		})
	}
	for _, o := range p.Discovery.Orphans {
		name := strings.TrimPrefix(o.Key[strings.LastIndexByte(o.Key, ' ')+1:], "/")
		out = append(out, Finding{
			Rule: RuleRegistrationOrphan, Severity: Error, Pos: o.Pos,
			Message: fmt.Sprintf("%q registers the durable handler %s, but the app has no function folder %s: the host never calls it; add %s/function.json, or remove the registration",
				o.Key, o.Handler.Describe(), name, name),
		})
	}
	validate := memoValidate()
	for _, f := range app.Functions {
		if problem := manifest.NameProblem(f.Name); problem != "" {
			out = append(out, Finding{
				Rule: RuleNameInvalid, Severity: Error,
				Pos:      filePos(app.Path(f.ConfigPath), 1, 1),
				Message:  fmt.Sprintf("%q is not a valid function name: %s; rename the folder", f.Name, problem),
				Function: f.Name, Version: f.Version,
			})
		}
		out = append(out, schemaFindings(validate, schema.Function, app.Path(f.ConfigPath), f.Config, RuleSchemaFunction, f)...)
	}
	out = append(out, schemaFindings(validate, schema.Host, app.Host.Path, app.Host.Data, RuleSchemaHost, nil)...)
	out = append(out, references(app, versions)...)
	out = append(out, pointers(p)...)
	return out
}

// memoValidate returns schema.Validate, remembering what it answered for
// each content: the function.json files of an app are mostly alike (every
// activity's, every orchestrator's), and with thousands of functions
// validating each again was a third of a check's own work.
func memoValidate() func(kind schema.Kind, data []byte) ([]schema.Problem, error) {
	type key struct {
		kind schema.Kind
		data string
	}
	type answer struct {
		problems []schema.Problem
		err      error
	}
	seen := map[key]answer{}
	return func(kind schema.Kind, data []byte) ([]schema.Problem, error) {
		k := key{kind, string(data)}
		a, ok := seen[k]
		if !ok {
			a.problems, a.err = schema.Validate(kind, data)
			seen[k] = a
		}
		return a.problems, a.err
	}
}

// schemaFindings validates a JSON file against its schema.
func schemaFindings(validate func(schema.Kind, []byte) ([]schema.Problem, error), kind schema.Kind, path string, data []byte, rule string, f *manifest.Function) []Finding {
	problems, err := validate(kind, data)
	if err != nil {
		return nil // a file that is not JSON at all failed to load already
	}
	var out []Finding
	for _, pr := range problems {
		fd := Finding{Rule: rule, Severity: Error, Pos: filePos(path, pr.Line, pr.Col), Message: pr.Message}
		if f != nil {
			fd.Function, fd.Version = f.Name, f.Version
		}
		out = append(out, fd)
	}
	return out
}

// references checks every durable call of every orchestrator: its target
// exists, and is the right version of it.
func references(app *manifest.App, versions map[string]*Version) []Finding {
	// newest[base][k] is answered by scanning the versions of a base.
	byBase := map[string][]*manifest.Function{}
	for _, f := range app.Functions {
		byBase[f.Base] = append(byBase[f.Base], f)
	}
	var out []Finding
	for _, f := range app.Functions {
		v, ok := versions[f.Name]
		if !ok || f.Kind != manifest.Orchestrator {
			continue
		}
		for _, c := range v.Print.Calls {
			if c.Kind == "event" {
				continue
			}
			// A target held in data or returned by a helper is checked
			// for every name it can take.
			for _, t := range callTargets(c) {
				if t.name == "" || t.name == "?" {
					continue
				}
				target := app.Registered(t.name)
				if target == nil {
					out = append(out, Finding{
						Rule: RuleReferenceUnknown, Severity: Error, Pos: c.Pos,
						Message:  fmt.Sprintf("%s calls %s %q%s, which no function of the app registers", f.Name, kindWord(c.Kind), t.name, t.where),
						Function: f.Name, Version: f.Version,
					})
					continue
				}
				if target.Kind == manifest.Entity || !target.Kind.Versioned() {
					continue
				}
				want := newestAtMost(byBase[target.Base], f.Version)
				if want == nil || want == target {
					continue
				}
				out = append(out, Finding{
					Rule: RuleReferenceVersion, Severity: Error, Pos: c.Pos,
					Message: fmt.Sprintf("%s (v%d) calls %s%s, but the version of %s it must call is %s (the newest at or below v%d)",
						f.Name, f.Version, target.Name, t.where, target.Base, want.Name, f.Version),
					Function: f.Name, Version: f.Version,
				})
			}
		}
	}
	return out
}

// newestAtMost returns the newest of fs at or below version k.
func newestAtMost(fs []*manifest.Function, k int) *manifest.Function {
	var best *manifest.Function
	for _, f := range fs {
		if f.Version <= k && (best == nil || f.Version > best.Version) {
			best = f
		}
	}
	return best
}

func kindWord(kind string) string {
	switch kind {
	case "suborchestration":
		return "sub-orchestration"
	case "entity":
		return "entity"
	}
	return kind
}

// pointers checks that every pointer setting names an orchestrator of the
// newest version.
func pointers(p *project.Project) []Finding {
	var out []Finding
	app := p.App
	for _, ptr := range p.Pointers {
		newest := newestOfBase(app, ptr.Base)
		pos := filePos(ptr.File.Path, ptr.Line, ptr.Col)
		switch {
		case ptr.Form == appsettings.BareVersion && ptr.Version != app.Version():
			out = append(out, Finding{
				Rule: RulePointerStale, Severity: Error, Pos: pos,
				Message: fmt.Sprintf("setting %s is %q, but the app's newest version is %d; new instances would start on an old version",
					ptr.Setting, ptr.Value, app.Version()),
			})
		case ptr.Form == appsettings.FullName && app.Function(ptr.Value) == nil && app.Registered(ptr.Value) == nil:
			out = append(out, Finding{
				Rule: RulePointerStale, Severity: Error, Pos: pos,
				Message: fmt.Sprintf("setting %s names %s, which does not exist%s", ptr.Setting, ptr.Value, newestHint(newest)),
			})
		case ptr.Form == appsettings.FullName && newest != nil && ptr.Version != newest.Version:
			out = append(out, Finding{
				Rule: RulePointerStale, Severity: Error, Pos: pos,
				Message: fmt.Sprintf("setting %s names %s, but the newest version is %s; new instances would start on an old version",
					ptr.Setting, ptr.Value, newest.Name),
			})
		}
	}
	return out
}

func newestHint(f *manifest.Function) string {
	if f == nil {
		return ""
	}
	return "; the newest version is " + f.Name
}

// newestOfBase returns the newest orchestrator with the base name.
func newestOfBase(app *manifest.App, base string) *manifest.Function {
	var best *manifest.Function
	for _, f := range app.Functions {
		if f.Kind == manifest.Orchestrator && f.Base == base && (best == nil || f.Version > best.Version) {
			best = f
		}
	}
	return best
}

// filePos is a position in a file.
func filePos(path string, line, col int) token.Position {
	return token.Position{Filename: path, Line: line, Column: col}
}

// offsetPos is the position of a byte offset in a JSON file's content.
func offsetPos(path string, data []byte, offset int) token.Position {
	line, col := jsonfile.Position(data, offset)
	return filePos(path, line, col)
}
