package main

import (
	"github.com/microsoft/durabletask-go/task"
)

// Greetings is the orchestrator: it greets a name in every style the app
// has, by calling each activity by its function name.
var Greetings task.Orchestrator = func(ctx *task.OrchestrationContext) (any, error) {
	var name string
	if err := ctx.GetInput(&name); err != nil {
		return nil, err
	}
	if name == "" {
		name = "world"
	}
	var out []string
	for _, activity := range []string{"SayHello", "English", "French"} {
		var s string
		if err := ctx.CallActivity(activity, task.WithActivityInput(name)).Await(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	var loud string
	if err := ctx.CallActivity("Upper", task.WithActivityInput(name)).Await(&loud); err != nil {
		return nil, err
	}
	var bye string
	if err := ctx.CallActivity("SayGoodbye", task.WithActivityInput(name)).Await(&bye); err != nil {
		return nil, err
	}
	return append(out, loud, bye), nil
}
