package check

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dfversion/dfversion/manifest"
)

// Record adds the entries of versions to lock, as released. An entry the
// lock already has stays as it is; if the code changed since, Record
// refuses (that change breaks instances in flight) unless the function is
// named in rewrite. An orchestrator's entry written before dfversion
// followed writers, inits, interface methods and func values is upgraded:
// what these reach is recorded, provided all it recorded is unchanged and
// nothing else is new (upgradable). It returns the new lock and the names
// added, rewritten and upgraded. An orchestrator's entry written before
// dfversion recorded durable slices, whose code is otherwise as recorded,
// gets its slice (sliced).
func Record(lock *manifest.Lock, versions map[string]*Version, rewrite []string) (out *manifest.Lock, added, rewritten, upgraded, sliced []string, err error) {
	allowed := map[string]bool{}
	for _, name := range rewrite {
		if _, ok := versions[name]; !ok {
			known := make([]string, 0, len(versions))
			for n := range versions {
				known = append(known, n)
			}
			sort.Strings(known)
			return nil, nil, nil, nil, nil, fmt.Errorf("--rewrite %s: no durable function of that name; the app has %s", name, strings.Join(known, ", "))
		}
		allowed[name] = true
	}
	out = &manifest.Lock{Functions: map[string]manifest.LockEntry{}}
	for name, e := range lock.Functions {
		out.Functions[name] = e
	}
	var changed []string
	for name, v := range versions {
		old, ok := lock.Functions[name]
		switch {
		case !ok:
			out.Functions[name] = v.Entry
			added = append(added, name)
		case !old.Retired && old.Kind == manifest.Orchestrator && old.Reach == manifest.ReachFull &&
			v.Entry.Reach == manifest.ReachSlice && sameEntry(old, v.Entry):
			out.Functions[name] = v.Entry
			sliced = append(sliced, name)
		case sameEntry(old, v.Entry) && !old.Retired:
		case allowed[name]:
			out.Functions[name] = v.Entry
			rewritten = append(rewritten, name)
		case upgradable(old, v):
			out.Functions[name] = v.Entry
			upgraded = append(upgraded, name)
		case old.Retired:
			changed = append(changed, name+" (retired)")
		default:
			changed = append(changed, fmt.Sprintf("%s (%s)", name, v.Handler.Pos))
		}
	}
	sort.Strings(added)
	sort.Strings(rewritten)
	sort.Strings(upgraded)
	sort.Strings(sliced)
	if len(changed) > 0 {
		sort.Strings(changed)
		return nil, nil, nil, nil, nil, fmt.Errorf("released %s changed since %s recorded in the lock: %s; that breaks instances in flight, so move the change to a new version with 'dfversion bump' (or, if the released code really is what is there now, rerun with --rewrite NAME)",
			plural(len(changed), "version"), plural(len(changed), "it was"), strings.Join(changed, ", "))
	}
	return out, added, rewritten, upgraded, sliced, nil
}

// upgradable reports whether an orchestrator's lock entry was written
// before dfversion followed writers, inits, interface methods and func
// values, and differs from v only by what these reach: every declaration
// it recorded is unchanged, and every one it lacks is reached only
// through the new edges (not in Plain). Those were never recorded, so
// nothing proves them unchanged since the release; check says so for each
// until the entry is upgraded.
func upgradable(old manifest.LockEntry, v *Version) bool {
	now := v.Entry
	if old.Reach >= manifest.ReachFull || old.Retired || old.Kind != manifest.Orchestrator || now.Kind != old.Kind ||
		now.Version != old.Version || now.Bindings != old.Bindings || !slices.Equal(now.Calls, old.Calls) {
		return false
	}
	for k, hash := range old.Code {
		if now.Code[k] != hash {
			return false
		}
	}
	for k := range now.Code {
		if _, ok := old.Code[k]; !ok && v.Print.Plain[k] {
			return false
		}
	}
	return true
}

// upgradeOf reports whether a lock entry now is old upgraded (see
// upgradable), as far as the two entries tell.
func upgradeOf(old, now manifest.LockEntry) bool {
	if old.Reach >= manifest.ReachFull || now.Reach < manifest.ReachFull || old.Kind != manifest.Orchestrator ||
		now.Kind != old.Kind || now.Version != old.Version || now.Bindings != old.Bindings ||
		now.Retired != old.Retired || !slices.Equal(now.Calls, old.Calls) {
		return false
	}
	for k, hash := range old.Code {
		if now.Code[k] != hash {
			return false
		}
	}
	return true
}

func plural(n int, s string) string {
	if n == 1 {
		return s
	}
	switch s {
	case "it was":
		return "they were"
	}
	return s + "s"
}
