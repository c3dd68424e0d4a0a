package task

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"time"

	"github.com/microsoft/durabletask-go/internal/helpers"
	"github.com/microsoft/durabletask-go/internal/invoke"
)

// wildcard is the name under which a registry holds a function that serves
// every name nothing else is registered under (what customhandler uses).
const wildcard = "*"

// TaskRegistry maps names to orchestrators and activities.
//
// It is also an http.Handler for a custom handler: an invocation POSTed to
// /<Name> runs the function registered under Name.
type TaskRegistry struct {
	orchestrators map[string]Orchestrator
	activities    map[string]Activity
}

// NewTaskRegistry returns an empty registry.
func NewTaskRegistry() *TaskRegistry {
	return &TaskRegistry{
		orchestrators: map[string]Orchestrator{},
		activities:    map[string]Activity{},
	}
}

// AddOrchestrator registers o under its Go identifier, taken by reflection.
func (r *TaskRegistry) AddOrchestrator(o Orchestrator) error {
	return r.AddOrchestratorN(helpers.TaskName(o), o)
}

// AddOrchestratorN registers o under name.
func (r *TaskRegistry) AddOrchestratorN(name string, o Orchestrator) error {
	if err := r.checkNew(name, o == nil); err != nil {
		return fmt.Errorf("task: orchestrator: %w", err)
	}
	r.orchestrators[name] = o
	return nil
}

// AddActivity registers a under its Go identifier, taken by reflection.
func (r *TaskRegistry) AddActivity(a Activity) error {
	return r.AddActivityN(helpers.TaskName(a), a)
}

// AddActivityN registers a under name.
func (r *TaskRegistry) AddActivityN(name string, a Activity) error {
	if err := r.checkNew(name, a == nil); err != nil {
		return fmt.Errorf("task: activity: %w", err)
	}
	r.activities[name] = a
	return nil
}

// checkNew reports why a function cannot be registered under name.
func (r *TaskRegistry) checkNew(name string, isNil bool) error {
	switch {
	case name == "":
		return errors.New("empty name")
	case isNil:
		return fmt.Errorf("%s: nil function", name)
	}
	if _, ok := r.orchestrators[name]; ok {
		return fmt.Errorf("%s is already registered", name)
	}
	if _, ok := r.activities[name]; ok {
		return fmt.Errorf("%s is already registered", name)
	}
	return nil
}

// ServeHTTP runs the function registered under the last element of the
// request path (or under "*" when nothing else matches) for the invocation
// in the request body.
//
// An orchestrator runs once; the response's ReturnValue is
//
//	{"calls": [{"kind": "activity", "name": "SayHello"}, ...], "output": <result>}
//
// with an "error" member when the orchestrator failed. An activity's
// ReturnValue is its result; a failed activity answers 500.
func (r *TaskRegistry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		invoke.Write(w, http.StatusMethodNotAllowed, invoke.Response{
			Logs: []string{req.Method + " is not an invocation"},
		})
		return
	}
	name := path.Base(req.URL.Path)
	if o, ok := r.orchestrators[name]; ok {
		serveOrchestrator(w, req, name, o)
		return
	}
	if a, ok := r.activities[name]; ok {
		serveActivity(w, req, a)
		return
	}
	if o, ok := r.orchestrators[wildcard]; ok {
		serveOrchestrator(w, req, name, o)
		return
	}
	if a, ok := r.activities[wildcard]; ok {
		serveActivity(w, req, a)
		return
	}
	invoke.Write(w, http.StatusNotFound, invoke.Response{
		Logs: []string{"no orchestrator or activity is registered as " + name},
	})
}

// orchestrationResult is the ReturnValue of an orchestrator invocation.
type orchestrationResult struct {
	Calls  []call `json:"calls"`
	Output any    `json:"output"`
	Error  string `json:"error,omitempty"`
}

// serveOrchestrator runs o once for the invocation in req.
//
// The orchestrationTrigger binding ("context") holds either the
// out-of-process orchestration state ({"instanceId", "input", "isReplaying",
// "history"}, possibly serialized in a string) or, for hand-written
// invocations, the orchestration input itself.
func serveOrchestrator(w http.ResponseWriter, req *http.Request, name string, o Orchestrator) {
	inv, err := invoke.ReadRequest(req)
	if err != nil {
		invoke.Write(w, http.StatusBadRequest, invoke.Response{Logs: []string{err.Error()}})
		return
	}
	if m := inv.MethodName(); m != "" {
		name = m
	}
	id := inv.MetadataString("instanceId")
	input := inv.Trigger("context")
	replaying := false
	if state, ok := invoke.Object(input); ok && (state["history"] != nil || state["instanceId"] != nil) {
		input = state["input"]
		_ = json.Unmarshal(state["isReplaying"], &replaying)
		var stateID string
		if json.Unmarshal(state["instanceId"], &stateID) == nil && stateID != "" {
			id = stateID
		}
	}
	ctx := newOrchestrationContext(id, name, input, replaying, time.Now())
	out, err := ctx.run(o)
	result := orchestrationResult{Calls: ctx.calls, Output: out}
	var logs []string
	if err != nil {
		result.Error = err.Error()
		logs = append(logs, err.Error())
	}
	invoke.Write(w, http.StatusOK, invoke.Response{Logs: logs, ReturnValue: result})
}

// serveActivity runs a once for the invocation in req. The activityTrigger
// binding ("input") holds the activity's input.
func serveActivity(w http.ResponseWriter, req *http.Request, a Activity) {
	inv, err := invoke.ReadRequest(req)
	if err != nil {
		invoke.Write(w, http.StatusBadRequest, invoke.Response{Logs: []string{err.Error()}})
		return
	}
	ctx := &activityContext{ctx: req.Context(), rawInput: inv.Trigger("input")}
	out, err := runActivity(a, ctx)
	if err != nil {
		invoke.Write(w, http.StatusInternalServerError, invoke.Response{Logs: []string{err.Error()}})
		return
	}
	invoke.Write(w, http.StatusOK, invoke.Response{ReturnValue: out})
}
