package check

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/internal/jsonfile"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

// Options tune a check.
type Options struct {
	// Strict makes every change to a released version an error.
	Strict bool
	// Against, when set, is the git revision whose function versions all
	// count as released (the CI gate); otherwise the lock file says which
	// versions are released.
	Against string
	// Load is how the user named the app (paths in the work tree);
	// --against loads the revision's code the same way.
	Load project.Options
}

// Result is what a check found.
type Result struct {
	Findings []Finding
	// Released is how many released versions were compared.
	Released int
}

// Run checks the app p.
func Run(p *project.Project, opts Options) (*Result, error) {
	versions, err := Versions(p)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	res.Findings = append(res.Findings, consistency(p, versions)...)
	res.Findings = append(res.Findings, hazards(p, versions)...)
	res.Findings = append(res.Findings, dynamicTargets(versions, opts.Strict)...)

	lockPath := p.App.Path(manifest.LockFile)
	lock, lockExists, err := manifest.ReadLock(lockPath)
	if err != nil {
		return nil, err
	}
	var releasedEntries map[string]manifest.LockEntry
	where := lockEntryPos(lockPath)
	if opts.Against != "" {
		base, err := loadRevision(opts)
		if err != nil {
			return nil, err
		}
		defer base.cleanup()
		res.Findings = append(res.Findings, lockChanges(base.lock, lock, lockPath)...)
		// A version the working tree's lock marks retired was pruned on
		// purpose: its removal is what the retire flow commits.
		releasedEntries = map[string]manifest.LockEntry{}
		for name, e := range base.entries {
			if !lock.Functions[name].Retired {
				releasedEntries[name] = e
			}
		}
		inLock := where
		where = func(name string) token.Position {
			if _, ok := lock.Functions[name]; ok {
				return inLock(name)
			}
			return filePos(p.App.Path(filepath.Join(name, manifest.FunctionFile)), 0, 0)
		}
	} else {
		releasedEntries = lock.Functions
		if !lockExists {
			res.Findings = append(res.Findings, Finding{
				Rule: RuleLockMissing, Severity: Note, Pos: filePos(lockPath, 0, 0),
				Message: "no lock file: no version counts as released yet; run 'dfversion lock' when you release",
			})
		}
	}
	for _, e := range releasedEntries {
		if !e.Retired {
			res.Released++
		}
	}
	res.Findings = append(res.Findings, released(p.App, versions, releasedEntries, where, opts.Strict)...)
	if f, ok := imprecise(releasedEntries, lockPath); ok {
		res.Findings = append(res.Findings, f)
	}
	res.Findings = append(res.Findings, clientsNamingRetired(p, lock)...)
	sortFindings(res.Findings)
	return res, nil
}

// clientsNamingRetired reports client code that still names a function the
// lock says was pruned: an instance started by that name would fail.
func clientsNamingRetired(p *project.Project, lock *manifest.Lock) []Finding {
	retired := map[string]manifest.LockEntry{}
	for name, e := range lock.Functions {
		if e.Retired && p.App.Function(name) == nil {
			retired[name] = e
		}
	}
	if len(retired) == 0 {
		return nil
	}
	var out []Finding
	for _, f := range p.App.Functions {
		h := p.Handler(f.Name)
		if f.Kind != manifest.Client || h == nil {
			continue
		}
		reach := durable.ReachOf(p.Module, h)
		for _, name := range sortedNames(reach.Strings) {
			if _, ok := retired[name]; !ok {
				continue
			}
			base, _ := manifest.ParseName(name)
			msg := fmt.Sprintf("%s names %s, which was pruned: an instance started by that name would fail", f.Name, name)
			if newest := newestOfBase(p.App, base); newest != nil {
				msg += "; point it at " + newest.Name
			}
			out = append(out, Finding{Rule: RuleClientNamesRetired, Severity: Error, Pos: h.Pos, Message: msg, Function: f.Name, Version: f.Version})
		}
	}
	return out
}

func sortedNames(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// lockEntryPos finds the line of a function's entry in the lock file.
func lockEntryPos(lockPath string) func(string) token.Position {
	data, _ := os.ReadFile(lockPath)
	clean := jsonfile.Clean(data)
	return func(name string) token.Position {
		r := gjson.GetBytes(clean, "functions."+gjson.Escape(name))
		if !r.Exists() {
			return filePos(lockPath, 0, 0)
		}
		// Point at the entry's name, not its opening brace.
		key, _ := json.Marshal(name)
		if i := bytes.LastIndex(data[:r.Index], key); i >= 0 {
			return offsetPos(lockPath, data, i)
		}
		return offsetPos(lockPath, data, r.Index)
	}
}

// lockChanges compares the lock at the base revision with the lock now:
// entries must not be lost or rewritten, except to mark them retired or
// to upgrade an entry an older dfversion wrote ('dfversion lock' records
// what the reach follows now).
func lockChanges(base, now *manifest.Lock, lockPath string) []Finding {
	var out []Finding
	where := lockEntryPos(lockPath)
	for _, name := range base.Names() {
		old := base.Functions[name]
		cur, ok := now.Functions[name]
		switch {
		case !ok:
			out = append(out, Finding{
				Rule: RuleLockEntryRemoved, Severity: Error, Pos: filePos(lockPath, 0, 0),
				Message: fmt.Sprintf("the lock entry of %s (v%d) is gone; released versions stay in the lock (retire them with 'dfversion prune')",
					name, old.Version),
				Function: name, Version: old.Version,
			})
		case !sameEntry(old, cur) && !upgradeOf(old, cur):
			out = append(out, Finding{
				Rule: RuleLockEntryChanged, Severity: Error, Pos: where(name),
				Message:  fmt.Sprintf("the lock entry of %s (v%d) changed; a released version's record is not edited", name, old.Version),
				Function: name, Version: old.Version,
			})
		}
	}
	return out
}

// sameEntry compares two lock entries, allowing the second to be retired,
// to record a durable slice where the first, written before dfversion
// recorded slices, has none, and to differ in call and slice sites.
func sameEntry(a, b manifest.LockEntry) bool {
	b.Retired = a.Retired
	if a.Reach < manifest.ReachSlice && b.Reach == manifest.ReachSlice {
		b.Reach, b.Slice = manifest.ReachFull, nil
		if a.Reach < manifest.ReachFull {
			b.Reach = a.Reach
		}
	}
	// Call and slice sites only place messages, never decide: a lock
	// written before they were recorded lacks them, and one rewritten by
	// such a dfversion loses them.
	b.CallSites, b.SliceSites = a.CallSites, a.SliceSites
	return string(entryJSON(a)) == string(entryJSON(b))
}

func entryJSON(e manifest.LockEntry) []byte {
	l := manifest.Lock{Functions: map[string]manifest.LockEntry{"x": e}}
	return l.Marshal()
}

// imprecise says once when released orchestrators' entries were written
// before dfversion recorded durable slices: they are compared as they were
// then, every change to their code breaking.
func imprecise(entries map[string]manifest.LockEntry, lockPath string) (Finding, bool) {
	var names []string
	for name, e := range entries {
		if !e.Retired && e.Kind == manifest.Orchestrator && e.Reach < manifest.ReachSlice {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return Finding{}, false
	}
	sort.Strings(names)
	which := strings.Join(names, ", ")
	if len(names) > 3 {
		which = fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), len(names)-3)
	}
	return Finding{
		Rule: RuleLockImprecise, Severity: Note, Pos: filePos(lockPath, 0, 0),
		Message: fmt.Sprintf("the lock records no durable slice for %s (an older dfversion wrote it), so every change to their code counts as breaking; run 'dfversion lock' (or 'dfversion lock --rewrite NAME') on the released code to record the precise form, which lets replay-safe edits pass",
			which),
	}, true
}
