package check

import (
	"fmt"
	"sort"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/manifest"
)

// callTarget is one name a durable call can call: its target, or one of
// the names its target resolves to (durable.ResolveTarget), with where that
// name is written.
type callTarget struct {
	name  string
	where string // " (named by stages at flow/tables.go:19:31)", or ""
}

// callTargets lists the names a durable call can call: none for a target
// that does not resolve (see dynamicTargets).
func callTargets(c durable.DurableCall) []callTarget {
	if c.Target != "?" {
		return []callTarget{{name: c.Target}}
	}
	if c.Resolved == nil || c.Resolved.Dynamic != "" {
		return nil
	}
	var out []callTarget
	for _, n := range c.Resolved.Names {
		where := " (named at " + n.Pos.String() + ")"
		if n.Via != "" {
			where = " (named by " + n.Via + " at " + n.Pos.String() + ")"
		}
		out = append(out, callTarget{name: n.Name, where: where})
	}
	return out
}

// dynamicTargets reports every durable call of an activity or a
// sub-orchestration, in code an orchestrator reaches, whose target is not
// known statically: no rule can tell whether it calls the right version. A
// note; an error with --strict.
func dynamicTargets(versions map[string]*Version, strict bool) []Finding {
	names := make([]string, 0, len(versions))
	for name, v := range versions {
		if v.Function.Kind == manifest.Orchestrator {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	sev := Note
	if strict {
		sev = Error
	}
	var out []Finding
	for _, name := range names {
		v := versions[name]
		seen := map[string]bool{}
		for _, c := range v.Print.Calls {
			if c.Kind != "activity" && c.Kind != "suborchestration" || c.Target != "?" || c.Resolved == nil || c.Resolved.Dynamic == "" {
				continue
			}
			t := c.Resolved
			if key := t.Pos.String(); seen[key] {
				continue
			} else {
				seen[key] = true
			}
			out = append(out, Finding{
				Rule: RuleReferenceDynamic, Severity: sev, Pos: t.Pos,
				Message: fmt.Sprintf("%s (v%d) calls the %s named by %s, which is not known statically (%s), so no rule can tell whether it calls the right version: name it with a constant or a package-level table of constants",
					name, v.Function.Version, kindWord(c.Kind), t.Expr, t.Dynamic),
				Function: name, Version: v.Function.Version,
			})
		}
	}
	return out
}
