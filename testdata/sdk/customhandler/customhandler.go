// Package customhandler adapts orchestrators and activities to Azure
// Functions custom-handler routes, like the MapOrchestrator and MapActivity
// helpers of Microsoft's durabletask-go Azure Functions sample:
//
//	http.HandleFunc("/HelloCities", customhandler.MapOrchestrator(HelloCities))
//	http.HandleFunc("/SayHello", customhandler.MapActivity(SayHello))
//
// The route, not the Go identifier, decides which function folder the
// handler serves: the host POSTs each invocation to /<FunctionName>.
// MapOrchestratorN and MapActivityN also take the function's name, and serve
// only invocations of that name.
package customhandler

import (
	"fmt"
	"net/http"

	"github.com/microsoft/durabletask-go/task"
)

// MapOrchestrator returns a handler that runs o for each invocation POSTed
// to it. The invocation's ReturnValue lists the durable calls o made, in
// order, and its result:
//
//	{"calls": [{"kind": "activity", "name": "SayHello"}, {"kind": "timer"}], "output": ...}
//
// Call kinds are activity, suborchestration, timer, event and continueasnew.
// It panics if o is nil.
func MapOrchestrator(o task.Orchestrator) http.HandlerFunc {
	r := task.NewTaskRegistry()
	if err := r.AddOrchestratorN("*", o); err != nil {
		panic(fmt.Errorf("customhandler: registering the orchestrator: %w", err))
	}
	return r.ServeHTTP
}

// MapActivity returns a handler that runs a for each invocation POSTed to
// it, with the activityTrigger binding's value as input, and returns
// {"Outputs": {}, "Logs": [], "ReturnValue": <result>}. It panics if a is nil.
func MapActivity(a task.Activity) http.HandlerFunc {
	r := task.NewTaskRegistry()
	if err := r.AddActivityN("*", a); err != nil {
		panic(fmt.Errorf("customhandler: registering the activity: %w", err))
	}
	return r.ServeHTTP
}

// MapOrchestratorN returns a handler that runs o for each invocation of the
// function name POSTed to it (the last element of the request path must be
// name; anything else answers 404), like MapOrchestrator otherwise:
//
//	http.HandleFunc("/HelloCities", customhandler.MapOrchestratorN("HelloCities", HelloCities))
//
// It panics if name is empty or o is nil.
func MapOrchestratorN(name string, o task.Orchestrator) http.HandlerFunc {
	r := task.NewTaskRegistry()
	if err := r.AddOrchestratorN(name, o); err != nil || name == "*" {
		panic(fmt.Errorf("customhandler: registering the orchestrator %q: %v", name, err))
	}
	return r.ServeHTTP
}

// MapActivityN returns a handler that runs a for each invocation of the
// function name POSTed to it (the last element of the request path must be
// name; anything else answers 404), like MapActivity otherwise. It panics
// if name is empty or a is nil.
func MapActivityN(name string, a task.Activity) http.HandlerFunc {
	r := task.NewTaskRegistry()
	if err := r.AddActivityN(name, a); err != nil || name == "*" {
		panic(fmt.Errorf("customhandler: registering the activity %q: %v", name, err))
	}
	return r.ServeHTTP
}
