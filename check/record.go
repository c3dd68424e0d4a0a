package check

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dfversion/dfversion/manifest"
)

// Record adds the entries of versions to lock, as released. An entry the
// lock already has stays as it is; if the code changed since, Record
// refuses (that change breaks instances in flight) unless the function is
// named in rewrite. It returns the new lock and the names added and
// rewritten.
func Record(lock *manifest.Lock, versions map[string]*Version, rewrite []string) (out *manifest.Lock, added, rewritten []string, err error) {
	allowed := map[string]bool{}
	for _, name := range rewrite {
		if _, ok := versions[name]; !ok {
			known := make([]string, 0, len(versions))
			for n := range versions {
				known = append(known, n)
			}
			sort.Strings(known)
			return nil, nil, nil, fmt.Errorf("--rewrite %s: no durable function of that name; the app has %s", name, strings.Join(known, ", "))
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
		case sameEntry(old, v.Entry) && !old.Retired:
		case allowed[name]:
			out.Functions[name] = v.Entry
			rewritten = append(rewritten, name)
		case old.Retired:
			changed = append(changed, name+" (retired)")
		default:
			changed = append(changed, fmt.Sprintf("%s (%s)", name, v.Handler.Pos))
		}
	}
	sort.Strings(added)
	sort.Strings(rewritten)
	if len(changed) > 0 {
		sort.Strings(changed)
		return nil, nil, nil, fmt.Errorf("released %s changed since %s recorded in the lock: %s; that breaks instances in flight, so move the change to a new version with 'dfversion bump' (or, if the released code really is what is there now, rerun with --rewrite NAME)",
			plural(len(changed), "version"), plural(len(changed), "it was"), strings.Join(changed, ", "))
	}
	return out, added, rewritten, nil
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
