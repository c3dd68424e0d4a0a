// Package replay checks the histories of orchestration instances in flight
// against the orchestrators' code in the working tree, statically: it
// builds from each orchestrator's code a model of the sequences of durable
// actions the code can schedule, and tells whether each instance's recorded
// actions are a prefix of one of them.
package replay

// The model.
//
// Durable Functions replays an orchestrator from its history: the code runs
// again from the start and each durable action it schedules takes the
// result recorded for the action at the same place in the history. The Go
// engine matches by position only, so an instance stays correct under new
// code only if the new code schedules, for that instance, the actions its
// history recorded, in that order. The model is a nondeterministic finite
// automaton (NFA) whose symbols are the actions that leave a record in the
// history when they are scheduled:
//
//	activity NAME           CallActivity             (TaskScheduled)
//	suborchestration NAME   CallSubOrchestrator      (SubOrchestrationInstanceCreated)
//	timer                   CreateTimer              (TimerCreated)
//
// It is built from the orchestrator's handler, with the module's code that
// it calls inlined at each call, by these rules:
//
//   - Sequence concatenates, in Go's evaluation order: the operands of a
//     call before the call, so ctx.CallActivity(A).Await(&x) schedules A
//     at CallActivity, not at Await, and f(ctx.CallActivity(A),
//     ctx.CallActivity(B)) schedules A then B.
//   - if/else, switch, type switch and select alternate (a switch without
//     default may take no case; fallthrough runs on into the next case);
//     the right operand of && and || is optional.
//   - for and range loops are Kleene stars (zero or more iterations), with
//     break and continue, labeled or not, going where Go sends them.
//   - return and panic go to the end of the function (deferred calls run
//     there); since an instance in flight may stop anywhere, every state
//     of the automaton is a place a history may end.
//   - A target resolves as bump resolves it (durable.ResolveTarget): a
//     constant or a handler's function value is one name, a table or a
//     helper a set of names (an alternation), anything else a wildcard
//     name ("any activity").
//   - WaitForSingleEvent schedules nothing that the history records when it
//     starts to wait (EventRaised records the event's arrival, which may
//     come before the wait), so events are left out of what is compared;
//     its timeout may create a timer, so it is an optional timer.
//   - CallActivity and CallSubOrchestrator with an option other than an
//     input or an instance ID (a retry policy, or options passed in a
//     slice) may retry: A (timer A)*.
//   - ContinueAsNew, entity calls and signals are left out of what is
//     compared: the engine records continue-as-new when the orchestrator
//     returns, not where it is called, a running instance's history is its
//     current generation only, and entity operations are messages
//     (EventSent) rather than scheduled tasks.
//   - A wildcard (any action, any number of times, then on) stands for
//     what the analysis cannot see: a call that passes the orchestration
//     context (or a value holding one) to code outside the module, a call
//     through a func value or interface method when the module has
//     closures, methods or variables that hold a context, a recursive call
//     (inlining stops at recursion and at a depth bound), a range over a
//     function iterator, a deferred call that may act. goto, and a go
//     statement whose goroutine may act, make everything after them a
//     wildcard (a sink that accepts any continuation).
//
// Each rule over-approximates: the model accepts every sequence the code
// can schedule, and more. So when no path of the model accepts the
// history's actions as a prefix, no run of the code can replay that
// instance: "diverges" is never a false alarm. "Replays" is the converse
// only up to the approximation: some run of the code schedules those
// actions (if the wildcards and loop counts are realizable), not that this
// instance's input and recorded results drive the code down that run, nor
// that activity inputs, result types or determinism hazards are unchanged
// (dfversion check covers those).
//
// Worked examples, for
//
//	func Hello(ctx *task.OrchestrationContext) (any, error) {
//		if err := ctx.CallActivity("Greet").Await(nil); err != nil { // 1
//			return nil, err
//		}
//		for _, c := range cities {
//			ctx.CallActivity("SayHello", task.WithActivityInput(c)) // 2
//		}
//		ctx.CreateTimer(time.Hour).Await(nil) // 3
//		ctx.WaitForSingleEvent("Approved", time.Hour).Await(nil) // 4
//		return nil, nil
//	}
//
// the model is Greet SayHello* timer timer?, and
//
//	[]                                  replays (a pending instance)
//	[Greet SayHello SayHello]           replays
//	[Greet timer timer]                 replays (no city, then the wait's timer)
//	[SayHello]                          diverges at action 1: the code would schedule activity Greet
//	[Greet timer SayHello]              diverges at action 3: the code would schedule a timer here
//	[Greet timer timer timer]           diverges at action 4: the code would schedule nothing more
//
// The history's side is in history.go: actions in the order they were
// scheduled, and fan-out scheduled at the same instant compared in every
// order (check.go).

import (
	"fmt"
	"go/token"
	"sort"
	"strings"
)

// Kind is a kind of durable action that a history records when it is
// scheduled.
type Kind uint8

// The kinds of actions compared.
const (
	Activity Kind = iota + 1
	SubOrchestration
	Timer
)

func (k Kind) String() string {
	switch k {
	case Activity:
		return "activity"
	case SubOrchestration:
		return "sub-orchestration"
	case Timer:
		return "timer"
	}
	return "action"
}

// Action is one scheduled durable action: its kind and, for activities
// and sub-orchestrations, the function's name.
type Action struct {
	Kind Kind
	Name string
}

func (a Action) String() string {
	if a.Kind == Timer {
		return "a timer"
	}
	return a.Kind.String() + " " + a.Name
}

// anyName is the name id of an edge that matches every name of its kind.
const anyName = -1

// edge is a transition of the model on one action.
type edge struct {
	to   int32
	kind Kind  // 0: any action (a wildcard)
	name int32 // an interned lower-case name, or anyName
	site int32 // index into Model.sites
}

type state struct {
	eps   []int32
	edges []edge
}

// Site is a place in the code that schedules an action: what the model
// shows as "what the code would do".
type Site struct {
	Pos  token.Position
	What string // "activity Greet", "a timer", "any activity", "any durable action"
}

// Model is the automaton of one orchestrator's durable actions.
type Model struct {
	// Orchestrator is the function's name.
	Orchestrator string
	// Pos is the handler's position.
	Pos token.Position
	// Notes say where the model stands for code it cannot see (wildcards).
	Notes []string

	states []state
	start  int32
	names  map[string]int32 // lower-case name -> id
	sites  []Site
	siteID map[Site]int32

	// The lazily built deterministic automaton: sets of states closed
	// under epsilon moves, interned, and their transitions.
	sets    [][]int32
	setID   map[string]int32
	next    map[[2]int32]int32 // (set, symbol) -> set
	symbols map[Action]int32   // interned history actions
	symList []symbol
	mark    []uint32 // scratch for closures
	gen     uint32
}

// symbol is an interned action of a history, as the model's edges match it.
type symbol struct {
	kind Kind
	name int32 // the model's id of the name, or anyName when it has none
}

func newModel(name string, pos token.Position) *Model {
	m := &Model{Orchestrator: name, Pos: pos, names: map[string]int32{}, siteID: map[Site]int32{}}
	m.start = m.newState()
	return m
}

func (m *Model) newState() int32 {
	m.states = append(m.states, state{})
	return int32(len(m.states) - 1)
}

func (m *Model) eps(from, to int32) {
	m.states[from].eps = append(m.states[from].eps, to)
}

func (m *Model) nameID(name string) int32 {
	key := strings.ToLower(name)
	id, ok := m.names[key]
	if !ok {
		id = int32(len(m.names))
		m.names[key] = id
	}
	return id
}

func (m *Model) site(s Site) int32 {
	id, ok := m.siteID[s]
	if !ok {
		id = int32(len(m.sites))
		m.sites = append(m.sites, s)
		m.siteID[s] = id
	}
	return id
}

// act adds an edge on an action (kind 0: any; name "": any name of the
// kind).
func (m *Model) act(from, to int32, kind Kind, name string, s Site) {
	id := int32(anyName)
	if name != "" {
		id = m.nameID(name)
	}
	m.states[from].edges = append(m.states[from].edges, edge{to: to, kind: kind, name: id, site: m.site(s)})
}

// States is the number of states of the automaton.
func (m *Model) States() int { return len(m.states) }

// symbolOf interns a history action.
func (m *Model) symbolOf(a Action) int32 {
	if m.symbols == nil {
		m.symbols = map[Action]int32{}
	}
	key := Action{a.Kind, strings.ToLower(a.Name)}
	if id, ok := m.symbols[key]; ok {
		return id
	}
	s := symbol{kind: a.Kind, name: anyName}
	if a.Kind != Timer {
		if id, ok := m.names[key.Name]; ok {
			s.name = id
		} else {
			s.name = -2 // a name the code never writes: only wildcards match
		}
	}
	id := int32(len(m.symList))
	m.symList = append(m.symList, s)
	m.symbols[key] = id
	return id
}

func (e edge) matches(s symbol) bool {
	switch {
	case e.kind == 0:
		return true
	case e.kind != s.kind:
		return false
	case s.kind == Timer:
		return true
	}
	return e.name == anyName || e.name == s.name
}

// closure interns the epsilon closure of states.
func (m *Model) closure(states []int32) int32 {
	if m.setID == nil {
		m.setID = map[string]int32{}
		m.next = map[[2]int32]int32{}
	}
	if len(m.mark) < len(m.states) {
		m.mark = make([]uint32, len(m.states))
	}
	m.gen++
	var out []int32
	stack := append([]int32(nil), states...)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if m.mark[s] == m.gen {
			continue
		}
		m.mark[s] = m.gen
		out = append(out, s)
		stack = append(stack, m.states[s].eps...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	var key strings.Builder
	for _, s := range out {
		fmt.Fprintf(&key, "%d,", s)
	}
	if id, ok := m.setID[key.String()]; ok {
		return id
	}
	id := int32(len(m.sets))
	m.sets = append(m.sets, out)
	m.setID[key.String()] = id
	return id
}

// startSet is the set of states before any action.
func (m *Model) startSet() int32 { return m.closure([]int32{m.start}) }

// emptySet reports whether a set has no state: the history diverged.
func (m *Model) emptySet(set int32) bool { return len(m.sets[set]) == 0 }

// step is the set of states after the action sym from the states of set.
func (m *Model) step(set, sym int32) int32 {
	key := [2]int32{set, sym}
	if to, ok := m.next[key]; ok {
		return to
	}
	s := m.symList[sym]
	var to []int32
	for _, st := range m.sets[set] {
		for _, e := range m.states[st].edges {
			if e.matches(s) {
				to = append(to, e.to)
			}
		}
	}
	id := m.closure(to)
	m.next[key] = id
	return id
}

// anyStep is the set of states after any one action from set (for an
// event of a type dfversion does not know), together with set itself.
func (m *Model) anyStep(set int32) int32 {
	to := append([]int32(nil), m.sets[set]...)
	for _, st := range m.sets[set] {
		for _, e := range m.states[st].edges {
			to = append(to, e.to)
		}
	}
	return m.closure(to)
}

// union is the set of the states of a and b.
func (m *Model) union(a, b int32) int32 {
	if a == b {
		return a
	}
	return m.closure(append(append([]int32(nil), m.sets[a]...), m.sets[b]...))
}

// expected lists the sites the code could schedule next from set, in
// source order.
func (m *Model) expected(set int32) []Site {
	seen := map[int32]bool{}
	var out []Site
	for _, st := range m.sets[set] {
		for _, e := range m.states[st].edges {
			if !seen[e.site] {
				seen[e.site] = true
				out = append(out, m.sites[e.site])
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return out[i].What < out[j].What
	})
	return out
}

// Accepts reports whether the actions are a prefix of a sequence the
// model allows, and if not, the index of the first action that no path
// takes.
func (m *Model) Accepts(actions []Action) (bool, int) {
	set := m.startSet()
	for i, a := range actions {
		set = m.step(set, m.symbolOf(a))
		if m.emptySet(set) {
			return false, i
		}
	}
	return true, len(actions)
}
