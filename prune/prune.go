// Package prune plans the removal of drained old versions from a function
// app: their function folders, handlers, registrations and the tests that
// only they used, with their lock entries marked retired. Like bump, it
// builds a plan.Plan and writes nothing.
package prune

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dfversion/dfversion/appsettings"
	"github.com/dfversion/dfversion/check"
	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/plan"
	"github.com/dfversion/dfversion/project"
	"github.com/dfversion/dfversion/rewrite"
)

// Options say what to prune.
type Options struct {
	// Keep keeps the newest Keep versions of the app and prunes the older
	// ones; Version prunes exactly that version. One of them is set.
	Keep, Version int
	// Running maps orchestrator names (as instances carry them, compared
	// without case) to the number of their running, pending or suspended instances,
	// when the management API was asked; nil when it was not.
	Running map[string]int
	// Root is the folder the plan's paths are relative to.
	Root string
}

// Result is a planned prune and what it does.
type Result struct {
	Plan *plan.Plan
	// Pruned are the functions removed, sorted.
	Pruned []string
	// Skipped are the functions of the versions pruned that stay, and why.
	Skipped []Skipped
	// Removed are the Go declarations removed; Kept the handlers of pruned
	// functions that other code still uses; Tests the test functions
	// removed.
	Removed, Kept, Tests []string
}

// Skipped is a function that prune leaves in place.
type Skipped struct {
	Function, Why string
}

// ErrRunning is returned when a version to prune still has instances.
var ErrRunning = errors.New("instances still run")

// Plan plans the prune of p.
func Plan(p *project.Project, opts Options) (*Result, error) {
	app := p.App
	newest := app.Version()
	prunable := func(v int) bool { return v <= newest-opts.Keep }
	switch {
	case opts.Version > 0 && opts.Keep > 0:
		return nil, fmt.Errorf("--keep and --version do not go together: choose one")
	case opts.Version > 0:
		switch {
		case opts.Version > newest:
			return nil, fmt.Errorf("the app has no version %d: its newest is %d, and prune never removes the newest version", opts.Version, newest)
		case opts.Version == newest:
			return nil, fmt.Errorf("version %d is the app's newest: prune never removes the newest version", opts.Version)
		}
		prunable = func(v int) bool { return v == opts.Version }
	case opts.Keep < 1:
		return nil, fmt.Errorf("say what to prune: --keep N (keep the newest N versions) or --version N")
	}
	if opts.Root == "" {
		var err error
		if opts.Root, err = p.PlanRoot(); err != nil {
			return nil, err
		}
	}
	res := &Result{Plan: plan.New(opts.Root)}
	versions, err := check.Versions(p)
	if err != nil {
		return nil, err
	}
	prune := map[string]bool{}
	for _, f := range app.Functions {
		if f.Kind.Versioned() && prunable(f.Version) {
			prune[f.Name] = true
		}
	}
	skip := func(name, why string) {
		delete(prune, name)
		res.Skipped = append(res.Skipped, Skipped{name, why})
	}
	for _, f := range app.Functions {
		if !prune[f.Name] {
			continue
		}
		switch {
		case p.Handler(f.Name) == nil:
			skip(f.Name, "no Go handler serves it")
		case newestOfBase(app, f):
			skip(f.Name, fmt.Sprintf("it is the newest version of %s", f.Base))
		case pointedAt(p.Pointers, f):
			skip(f.Name, "a pointer setting names it")
		}
	}
	// A function that kept code still calls stays, and so does what it
	// calls, to a fixed point.
	for changed := true; changed; {
		changed = false
		for _, v := range versions {
			if prune[v.Function.Name] {
				continue
			}
			for _, c := range v.Print.Calls {
				if t := app.Registered(c.Target); t != nil && prune[t.Name] {
					skip(t.Name, fmt.Sprintf("%s, which stays, calls it", v.Function.Name))
					changed = true
				}
			}
		}
	}
	if err := refuseRunning(app, prune, opts.Running); err != nil {
		return nil, err
	}
	for name := range prune {
		res.Pruned = append(res.Pruned, name)
	}
	sort.Strings(res.Pruned)
	sort.Slice(res.Skipped, func(i, j int) bool { return res.Skipped[i].Function < res.Skipped[j].Function })
	if len(res.Pruned) == 0 {
		return res, nil
	}
	if err := planCode(p, res); err != nil {
		return nil, err
	}
	for _, name := range res.Pruned {
		f := app.Function(name)
		if err := res.Plan.Delete(rel(opts.Root, app.Path(f.ConfigPath)), f.Config); err != nil {
			return nil, err
		}
	}
	if err := retire(p, versions, res, opts.Root); err != nil {
		return nil, err
	}
	return res, nil
}

// newestOfBase reports whether f is the newest version of its base name.
func newestOfBase(app *manifest.App, f *manifest.Function) bool {
	for _, g := range app.Functions {
		if g.Base == f.Base && g.Kind == f.Kind && g.Version > f.Version {
			return false
		}
	}
	return true
}

// pointedAt reports whether a pointer setting names f (by its name, or by
// its version for a bare version of its base).
func pointedAt(pointers []appsettings.Pointer, f *manifest.Function) bool {
	for _, ptr := range pointers {
		switch ptr.Form {
		case appsettings.FullName:
			if strings.EqualFold(ptr.Value, f.Name) || strings.EqualFold(ptr.Value, f.RegisteredName) {
				return true
			}
		case appsettings.BareVersion:
			if ptr.Version == f.Version && (ptr.Base == "" || ptr.Base == f.Base) {
				return true
			}
		}
	}
	return false
}

// refuseRunning fails when an orchestrator to prune still has running or
// pending instances, naming them.
func refuseRunning(app *manifest.App, prune map[string]bool, running map[string]int) error {
	if running == nil {
		return nil
	}
	var busy []string
	for name := range prune {
		f := app.Function(name)
		n := running[strings.ToLower(f.RegisteredName)]
		if f.Name != f.RegisteredName {
			n += running[strings.ToLower(f.Name)]
		}
		if n > 0 {
			busy = append(busy, fmt.Sprintf("%s (%d)", f.Name, n))
		}
	}
	if len(busy) == 0 {
		return nil
	}
	sort.Strings(busy)
	return fmt.Errorf("%w: %s still %s running, pending or suspended instances; prune once they have finished (dfversion wait)",
		ErrRunning, strings.Join(busy, ", "), map[bool]string{true: "has", false: "have"}[len(busy) == 1])
}

// planCode removes the pruned functions' Go code and type-checks the rest.
func planCode(p *project.Project, res *Result) error {
	var regs []*goapp.Registration
	for _, name := range res.Pruned {
		regs = append(regs, p.Discovery.Registrations[name])
	}
	out, err := rewrite.RemoveFunctions(p.Module, regs)
	if err != nil {
		return err
	}
	if _, err := p.Module.TypeCheck(rewrite.NewContents(out.Files)); err != nil {
		return err
	}
	for _, fe := range out.Files {
		if err := res.Plan.Update(rel(res.Plan.Root, fe.Path), fe.Old, fe.New); err != nil {
			return err
		}
	}
	res.Removed, res.Kept, res.Tests = out.Removed, out.Kept, out.Tests
	return nil
}

// retire marks the pruned versions retired in dfversion.lock, adding an
// entry for a version the lock did not have.
func retire(p *project.Project, versions map[string]*check.Version, res *Result, root string) error {
	lockPath := p.App.Path(manifest.LockFile)
	lock, exists, err := manifest.ReadLock(lockPath)
	if err != nil {
		return err
	}
	for _, name := range res.Pruned {
		e, ok := lock.Functions[name]
		if !ok {
			e = versions[name].Entry
		}
		e.Retired = true
		lock.Functions[name] = e
	}
	if !exists {
		return res.Plan.Create(rel(root, lockPath), lock.Marshal())
	}
	old, err := os.ReadFile(lockPath)
	if err != nil {
		return fmt.Errorf("reading the lock file: %w", err)
	}
	return res.Plan.Update(rel(root, lockPath), old, lock.MarshalLike(old))
}

// rel expresses path relative to root, slash-separated.
func rel(root, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	r, err := filepath.Rel(root, abs)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(r)
}
