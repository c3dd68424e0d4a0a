package main

import (
	"fmt"
	"sync"
	"time"

	"github.com/microsoft/durabletask-go/task"
)

// Decision is the input of the Approve and Reject activities.
type Decision struct {
	RequestID string `json:"requestId"`
	By        string `json:"by"`
	Comment   string `json:"comment"`
}

// Outcome is the recorded result of an approval request.
type Outcome struct {
	RequestID string    `json:"requestId"`
	Status    string    `json:"status"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// Approvals keeps the outcome of every approval request. Its Approve and
// Reject methods are the activities of the same names.
type Approvals struct {
	mu       sync.Mutex
	outcomes map[string]Outcome
	now      func() time.Time
}

// NewApprovals returns an empty store.
func NewApprovals() *Approvals {
	return &Approvals{outcomes: map[string]Outcome{}, now: time.Now}
}

// Approve records that a request was approved.
func (a *Approvals) Approve(ctx task.ActivityContext) (any, error) {
	return a.decide(ctx, "approved")
}

// Reject records that a request was rejected.
func (a *Approvals) Reject(ctx task.ActivityContext) (any, error) {
	return a.decide(ctx, "rejected")
}

// decide stores the outcome of the decision in ctx's input. A request is
// decided once; deciding it again returns the first outcome.
func (a *Approvals) decide(ctx task.ActivityContext, status string) (Outcome, error) {
	var d Decision
	if err := ctx.GetInput(&d); err != nil {
		return Outcome{}, fmt.Errorf("%s: %w", status, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if prev, ok := a.outcomes[d.RequestID]; ok {
		return prev, nil
	}
	out := Outcome{RequestID: d.RequestID, Status: status, By: d.By, At: a.now().UTC()}
	a.outcomes[d.RequestID] = out
	return out, nil
}
