// Package customhandler adapts orchestrators and activities to Azure
// Functions custom-handler routes, like the MapOrchestrator and MapActivity
// helpers of Microsoft's durabletask-go Azure Functions sample:
//
//	http.HandleFunc("/HelloCities", customhandler.MapOrchestrator(HelloCities))
//	http.HandleFunc("/SayHello", customhandler.MapActivity(SayHello))
//
// The route, not the Go identifier, decides which function folder the
// handler serves: the host POSTs each invocation to /<FunctionName>.
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
