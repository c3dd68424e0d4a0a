package replay

// The history's side.
//
// The management API answers for one instance with its history
// (historyEvents), from which dfversion keeps the actions that were
// scheduled, in the order they were scheduled:
//
//	TaskScheduled (Name)                          activity Name, at its Timestamp
//	TaskCompleted, TaskFailed (FunctionName)      activity FunctionName, at its ScheduledTime
//	SubOrchestrationInstanceCreated (Name)        sub-orchestration Name, at its Timestamp
//	SubOrchestrationInstanceCompleted, ...Failed  sub-orchestration FunctionName, at its ScheduledTime
//	TimerCreated                                  a timer, at its Timestamp
//
// The API merges a finished task's TaskScheduled into its TaskCompleted or
// TaskFailed, which sits where the task finished, so the array is in
// completion order: sorting by scheduling time (stable, so the API's order
// stays for ties) recovers the order in which the code scheduled them.
// Actions scheduled at the same instant (a fan-out) are compared in every
// order (check.go). A TaskCompleted without FunctionName is not merged: its
// TaskScheduled is in the history on its own. ExecutionStarted gives the
// orchestrator's name. Events that schedule nothing the code decides
// (TimerFired, EventRaised, EventSent, ContinueAsNew, ExecutionStarted,
// ExecutionCompleted, OrchestratorStarted, suspend and resume, ...) are
// left out. An event of a type dfversion does not know may stand for one
// action of any kind, or for none: the check lets it match either way, so
// that it never causes a divergence, and notes it.

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
)

// History is an instance's history as the check compares it.
type History struct {
	// InstanceID, Name and Status are the instance's, as the body says.
	InstanceID string
	Name       string
	Status     string
	// Items are the scheduled actions, in scheduling order.
	Items []Item
	// Events is the number of history events in the body.
	Events int
	// Unknown lists the event types that dfversion does not know, once
	// each.
	Unknown []string
	// Untimed is the index of an event whose scheduling time could not be
	// read (-1 when every time was read): without it the scheduling order
	// is not known.
	Untimed int
	// NoHistory is set when the body had no historyEvents (a pending
	// instance).
	NoHistory bool
}

// Item is one scheduled action of a history.
type Item struct {
	Action Action
	// Unknown is set for an event of a type dfversion does not know: it
	// matches any one action, or none. Action.Name holds the event type.
	Unknown bool
	// Event is the index of the event in historyEvents.
	Event int
	// At is when the action was scheduled.
	At time.Time
}

func (it Item) String() string {
	if it.Unknown {
		return "an event of unknown type " + it.Action.Name
	}
	return it.Action.String()
}

// wireEvent is one history event as the API sends it; encoding/json
// matches the API's PascalCase names ignoring case.
type wireEvent struct {
	EventType     json.RawMessage
	Name          string
	FunctionName  string
	Timestamp     string
	ScheduledTime string
}

type wireInstance struct {
	Name          string          `json:"name"`
	InstanceID    string          `json:"instanceId"`
	RuntimeStatus json.RawMessage `json:"runtimeStatus"`
	HistoryEvents *[]wireEvent    `json:"historyEvents"`
}

// ignored are the event types that record nothing the code schedules.
var ignored = map[string]bool{
	"ExecutionStarted": true, "ExecutionCompleted": true, "ExecutionFailed": true,
	"ExecutionTerminated": true, "ExecutionSuspended": true, "ExecutionResumed": true,
	"ExecutionRewound": true, "OrchestratorStarted": true, "OrchestratorCompleted": true,
	"TimerFired": true, "EventRaised": true, "EventSent": true, "ContinueAsNew": true,
	"GenericEvent": true, "HistoryState": true,
}

// ParseHistory reads the body of the management API's answer for one
// instance with showHistory=true (or a file replay --save wrote).
func ParseHistory(data []byte) (*History, error) {
	trimmed := strings.TrimLeftFunc(string(data), unicode.IsSpace)
	trimmed = strings.TrimPrefix(trimmed, "\ufeff")
	if !strings.HasPrefix(trimmed, "{") {
		return nil, errors.New("it is not a JSON object")
	}
	var w wireInstance
	if err := json.Unmarshal([]byte(trimmed), &w); err != nil {
		return nil, fmt.Errorf("reading the JSON: %w", err)
	}
	h := &History{InstanceID: w.InstanceID, Name: w.Name, Untimed: -1}
	var status string
	if json.Unmarshal(w.RuntimeStatus, &status) == nil {
		h.Status = status
	} else {
		h.Status = string(w.RuntimeStatus)
	}
	if w.HistoryEvents == nil {
		h.NoHistory = true
		return h, nil
	}
	events := *w.HistoryEvents
	h.Events = len(events)
	unknown := map[string]bool{}
	for i, e := range events {
		var typ string
		if err := json.Unmarshal(e.EventType, &typ); err != nil {
			typ = string(e.EventType) // a number, or nothing: not a type dfversion knows
		}
		var it Item
		when := e.Timestamp
		switch typ {
		case "TaskScheduled":
			it.Action = Action{Activity, e.Name}
		case "TaskCompleted", "TaskFailed":
			if e.FunctionName == "" {
				continue // not merged: its TaskScheduled is there
			}
			it.Action, when = Action{Activity, e.FunctionName}, e.ScheduledTime
		case "SubOrchestrationInstanceCreated":
			it.Action = Action{SubOrchestration, e.Name}
		case "SubOrchestrationInstanceCompleted", "SubOrchestrationInstanceFailed":
			if e.FunctionName == "" {
				continue
			}
			it.Action, when = Action{SubOrchestration, e.FunctionName}, e.ScheduledTime
		case "TimerCreated":
			it.Action = Action{Kind: Timer}
		case "ExecutionStarted":
			if e.Name != "" {
				h.Name = e.Name
			}
			continue
		default:
			if ignored[typ] {
				continue
			}
			if typ == "" {
				typ = "(none)"
			}
			if !unknown[typ] {
				unknown[typ] = true
				h.Unknown = append(h.Unknown, typ)
			}
			it.Unknown, it.Action = true, Action{Name: typ}
		}
		it.Event = i
		t, ok := parseTime(when)
		if !ok && h.Untimed < 0 {
			h.Untimed = i
		}
		it.At = t
		h.Items = append(h.Items, it)
	}
	sort.SliceStable(h.Items, func(i, j int) bool { return h.Items[i].At.Before(h.Items[j].At) })
	return h, nil
}

// timeLayouts are the forms hosts write times in: RFC 3339 with or without
// fractions, and .NET's round-trip form without a zone (UTC).
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
