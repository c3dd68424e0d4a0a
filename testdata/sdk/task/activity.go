package task

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/microsoft/durabletask-go/internal/invoke"
)

// Activity is the signature of an activity function. Its result, which must
// be JSON-serializable, is handed back to the calling orchestrator.
type Activity func(ctx ActivityContext) (any, error)

// ActivityContext is an activity's view of its invocation.
type ActivityContext interface {
	// GetInput decodes the activity's input into v. A missing input leaves v
	// untouched.
	GetInput(v any) error
	// Context returns the context of the invocation's HTTP request.
	Context() context.Context
}

type activityContext struct {
	ctx      context.Context
	rawInput json.RawMessage
}

func (a *activityContext) GetInput(v any) error     { return invoke.DecodeValue(a.rawInput, v) }
func (a *activityContext) Context() context.Context { return a.ctx }

// runActivity calls a once, turning a panic into an error.
func runActivity(a Activity, ctx ActivityContext) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("activity panicked: %v", p)
		}
	}()
	return a(ctx)
}
