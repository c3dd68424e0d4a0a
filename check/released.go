package check

import (
	"fmt"
	"go/token"
	"slices"
	"sort"
	"strings"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/manifest"
)

// bumpAdvice ends the message of every breaking change.
const bumpAdvice = "move this change to a new version with 'dfversion bump'"

// helperAdvice ends the message of a breaking change to code that a
// released orchestrator shares with others: bump gives the new version a
// copy holding the edit and the original its committed code back, or
// refuses, saying why, when a copy cannot serve.
const helperAdvice = "move this change to a new version with 'dfversion bump', which gives the new version its own copy (or says why it cannot)"

// released compares every released version with the code now. released
// maps function names to their released entries; where tells where the
// entries come from, for messages about removed functions.
func released(app *manifest.App, versions map[string]*Version, releasedEntries map[string]manifest.LockEntry, where func(name string) token.Position, strict bool) []Finding {
	var out []Finding
	names := make([]string, 0, len(releasedEntries))
	for n := range releasedEntries {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		old := releasedEntries[name]
		if old.Retired {
			continue
		}
		label := fmt.Sprintf("%s (v%d, released)", name, old.Version)
		f := app.Function(name)
		if f == nil {
			out = append(out, Finding{
				Rule: RuleReleasedRemoved, Severity: Error, Pos: where(name),
				Message: fmt.Sprintf("%s was removed or renamed, but instances in flight may still call it: restore it, or retire it with 'dfversion prune' once no instance runs it",
					label),
				Function: name, Version: old.Version,
			})
			continue
		}
		finding := func(rule string, sev Severity, pos token.Position, msg string) {
			if strict {
				sev = Error
			}
			out = append(out, Finding{Rule: rule, Severity: sev, Pos: pos, Message: msg, Function: name, Version: old.Version})
		}
		// Whatever the kind is now, durable or not (a trigger changed to
		// httpTrigger leaves no durable fingerprint to compare): instances
		// in flight call this name as the kind it was.
		if f.Kind != old.Kind {
			finding(RuleReleasedKind, Error, triggerTypePos(app, f),
				fmt.Sprintf("%s was %s and is %s now%s; %s", label, kindPhrase(old.Kind), kindPhrase(f.Kind), triggerWords(f), bumpAdvice))
			continue
		}
		v, ok := versions[name]
		if !ok {
			continue // unserved: reported by handler-missing
		}
		now := v.Entry
		if now.Bindings != old.Bindings {
			finding(RuleReleasedBindings, Error, filePos(app.Path(f.ConfigPath), 1, 1),
				fmt.Sprintf("the bindings of %s changed; %s", label, bumpAdvice))
		}
		switch old.Kind {
		case manifest.Orchestrator:
			if !slices.Equal(now.Calls, old.Calls) {
				pos, what := describeCalls(v, old)
				finding(RuleReleasedCalls, Error, pos, fmt.Sprintf("%s %s; %s", label, what, bumpAdvice))
				continue // its code changed too: one finding says it
			}
			for _, c := range codeChanges(v, old, label, strict) {
				finding(c.rule, c.severity, c.pos, c.msg)
			}
		default:
			if !slices.Equal(now.Inputs, old.Inputs) || !slices.Equal(now.Outputs, old.Outputs) {
				finding(RuleReleasedTypes, Error, v.Handler.Pos,
					fmt.Sprintf("%s %s; instances in flight send and expect the old types: %s", label, describeTypes(old, now), bumpAdvice))
				continue
			}
			if now.Body != old.Body {
				msg := fmt.Sprintf("%s changed but keeps its input and output types: instances in flight will run the new code (--strict fails on this)", label)
				if strict {
					msg = fmt.Sprintf("%s changed; with --strict every change to a released version fails: %s", label, bumpAdvice)
				}
				finding(RuleReleasedBody, Note, v.Handler.Pos, msg)
			}
		}
	}
	return out
}

// triggerTypePos is the position of the type of f's trigger binding in its
// function.json (of its first binding when it has no trigger).
func triggerTypePos(app *manifest.App, f *manifest.Function) token.Position {
	return offsetPos(app.Path(f.ConfigPath), f.Config, f.TypeOffset())
}

// kindPhrase names a kind with its article ("an activity").
func kindPhrase(k manifest.Kind) string {
	switch k {
	case manifest.Other:
		return "no durable function"
	case manifest.Activity, manifest.Orchestrator, manifest.Entity:
		return "an " + string(k)
	}
	return "a " + string(k)
}

// triggerWords says what made f no durable function: its trigger.
func triggerWords(f *manifest.Function) string {
	if t := f.Trigger(); f.Kind == manifest.Other && t != nil {
		return fmt.Sprintf(" (its trigger is %s)", t.Type)
	}
	return ""
}

// describeCalls says how an orchestrator's durable calls differ from the
// released ones, at the first difference by kind and target, and points
// at the call that differs.
//
// Calls of the same target are told apart by their call sites, where the
// released entry recorded them (see insertedCall):
//
//	released: SayHello("Tokyo"), SayHello("London")
//	now:      SayHello("Paris"), SayHello("Tokyo"), SayHello("London")
//
// is "calls SayHello now, before SayHello" at the call with "Paris"; by
// kind and target alone the difference shows only after the last released
// call.
func describeCalls(v *Version, old manifest.LockEntry) (token.Position, string) {
	now := v.Print.Calls
	for i := 0; ; i++ {
		switch {
		case i >= len(now) && i >= len(old.Calls):
			return v.Handler.Pos, "makes other durable calls now"
		case i >= len(now):
			return v.Handler.Pos, "no longer calls " + callWords(old.Calls[i])
		case i >= len(old.Calls):
			if j, before, ok := insertedCall(now, old, now[i].String()); ok {
				if before != "" {
					return now[j].Pos, fmt.Sprintf("calls %s now, before %s", callWords(now[j].String()), callWords(before))
				}
				return now[j].Pos, "calls " + callWords(now[j].String()) + " now, after its released calls"
			}
			return now[i].Pos, "calls " + callWords(now[i].String()) + " now, after its released calls"
		case now[i].String() == old.Calls[i]:
			continue
		}
		cur := now[i].String()
		switch {
		case i+1 < len(now) && now[i+1].String() == old.Calls[i] && !slices.Contains(old.Calls[i:], cur):
			return now[i].Pos, fmt.Sprintf("calls %s now, before %s", callWords(cur), callWords(old.Calls[i]))
		case slices.Contains(old.Calls[i+1:], cur) && slices.Contains(nowStrings(now[i+1:]), old.Calls[i]):
			return now[i].Pos, fmt.Sprintf("calls %s before %s now", callWords(cur), callWords(old.Calls[i]))
		case !slices.Contains(old.Calls, cur):
			return now[i].Pos, fmt.Sprintf("calls %s now where it called %s", callWords(cur), callWords(old.Calls[i]))
		case !slices.Contains(nowStrings(now), old.Calls[i]):
			return now[i].Pos, "no longer calls " + callWords(old.Calls[i])
		}
		return now[i].Pos, fmt.Sprintf("calls %s where it called %s", callWords(cur), callWords(old.Calls[i]))
	}
}

// insertedCall finds, among calls now of the form call, the one that was
// inserted, by aligning the calls now with the released ones by kind,
// target and call site (a longest common subsequence): the first call of
// that form that the alignment leaves over. It returns its index and the
// released call it now comes before ("" when it comes after all of them).
// ok is false when the released entry has no call sites to align by.
func insertedCall(now []durable.DurableCall, old manifest.LockEntry, call string) (j int, before string, ok bool) {
	if len(old.CallSites) != len(old.Calls) {
		return 0, "", false
	}
	key := func(call, site string) string { return call + "\x00" + site }
	nowKeys := make([]string, len(now))
	for i, c := range now {
		nowKeys[i] = key(c.String(), c.Site)
	}
	oldKeys := make([]string, len(old.Calls))
	for i := range old.Calls {
		oldKeys[i] = key(old.Calls[i], old.CallSites[i])
	}
	match := lcsMatch(nowKeys, oldKeys)
	for j := range now {
		if match[j] >= 0 || now[j].String() != call {
			continue
		}
		for k := j + 1; k < len(now); k++ {
			if match[k] >= 0 {
				return j, old.Calls[match[k]], true
			}
		}
		return j, "", true
	}
	return 0, "", false
}

// changedSite is where a function's durable slice changed: the first of
// today's sites (durable.Site) that the released ones do not match, after
// aligning the two by a longest common subsequence; or, when sites were
// only removed, the first of today's sites after the removal. ok is false
// when either side has no sites (a lock written before they were
// recorded, a function without a slice) or nothing tells where.
func changedSite(released []string, now []durable.Site) (token.Position, bool) {
	if len(released) == 0 || len(now) == 0 {
		return token.Position{}, false
	}
	hashes := make([]string, len(now))
	for i, s := range now {
		hashes[i] = s.Hash
	}
	match := lcsMatch(hashes, released)
	for i, m := range match {
		if m < 0 {
			return now[i].Pos, true
		}
	}
	// Every site of today's is released: some released ones are gone.
	// Report at today's site that follows the first gap.
	next := 0
	for i, m := range match {
		if m != next {
			return now[i].Pos, true
		}
		next = m + 1
	}
	return token.Position{}, false
}

// lcsMatch aligns a with b by a longest common subsequence and returns,
// for each element of a, the index of the element of b it is matched
// with, or -1.
func lcsMatch(a, b []string) []int {
	// lengths[i][j] is the length of the LCS of a[i:] and b[j:].
	lengths := make([][]int, len(a)+1)
	for i := range lengths {
		lengths[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lengths[i][j] = lengths[i+1][j+1] + 1
			} else {
				lengths[i][j] = max(lengths[i+1][j], lengths[i][j+1])
			}
		}
	}
	match := make([]int, len(a))
	i, j := 0, 0
	for i < len(a) {
		switch {
		case j < len(b) && a[i] == b[j]:
			match[i] = j
			i++
			j++
		case j < len(b) && lengths[i][j+1] >= lengths[i+1][j]:
			j++
		default:
			match[i] = -1
			i++
		}
	}
	return match
}

func nowStrings(calls []durable.DurableCall) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.String()
	}
	return out
}

// callWords turns "activity ChargeCard" into "ChargeCard", and the calls
// without a target into words.
func callWords(call string) string {
	kind, target, _ := strings.Cut(call, " ")
	switch {
	case kind == "timer":
		return "a timer"
	case kind == "continueasnew":
		return "continue-as-new"
	case kind == "event":
		return "the event " + target
	case kind == "suborchestration":
		return target + " (sub-orchestration)"
	}
	return target
}

type codeChange struct {
	rule     string
	severity Severity
	pos      token.Position
	msg      string
}

// codeChanges lists the declarations reached by a released orchestrator
// that changed, appeared or disappeared. A changed or new declaration is
// named with the path that reaches it (reachedFrom).
//
// A declaration whose code changed but whose durable slice did not (both
// entries record the same slice hash for it) changed only what replay does
// not compare: values, messages, names (released-value-changed, a note;
// an error with --strict). Any other change is breaking
// (released-code-changed), and so is every change when the released entry
// records no slice (a lock written before dfversion recorded slices).
func codeChanges(v *Version, oldEntry manifest.LockEntry, label string, strict bool) []codeChange {
	var out []codeChange
	old := oldEntry.Code
	now := v.Print.Code
	breaking := func(pos token.Position, msg string) codeChange {
		return codeChange{RuleReleasedCode, Error, pos, msg}
	}
	valueOnly := func(k string) bool {
		if oldEntry.Reach < manifest.ReachSlice || v.Entry.Reach < manifest.ReachSlice {
			return false
		}
		o, n := oldEntry.Slice[k], v.Entry.Slice[k]
		return o != "" && o == n
	}
	root := ""
	if v.Handler.Func != nil {
		root = rootKey(v)
	}
	keys := make([]string, 0, len(now)+len(old))
	for k := range now {
		keys = append(keys, k)
	}
	for k := range old {
		if _, ok := now[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		o, had := old[k]
		n, has := now[k]
		pos := v.Print.Decls[k]
		// Where a change to what decides the durable calls shows first,
		// when the sites tell.
		changed := "changed"
		if had && has && o != n && !valueOnly(k) {
			if at, ok := changedSite(strings.Fields(oldEntry.SliceSites[k]), v.Sites[k]); ok {
				pos, changed = at, "changed what decides its durable calls, first here"
			}
		}
		switch {
		case had && has && o == n:
		case had && has && valueOnly(k):
			what := label
			if k != root && !strings.HasSuffix(k, "(func literal)") {
				what = fmt.Sprintf("%s, reached from %s,", reachedAs(v, k), reachedFrom(v, k, label))
			}
			msg := fmt.Sprintf("%s changed outside its durable slice: instances in flight will compute the new values after replay (--strict fails on this)", what)
			if strict {
				msg = fmt.Sprintf("%s changed outside its durable slice; with --strict every change to a released version fails: %s", what, bumpAdvice)
			}
			out = append(out, codeChange{RuleReleasedValue, Note, pos, msg})
		case had && has && (k == root || strings.HasSuffix(k, "(func literal)")):
			out = append(out, breaking(pos, fmt.Sprintf("%s %s; %s", label, changed, bumpAdvice)))
		case had && has:
			out = append(out, breaking(pos, fmt.Sprintf("%s, reached from %s, %s; %s", reachedAs(v, k), reachedFrom(v, k, label), changed, helperAdvice)))
		case has && !v.Print.Plain[k]:
			out = append(out, breaking(pos, fmt.Sprintf("%s reaches %s now%s; %s (if an older dfversion, which did not follow %s, wrote the lock and %s is as released, record it with 'dfversion lock')",
				label, reachedAs(v, k), reachedThrough(v, k), bumpAdvice, newEdgesWords, shortKey(k))))
		case has:
			out = append(out, breaking(pos, fmt.Sprintf("%s reaches %s now%s; %s", label, reachedAs(v, k), reachedThrough(v, k), bumpAdvice)))
		default:
			out = append(out, breaking(v.Handler.Pos, fmt.Sprintf("%s no longer reaches %s; %s", label, shortKey(k), bumpAdvice)))
		}
	}
	return out
}

// newEdgesWords names the edges of the reach that lock entries written
// before dfversion followed them do not cover.
const newEdgesWords = "writers, inits, interface methods and func values"

// reachedAs names a declaration of a released orchestrator's code with
// the reason it counts when it is not called or used directly: "init
// (assigns cities)", "(fileStore).Save (implements Store.Save)"; else as
// shortKey does.
func reachedAs(v *Version, key string) string {
	steps := v.Print.Paths[key]
	if len(steps) == 0 {
		return shortKey(key)
	}
	last := steps[len(steps)-1]
	i := strings.Index(last, " (")
	if i < 0 {
		return shortKey(key)
	}
	switch why := last[i:]; why {
	case " (variable)", " (constant)", " (type)":
		return shortKey(key)
	default:
		return shortKey(key) + why
	}
}

// reachedFrom is the path from a released orchestrator to what reaches a
// declaration of its code: "HelloCities (v1, released) -> cities
// (variable)".
func reachedFrom(v *Version, key, label string) string {
	steps := v.Print.Paths[key]
	if len(steps) < 2 {
		return label
	}
	return strings.Join(append([]string{label}, steps[1:len(steps)-1]...), " -> ")
}

// reachedThrough is ", through" and the path between a released
// orchestrator and a declaration, when there is one: ", through cities
// (variable)".
func reachedThrough(v *Version, key string) string {
	steps := v.Print.Paths[key]
	if len(steps) < 3 {
		return ""
	}
	return ", through " + strings.Join(steps[1:len(steps)-1], " -> ")
}

// rootKey is the Code key of the handler's own declaration.
func rootKey(v *Version) string {
	for k, pos := range v.Print.Decls {
		if pos == v.Handler.Pos {
			return k
		}
	}
	return ""
}

// shortKey drops the package path from a declaration key.
func shortKey(k string) string {
	if i := strings.LastIndex(k, "/"); i >= 0 {
		k = k[i+1:]
	}
	if pkg, name, ok := strings.Cut(k, "."); ok && !strings.HasPrefix(pkg, "(") {
		return name
	}
	return k
}

// describeTypes says which of an activity's types changed.
func describeTypes(old, now manifest.LockEntry) string {
	switch {
	case !slices.Equal(now.Inputs, old.Inputs) && !slices.Equal(now.Outputs, old.Outputs):
		return "changed its input and output types"
	case !slices.Equal(now.Inputs, old.Inputs):
		return "changed its input type"
	}
	return "changed its output type"
}
