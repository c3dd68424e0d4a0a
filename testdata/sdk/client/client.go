// Package client starts orchestrations from a client function: an
// HTTP-triggered function with a durableClient input binding.
//
// In the stand-in no orchestration really starts: the client records each
// request and returns a fake instance ID that contains the orchestrator's
// name, so a test can see which orchestrator a client function starts.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/microsoft/durabletask-go/internal/helpers"
	"github.com/microsoft/durabletask-go/internal/invoke"
)

// Client starts orchestrations in a task hub.
type Client struct {
	// TaskHub is the task hub named by the durableClient binding, or "" when
	// the invocation carried none (for example a forwarded HTTP request).
	TaskHub string
	// BaseURL is the base URL of the host's durable HTTP API, if known.
	BaseURL string

	mu      sync.Mutex
	started []Started
}

// Started is an orchestration a Client was asked to start.
type Started struct {
	Name       string          `json:"name"`
	InstanceID string          `json:"instanceId"`
	Input      json.RawMessage `json:"input,omitempty"`
}

// FromRequest returns a client for the invocation in r: it reads the
// durableClient binding ({"taskHubName": ..., "baseUrl": ...}, possibly
// serialized in a string) from the invocation's Data. A request without one
// gives a client with empty fields; only a body that cannot be read is an
// error. The body is put back for the caller to read.
func FromRequest(r *http.Request) (*Client, error) {
	inv, err := invoke.ReadRequest(r)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	c := &Client{}
	for _, key := range inv.DataKeys() {
		binding, ok := invoke.Object(inv.Data[key])
		if !ok || binding["taskHubName"] == nil {
			continue
		}
		_ = json.Unmarshal(binding["taskHubName"], &c.TaskHub)
		_ = json.Unmarshal(binding["baseUrl"], &c.BaseURL)
		break
	}
	return c, nil
}

// Option configures a new orchestration.
type Option func(*options) error

type options struct {
	input      json.RawMessage
	instanceID string
}

// WithInput sets the orchestration's input, which must be JSON-serializable.
func WithInput(input any) Option {
	return func(o *options) error {
		data, err := json.Marshal(input)
		if err != nil {
			return fmt.Errorf("client: orchestration input: %w", err)
		}
		o.input = data
		return nil
	}
}

// WithInstanceID sets the new orchestration's instance ID.
func WithInstanceID(id string) Option {
	return func(o *options) error {
		if id == "" {
			return errors.New("client: empty instance ID")
		}
		o.instanceID = id
		return nil
	}
}

// sequence numbers the fake instance IDs of a process.
var sequence atomic.Uint64

// ScheduleNewOrchestration starts the orchestrator named by orchestrator (a
// string or an orchestrator function value named by reflection) and returns
// its instance ID: by default "<Name>-<sequence number>".
func (c *Client) ScheduleNewOrchestration(ctx context.Context, orchestrator any, opts ...Option) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	name := helpers.TaskName(orchestrator)
	if name == "" {
		return "", fmt.Errorf("client: cannot name orchestrator %v", orchestrator)
	}
	var o options
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return "", err
		}
	}
	id := o.instanceID
	if id == "" {
		id = fmt.Sprintf("%s-%06d", name, sequence.Add(1))
	}
	c.mu.Lock()
	c.started = append(c.started, Started{Name: name, InstanceID: id, Input: o.input})
	c.mu.Unlock()
	return id, nil
}

// Started returns the orchestrations c was asked to start, in order.
func (c *Client) Started() []Started {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Started(nil), c.started...)
}
