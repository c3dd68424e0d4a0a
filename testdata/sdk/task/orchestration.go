// Package task holds the programming model of durable functions: orchestrator
// and activity signatures, the orchestration context with its durable calls,
// and the TaskRegistry that serves registered functions over HTTP.
//
// This is the stand-in SDK: an orchestrator runs once, its durable calls are
// recorded instead of scheduled, and every Task completes at once.
package task

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/microsoft/durabletask-go/internal/helpers"
	"github.com/microsoft/durabletask-go/internal/invoke"
)

// Orchestrator is the signature of an orchestrator function. Its result is
// the orchestration's output.
type Orchestrator func(ctx *OrchestrationContext) (any, error)

// Task is a durable operation an orchestrator has scheduled: an activity, a
// sub-orchestration, a timer or an external event.
type Task interface {
	// Await blocks until the task completes and decodes its result into v,
	// which may be nil. In the stand-in every task has already completed
	// without a result: Await returns nil (or the error that made scheduling
	// fail) and leaves v untouched.
	Await(v any) error
}

// completedTask is the stand-in's only Task: done, with no result.
type completedTask struct{ err error }

func (t completedTask) Await(v any) error { return t.err }

// Kinds of durable calls, as recorded in an orchestrator's call list.
const (
	kindActivity         = "activity"
	kindSubOrchestration = "suborchestration"
	kindTimer            = "timer"
	kindEvent            = "event"
	kindContinueAsNew    = "continueasnew"
)

// call is one durable call made by an orchestrator: its kind and its target
// (activity, orchestrator or event name; none for timers and continue-as-new).
type call struct {
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
}

// OrchestrationContext is the orchestrator's handle on its instance: the
// input, the clock, and the durable calls it can make.
type OrchestrationContext struct {
	// ID is the instance ID.
	ID string
	// Name is the name the orchestrator was invoked under.
	Name string
	// IsReplaying reports whether the orchestrator is replaying history. It
	// is false in the stand-in unless the host says otherwise.
	IsReplaying bool
	// CurrentTimeUtc is the deterministic current time of the orchestration.
	CurrentTimeUtc time.Time

	rawInput json.RawMessage
	calls    []call
	newInput json.RawMessage // set by ContinueAsNew
}

// newOrchestrationContext returns a context for one run of an orchestrator.
func newOrchestrationContext(id, name string, rawInput json.RawMessage, replaying bool, now time.Time) *OrchestrationContext {
	return &OrchestrationContext{
		ID:             id,
		Name:           name,
		IsReplaying:    replaying,
		CurrentTimeUtc: now.UTC(),
		rawInput:       rawInput,
		calls:          []call{},
	}
}

// GetInput decodes the orchestration's input into v. A missing input leaves
// v untouched.
func (ctx *OrchestrationContext) GetInput(v any) error {
	return invoke.DecodeValue(ctx.rawInput, v)
}

// record appends a durable call to the context's call list.
func (ctx *OrchestrationContext) record(kind, name string) {
	ctx.calls = append(ctx.calls, call{Kind: kind, Name: name})
}

// CallActivityOption configures a call to an activity.
type CallActivityOption func(*callActivityOptions) error

type callActivityOptions struct {
	rawInput json.RawMessage
}

// WithActivityInput sets the input of an activity call. The input must be
// JSON-serializable.
func WithActivityInput(input any) CallActivityOption {
	return func(o *callActivityOptions) error {
		data, err := json.Marshal(input)
		if err != nil {
			return fmt.Errorf("task: activity input: %w", err)
		}
		o.rawInput = data
		return nil
	}
}

// CallActivity schedules the activity named by activity: a string, or an
// Activity function value whose name is taken by reflection (its Go
// identifier).
func (ctx *OrchestrationContext) CallActivity(activity any, opts ...CallActivityOption) Task {
	name := helpers.TaskName(activity)
	if name == "" {
		return completedTask{err: fmt.Errorf("task: cannot name activity %v", activity)}
	}
	var o callActivityOptions
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return completedTask{err: err}
		}
	}
	ctx.record(kindActivity, name)
	return completedTask{}
}

// SubOrchestratorOption configures a call to a sub-orchestrator.
type SubOrchestratorOption func(*subOrchestratorOptions) error

type subOrchestratorOptions struct {
	rawInput   json.RawMessage
	instanceID string
}

// WithSubOrchestratorInput sets the input of a sub-orchestration. The input
// must be JSON-serializable.
func WithSubOrchestratorInput(input any) SubOrchestratorOption {
	return func(o *subOrchestratorOptions) error {
		data, err := json.Marshal(input)
		if err != nil {
			return fmt.Errorf("task: sub-orchestrator input: %w", err)
		}
		o.rawInput = data
		return nil
	}
}

// WithSubOrchestrationInstanceID sets the instance ID of a sub-orchestration.
func WithSubOrchestrationInstanceID(instanceID string) SubOrchestratorOption {
	return func(o *subOrchestratorOptions) error {
		if instanceID == "" {
			return errors.New("task: empty sub-orchestration instance ID")
		}
		o.instanceID = instanceID
		return nil
	}
}

// CallSubOrchestrator schedules the orchestrator named by orchestrator (a
// string or an Orchestrator function value named by reflection) as a child
// orchestration.
func (ctx *OrchestrationContext) CallSubOrchestrator(orchestrator any, opts ...SubOrchestratorOption) Task {
	name := helpers.TaskName(orchestrator)
	if name == "" {
		return completedTask{err: fmt.Errorf("task: cannot name sub-orchestrator %v", orchestrator)}
	}
	var o subOrchestratorOptions
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return completedTask{err: err}
		}
	}
	ctx.record(kindSubOrchestration, name)
	return completedTask{}
}

// CreateTimer schedules a durable timer that fires after delay.
func (ctx *OrchestrationContext) CreateTimer(delay time.Duration) Task {
	ctx.record(kindTimer, "")
	return completedTask{}
}

// WaitForSingleEvent waits for the external event eventName, raised on this
// instance by a client. A timeout below zero waits forever.
func (ctx *OrchestrationContext) WaitForSingleEvent(eventName string, timeout time.Duration) Task {
	if eventName == "" {
		return completedTask{err: errors.New("task: empty event name")}
	}
	ctx.record(kindEvent, eventName)
	return completedTask{}
}

// ContinueAsNew restarts the orchestration with newInput and a fresh history
// once the orchestrator returns.
func (ctx *OrchestrationContext) ContinueAsNew(newInput any) {
	data, err := json.Marshal(newInput)
	if err != nil {
		data = nil
	}
	ctx.newInput = data
	ctx.record(kindContinueAsNew, "")
}

// run calls o once with ctx, turning a panic into an error.
func (ctx *OrchestrationContext) run(o Orchestrator) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("orchestrator %s panicked: %v", ctx.Name, p)
		}
	}()
	return o(ctx)
}
