// Package durable is a stand-in durable SDK for the hazard fixture. Its own
// code waits on channels and reads the clock: that is the SDK's business, and
// dfversion must not report it in the orchestrators that call it.
package durable

import (
	"encoding/json"
	"net/http"
	"time"
)

// OrchestrationContext is an orchestrator's handle on its instance.
type OrchestrationContext struct {
	// ID is the instance ID.
	ID string
	// CurrentTimeUtc is the deterministic current time of the orchestration.
	CurrentTimeUtc time.Time

	calls []string
}

// Task is a durable operation an orchestrator has scheduled.
type Task interface {
	Await(v any) error
}

type completed struct{}

func (completed) Await(v any) error { return nil }

// CallActivity schedules an activity, named by a string or a function value.
func (ctx *OrchestrationContext) CallActivity(activity any) Task {
	done := make(chan struct{}, 1)
	done <- struct{}{}
	<-done
	ctx.calls = append(ctx.calls, "activity at "+time.Now().String())
	return completed{}
}

// CreateTimer schedules a durable timer.
func (ctx *OrchestrationContext) CreateTimer(delay time.Duration) Task {
	ctx.calls = append(ctx.calls, "timer")
	return completed{}
}

// Orchestrator serves an orchestrator function over HTTP.
func Orchestrator(o func(*OrchestrationContext) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := &OrchestrationContext{CurrentTimeUtc: time.Now().UTC()}
		out, err := o(ctx)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"calls": ctx.calls, "output": out})
	}
}
