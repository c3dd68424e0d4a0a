package goapp

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/tools/go/packages"
)

// A package that does not type-check leaves holes in what dfversion sees:
// an identifier whose object is unknown is no call, no reference and no
// handler, so a fingerprint taken from it, or a rewrite planned on it, is a
// guess. list can live with that (it warns); check, lock, bump and prune
// give no verdict on partial information (CompleteTypes).
//
// The type checker's own message for the common causes is poor: a module
// that is missing says only
//
//	main.go:12:2: could not import example.com/sdk/task (invalid package name: "")
//
// The cause is on the import's stub, where go list put it:
//
//	example.com/sdk@v0.0.0: replacement directory ../sdk does not exist
//	missing go.sum entry for module providing package example.com/sdk/task (...); to add: go get ...
//	no required module provides package example.com/sdk/task; to add it: go get example.com/sdk/task
//	module lookup disabled by GOPROXY=off
//
// so TypeProblem reports that instead, with the command that fixes it.

// TypeProblem is the first reason a package of the module does not
// type-check: with it, dfversion does not know every object the code uses.
type TypeProblem struct {
	// Package is the import path of the package that does not type-check.
	Package string
	// Pos is the position of the problem as the user would write it
	// ("handler/main.go:12:2"), or "" when go list gave none.
	Pos string
	// Msg is the problem, one line.
	Msg string
	// Fix says what to do about it, when the cause is a common one (a
	// missing replace directory, a module not downloaded, a go.sum entry
	// missing); "" otherwise.
	Fix string
	// More counts the package's other errors.
	More int
}

func (p *TypeProblem) where() string {
	if p.Pos == "" {
		return ""
	}
	return p.Pos + ": "
}

func (p *TypeProblem) more() string {
	if p.More == 0 {
		return ""
	}
	return fmt.Sprintf(" (and %d more)", p.More)
}

// Warning is the problem as list reports it: work goes on.
func (p *TypeProblem) Warning() error {
	return fmt.Errorf("package %s does not type-check, going on with partial type information: %s%s%s", p.Package, p.where(), p.Msg, p.more())
}

// Error is the problem as a command that needs complete type information
// reports it.
func (p *TypeProblem) Error() string {
	fix := p.Fix
	if fix == "" {
		fix = "fix it (go build shows the same error)"
	}
	return fmt.Sprintf("%spackage %s does not type-check: %s%s; %s (dfversion gives no verdict on partial type information)", p.where(), p.Package, p.Msg, p.more(), fix)
}

// CompleteTypes returns the TypeProblem of the first package, among root
// and the module's packages it imports, that does not type-check; nil when
// all of them do.
func (m *Module) CompleteTypes(root *packages.Package) error {
	for _, p := range m.closure(root) {
		if prob, ok := m.problems[p.PkgPath]; ok {
			return prob
		}
	}
	return nil
}

// FirstTypeProblem returns the TypeProblem of the first package of the
// module, by import path, that does not type-check; nil when none.
func (m *Module) FirstTypeProblem() error {
	for _, p := range m.Packages {
		if prob, ok := m.problems[p.PkgPath]; ok {
			return prob
		}
	}
	return nil
}

// couldNotImport matches the type checker's message for an import whose
// package go list could not load.
var couldNotImport = regexp.MustCompile(`^could not import (\S+)`)

// typeProblem describes a package's errors: the first one, or, for an
// import that could not be loaded, the reason go list gave on the import.
func (m *Module) typeProblem(p *packages.Package, absDir string) *TypeProblem {
	// The type checker's errors say more than the go command's summary of
	// them (which repeats them, with positions relative to somewhere else).
	errs := p.Errors
	var typeErrs []packages.Error
	for _, e := range errs {
		if e.Kind == packages.TypeError {
			typeErrs = append(typeErrs, e)
		}
	}
	if len(typeErrs) > 0 {
		errs = typeErrs
	}
	first := errs[0]
	prob := &TypeProblem{
		Package: p.PkgPath,
		Pos:     m.displayPos(first.Pos, absDir),
		Msg:     oneLine(m.displayMsg(first.Msg, absDir)),
		More:    len(errs) - 1,
	}
	if sub := couldNotImport.FindStringSubmatch(first.Msg); sub != nil {
		if imp, ok := p.Imports[sub[1]]; ok && len(imp.Errors) > 0 {
			cause := imp.Errors[0].Msg
			prob.Msg = oneLine(cause)
			if fix := m.fixFor(cause); fix != "" {
				// The go command's "; to add: go get ..." becomes the fix.
				prob.Msg, _, _ = strings.Cut(prob.Msg, "; to add")
				prob.Fix = fix
			}
		}
	}
	return prob
}

// fixFor says what fixes a go list error of a common kind, "" for others.
func (m *Module) fixFor(msg string) string {
	dir := filepath.Clean(m.Dir)
	suggested := ""
	if _, after, ok := strings.Cut(msg, "to add:"); ok {
		suggested = strings.TrimSpace(after)
	} else if _, after, ok := strings.Cut(msg, "to add it:"); ok {
		suggested = strings.TrimSpace(after)
	}
	switch {
	case strings.Contains(msg, "replacement directory") && strings.Contains(msg, "does not exist"):
		return fmt.Sprintf("fix the replace directive in %s, or create that directory", filepath.Join(dir, "go.mod"))
	case strings.Contains(msg, "missing go.sum entry"):
		if suggested == "" {
			suggested = "go mod tidy"
		}
		return fmt.Sprintf("run '%s' in %s", oneLine(suggested), dir)
	case strings.Contains(msg, "no required module provides package"):
		if suggested == "" {
			suggested = "go mod tidy"
		}
		return fmt.Sprintf("run '%s' in %s", oneLine(suggested), dir)
	case strings.Contains(msg, "module lookup disabled"), strings.Contains(msg, "cannot find module providing package"),
		strings.Contains(msg, "reading") && strings.Contains(msg, "go.mod"), strings.Contains(msg, "dial tcp"):
		return fmt.Sprintf("the module is not in the module cache: run 'go mod download' in %s where the module proxy can be reached", dir)
	}
	return ""
}
