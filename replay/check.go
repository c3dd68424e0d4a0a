package replay

import (
	"fmt"
	"go/token"
	"strings"
)

// Verdict is what the check says of one instance.
type Verdict string

// The verdicts.
const (
	// Replays: the history's actions are a prefix of a sequence the code
	// can schedule.
	Replays Verdict = "replays"
	// Diverges: no run of the code schedules the history's actions.
	Diverges Verdict = "diverges"
	// Unchecked: the history does not say enough to decide (an action
	// whose scheduling time is unreadable, or too many actions scheduled
	// at the same instant to try every order).
	Unchecked Verdict = "unchecked"
)

// maxOrders bounds the partial orders of one fan-out tried at a time.
const maxOrders = 1 << 14

// Result is the check of one history.
type Result struct {
	Verdict Verdict
	// Action is, for Diverges, the 1-based position in the compared
	// actions where no run of the code follows the history.
	Action int
	// Event is the index in historyEvents of the action there.
	Event int
	// Recorded is what the history scheduled there: one action, or the
	// actions of a fan-out not yet matched.
	Recorded []Item
	// Expected is what the code would schedule there (nil: nothing more).
	Expected []Site
	// Reason says why an instance is Unchecked.
	Reason string
}

// Check checks a history against the model.
func (m *Model) Check(h *History) Result {
	if h.Untimed >= 0 {
		return Result{Verdict: Unchecked, Reason: fmt.Sprintf("history event %d has no readable scheduling time, so the order of the actions is not known", h.Untimed)}
	}
	set := m.startSet()
	items := h.Items
	for i := 0; i < len(items); {
		j := i + 1
		for j < len(items) && items[j].At.Equal(items[i].At) {
			j++
		}
		if j == i+1 {
			next := m.advance(set, items[i])
			if m.emptySet(next) {
				return Result{Verdict: Diverges, Action: i + 1, Event: items[i].Event, Recorded: items[i : i+1], Expected: m.expected(set)}
			}
			set, i = next, j
			continue
		}
		next, res := m.group(set, items[i:j], i)
		if res != nil {
			return *res
		}
		set, i = next, j
	}
	return Result{Verdict: Replays}
}

// advance is the set after one history item.
func (m *Model) advance(set int32, it Item) int32 {
	if it.Unknown {
		return m.anyStep(set)
	}
	return m.step(set, m.symbolOf(it.Action))
}

// group runs the actions of a fan-out, scheduled at the same instant, in
// every order: a layer holds, for each multiset of actions taken so far
// (counts per distinct action), the states reached.
func (m *Model) group(set int32, items []Item, offset int) (int32, *Result) {
	type kindOf struct {
		item  Item
		count int
	}
	var kinds []kindOf
	index := map[string]int{}
	for _, it := range items {
		key := it.String()
		if k, ok := index[key]; ok {
			kinds[k].count++
			continue
		}
		index[key] = len(kinds)
		kinds = append(kinds, kindOf{item: it, count: 1})
	}
	encode := func(v []int) string {
		var b strings.Builder
		for _, n := range v {
			fmt.Fprintf(&b, "%d,", n)
		}
		return b.String()
	}
	type entry struct {
		counts []int
		set    int32
	}
	layer := map[string]*entry{encode(make([]int, len(kinds))): {make([]int, len(kinds)), set}}
	for depth := 0; depth < len(items); depth++ {
		next := map[string]*entry{}
		for _, e := range layer {
			for k, kd := range kinds {
				if e.counts[k] == kd.count {
					continue
				}
				to := m.advance(e.set, kd.item)
				if m.emptySet(to) {
					continue
				}
				counts := append([]int(nil), e.counts...)
				counts[k]++
				key := encode(counts)
				if old, ok := next[key]; ok {
					old.set = m.union(old.set, to)
				} else {
					next[key] = &entry{counts, to}
				}
			}
		}
		if len(next) > maxOrders {
			return 0, &Result{Verdict: Unchecked, Reason: fmt.Sprintf("%d actions were scheduled at the same instant, too many orders to try", len(items))}
		}
		if len(next) == 0 {
			// Diverges here: what is left of the fan-out, against what
			// the code would schedule from any order tried so far.
			var recorded []Item
			var before []int32
			seen := map[int]bool{}
			for _, e := range layer {
				before = append(before, m.sets[e.set]...)
				for k, kd := range kinds {
					if e.counts[k] < kd.count && !seen[k] {
						seen[k] = true
						recorded = append(recorded, kd.item)
					}
				}
			}
			ordered := make([]Item, 0, len(recorded))
			for _, kd := range kinds { // in the history's order
				for _, r := range recorded {
					if r.Event == kd.item.Event {
						ordered = append(ordered, r)
					}
				}
			}
			return 0, &Result{Verdict: Diverges, Action: offset + depth + 1, Event: ordered[0].Event,
				Recorded: ordered, Expected: m.expected(m.closure(before))}
		}
		layer = next
	}
	for _, e := range layer {
		return e.set, nil
	}
	return set, nil
}

// Message describes a diverging result: "diverges at action 3: the
// history scheduled activity SayHello_v2, the code would schedule activity
// Greet_v2 or a timer here".
func (r Result) Message() string {
	switch r.Verdict {
	case Replays:
		return "replays"
	case Unchecked:
		return "not checked: " + r.Reason
	}
	var rec []string
	for _, it := range r.Recorded {
		rec = append(rec, it.String())
	}
	what := "the history scheduled " + orList(rec, "and")
	if len(r.Recorded) > 1 {
		what += " at the same instant"
	}
	var exp []string
	for _, s := range r.Expected {
		exp = append(exp, s.What)
	}
	would := "the code would schedule nothing more"
	if len(exp) > 0 {
		would = "the code would schedule " + orList(dedupe(exp), "or") + " here"
	}
	return fmt.Sprintf("diverges at action %d: %s, %s", r.Action, what, would)
}

// Pos is where the code is that a diverging result points at: the first
// call it would make there, or else the orchestrator's handler.
func (r Result) Pos(md *Model) token.Position {
	if len(r.Expected) > 0 {
		return r.Expected[0].Pos
	}
	return md.Pos
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// orList joins "a", "b", "c" as "a, b or c", with at most five named.
func orList(list []string, conj string) string {
	if len(list) > 5 {
		list = append(list[:4:4], fmt.Sprintf("%d more", len(list)-4))
	}
	switch len(list) {
	case 0:
		return "nothing"
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " " + conj + " " + list[len(list)-1]
}
