package check

import (
	"go/types"

	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
	"github.com/dfversion/dfversion/rewrite"
)

// Version is a function's fingerprints with its lock entry: what check
// compares between a released version and the code now.
type Version struct {
	Function *manifest.Function
	Handler  *rewrite.Handler
	Print    *rewrite.Fingerprint
	Entry    manifest.LockEntry
}

// Locked reports whether functions of the kind are recorded in the lock:
// the durable ones, which instances in flight replay or call.
func Locked(k manifest.Kind) bool {
	return k == manifest.Orchestrator || k == manifest.Activity || k == manifest.Entity
}

// Versions computes the fingerprints of every durable function of p that a
// Go handler serves, by function name.
func Versions(p *project.Project) (map[string]*Version, error) {
	names := FunctionNames(p)
	out := map[string]*Version{}
	for _, f := range p.App.Functions {
		if !Locked(f.Kind) {
			continue
		}
		h := p.Handler(f.Name)
		if h == nil {
			continue
		}
		fp, err := p.Module.Fingerprint(h, names, f.Name+" (func literal)")
		if err != nil {
			return nil, err
		}
		out[f.Name] = &Version{Function: f, Handler: h, Print: fp, Entry: EntryOf(f, fp)}
	}
	return out, nil
}

// FunctionNames maps each handler's Go function to the name its function
// registers, for calls made by function value.
func FunctionNames(p *project.Project) rewrite.FunctionNames {
	byFunc := map[*types.Func]string{}
	for _, f := range p.App.Functions {
		if h := p.Handler(f.Name); h != nil && h.Func != nil {
			byFunc[h.Func.Origin()] = f.RegisteredName
		}
	}
	return func(fn *types.Func) (string, bool) {
		name, ok := byFunc[fn.Origin()]
		return name, ok
	}
}

// EntryOf is the lock entry of a function with the given fingerprint.
func EntryOf(f *manifest.Function, fp *rewrite.Fingerprint) manifest.LockEntry {
	e := manifest.LockEntry{Kind: f.Kind, Version: f.Version, Bindings: f.BindingsHash()}
	switch f.Kind {
	case manifest.Orchestrator:
		e.Code = fp.Code
		e.Reach = manifest.ReachFull
		e.Calls = []string{}
		for _, c := range fp.Calls {
			e.Calls = append(e.Calls, c.String())
			e.CallSites = append(e.CallSites, c.Site)
		}
	default:
		e.Inputs, e.Outputs, e.Body = fp.Inputs, fp.Outputs, fp.Body
	}
	return e
}
