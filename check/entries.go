package check

import (
	"go/types"
	"strings"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

// Version is a function's fingerprints with its lock entry: what check
// compares between a released version and the code now.
type Version struct {
	Function *manifest.Function
	Handler  *goapp.Handler
	Print    *durable.Fingerprint
	Entry    manifest.LockEntry
	// Sites are the sites of the durable slices of an orchestrator's
	// code, by key of Print.Code, with their positions (durable.Site).
	Sites map[string][]durable.Site
}

// Locked reports whether functions of the kind are recorded in the lock:
// the durable ones, which instances in flight replay or call.
func Locked(k manifest.Kind) bool {
	return k == manifest.Orchestrator || k == manifest.Activity || k == manifest.Entity
}

// Versions computes the fingerprints of every durable function of p that a
// Go handler serves, by function name. The fingerprints are computed on
// every core (durable.FingerprintAll); the durable slices, which share one
// analysis, are taken after, in order.
func Versions(p *project.Project) (map[string]*Version, error) {
	names := FunctionNames(p)
	var funcs []*manifest.Function
	var handlers []*goapp.Handler
	for _, f := range p.App.Functions {
		if h := p.Handler(f.Name); h != nil && Locked(f.Kind) {
			funcs, handlers = append(funcs, f), append(handlers, h)
		}
	}
	jobs := make([]durable.FingerprintJob, len(funcs))
	for i, f := range funcs {
		jobs[i] = durable.FingerprintJob{Module: p.Module, Handler: handlers[i], Names: names, Literal: f.Name + " (func literal)"}
	}
	prints, err := durable.FingerprintAll(jobs)
	if err != nil {
		return nil, err
	}
	slices := Slices(p.Module, orchestratorHandlers(p.App, p.Handler))
	out := map[string]*Version{}
	for i, f := range funcs {
		h, fp := handlers[i], prints[i]
		hashes, sites := slices.Slice(h, fp.Code, f.Name+" (func literal)")
		out[f.Name] = &Version{Function: f, Handler: h, Print: fp, Entry: EntryOf(f, fp, hashes, sites), Sites: sites}
	}
	return out, nil
}

// FunctionNames maps each handler's Go function to the name its function
// registers, for calls made by function value.
func FunctionNames(p *project.Project) durable.FunctionNames {
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

// Slices analyses the durable slices of a module's code; handlers are its
// orchestrators' (their results are outputs, which replay does not
// compare).
func Slices(m *goapp.Module, handlers []*goapp.Handler) *durable.Analysis {
	return durable.Analyze(m, handlers)
}

// orchestratorHandlers lists the handlers of the app's orchestrators.
func orchestratorHandlers(app *manifest.App, handler func(string) *goapp.Handler) []*goapp.Handler {
	var out []*goapp.Handler
	for _, f := range app.Functions {
		if f.Kind != manifest.Orchestrator {
			continue
		}
		if h := handler(f.Name); h != nil {
			out = append(out, h)
		}
	}
	return out
}

// EntryOf is the lock entry of a function with the given fingerprint and,
// for an orchestrator, the hashes of its declarations' durable slices and
// their sites (durable.Analysis.Slice).
func EntryOf(f *manifest.Function, fp *durable.Fingerprint, slice map[string]string, sites map[string][]durable.Site) manifest.LockEntry {
	e := manifest.LockEntry{Kind: f.Kind, Version: f.Version, Bindings: f.BindingsHash()}
	switch f.Kind {
	case manifest.Orchestrator:
		e.Code = fp.Code
		e.Reach = manifest.ReachSlice
		e.Slice = slice
		if e.Slice == nil {
			e.Slice = map[string]string{}
		}
		for k, ss := range sites {
			if e.SliceSites == nil {
				e.SliceSites = map[string]string{}
			}
			hashes := make([]string, len(ss))
			for i, s := range ss {
				hashes[i] = s.Hash
			}
			e.SliceSites[k] = strings.Join(hashes, " ")
		}
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
