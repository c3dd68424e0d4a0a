package check

import (
	"sort"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

// hazards reports the determinism hazards in the code of every
// orchestrator, each with the path from the orchestrator that reaches it.
// A helper reached from several orchestrators is reported once, for the
// first by name.
func hazards(p *project.Project, versions map[string]*Version) []Finding {
	names := make([]string, 0, len(versions))
	for name, v := range versions {
		if v.Function.Kind == manifest.Orchestrator {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	seen := map[string]bool{}
	var out []Finding
	for _, name := range names {
		v := versions[name]
		for _, h := range durable.Hazards(p.Module, v.Handler, name) {
			key := h.Rule + "\x00" + h.Pos.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, Finding{
				Rule: h.Rule, Severity: Error, Pos: h.Pos, End: h.End,
				Message:  h.Message + " (" + joinPath(h.Path) + ")",
				Function: name, Version: v.Function.Version,
			})
		}
	}
	return out
}

func joinPath(path []string) string {
	out := ""
	for i, p := range path {
		if i > 0 {
			out += " -> "
		}
		out += p
	}
	return out
}
