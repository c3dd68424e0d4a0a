// Package flow holds the durable functions of the pipeline app. The
// orchestrators name their activities through data: a table of stages, a
// list and a map of names, helpers that return a name (one in package
// storage), and one name built at run time.
package flow

import (
	"fmt"

	"github.com/contoso/pipeline/storage"
	"github.com/microsoft/durabletask-go/task"
)

// Run is a pipeline run's input.
type Run struct {
	Feed     string `json:"feed"`
	Currency string `json:"currency"`
	Channel  string `json:"channel"`
}

// Pipeline runs every stage of a feed's run, then stores its output.
func Pipeline(ctx *task.OrchestrationContext) (any, error) {
	var run Run
	if err := ctx.GetInput(&run); err != nil {
		return nil, err
	}
	for _, s := range stages {
		if err := ctx.CallActivity(s.Activity, task.WithActivityInput(run)).Await(nil); err != nil {
			return nil, fmt.Errorf("stage %s: %w", s.Name, err)
		}
	}
	if err := ctx.CallActivity(storage.Target(run.Feed), task.WithActivityInput(run)).Await(nil); err != nil {
		return nil, err
	}
	return "done", nil
}

// Settle charges a run's cost, then tidies up.
func Settle(ctx *task.OrchestrationContext) (any, error) {
	var run Run
	if err := ctx.GetInput(&run); err != nil {
		return nil, err
	}
	if err := ctx.CallActivity(paymentActivity(run.Currency), task.WithActivityInput(run)).Await(nil); err != nil {
		return nil, err
	}
	for _, name := range cleanup {
		if err := ctx.CallActivity(name).Await(nil); err != nil {
			return nil, err
		}
	}
	return "settled", nil
}

// Notify tells the run's owner that it finished, on the run's channel.
func Notify(ctx *task.OrchestrationContext) (any, error) {
	var run Run
	if err := ctx.GetInput(&run); err != nil {
		return nil, err
	}
	channel := run.Channel
	if channel == "" {
		channel = "Email"
	}
	var message string
	if err := ctx.CallActivity(formatters[channel], task.WithActivityInput(run)).Await(&message); err != nil {
		return nil, err
	}
	// The sender's name is built at run time: dfversion cannot tell which
	// activity this calls.
	if err := ctx.CallActivity(fmt.Sprintf("Send%s", channel), task.WithActivityInput(message)).Await(nil); err != nil {
		return nil, err
	}
	return "notified", nil
}
