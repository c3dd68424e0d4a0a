package mgmt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// ErrInstanceNotFound is an HTTP 404 for one instance: the management API
// no longer knows it (it finished and was purged, or its ID is wrong).
var ErrInstanceNotFound = errors.New("instance not found")

// History is one instance as the management API answers for it with its
// history: the body as sent, and what the client read of it.
type History struct {
	// Instance is the instance's name, ID and status, read from the body.
	Instance Instance
	// Body is the response body, byte for byte: what dfversion replay
	// --save writes.
	Body []byte
}

// InstanceHistory asks for one instance with its history (showHistory=true,
// showInput=false), in the task hub and connection that q names. Running,
// pending and suspended instances answer 202 Accepted with the body, as
// finished ones answer 200: both are the answer. A 404 wraps
// ErrInstanceNotFound. Retries follow the same rules as ListInstances.
func (c *Client) InstanceHistory(ctx context.Context, instanceID string, q Query) (*History, error) {
	params := url.Values{}
	params.Set("showHistory", "true")
	params.Set("showInput", "false")
	if q.TaskHub != "" {
		params.Set("taskHub", q.TaskHub)
	}
	if q.Connection != "" {
		params.Set("connection", q.Connection)
	}
	if c.opts.Key != "" {
		params.Set("code", c.opts.Key)
	}
	u := *c.endpoint
	u.Path += "/" + instanceID
	u.RawPath = c.endpoint.EscapedPath() + "/" + url.PathEscape(instanceID)
	u.RawQuery = params.Encode()
	var h *History
	err := c.retry(ctx, func() error {
		var err error
		h, err = c.historyOnce(ctx, &u, instanceID, q)
		return err
	})
	if err != nil {
		return nil, redactErr(fmt.Errorf("reading the history of instance %q: %w", instanceID, err), c.opts.Key)
	}
	return h, nil
}

func (c *Client) historyOnce(parent context.Context, u *url.URL, id string, q Query) (*History, error) {
	ctx, cancel := context.WithTimeout(parent, c.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", c.display, unwrapURLError(err))
	}
	req.Header.Set("Accept", "application/json")
	if c.opts.UserAgent != "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.transportErr(parent, ctx, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK, http.StatusAccepted:
		// A 202 also carries Location (the request's URL, key included:
		// never shown) and Retry-After, which are for polling a running
		// instance, not for reading it now.
	case http.StatusNotFound:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, ErrInstanceNotFound
	default:
		return nil, c.statusErr(resp, q)
	}
	if resp.ContentLength > c.opts.MaxBodyBytes {
		return nil, c.tooLarge()
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBodyBytes+1))
	if err != nil {
		return nil, c.transportErr(parent, ctx, fmt.Errorf("reading the response: %w", err))
	}
	if int64(len(data)) > c.opts.MaxBodyBytes {
		return nil, c.tooLarge()
	}
	in, err := DecodeInstance(data)
	if err != nil {
		return nil, fmt.Errorf("%s answered with something other than an instance: %w", c.display, err)
	}
	if in.InstanceID == "" {
		in.InstanceID = id
	}
	return &History{Instance: in, Body: data}, nil
}

// DecodeInstance reads the name, ID and status of an instance from a body
// of the single-instance endpoint (or a file that replay --save wrote): a
// JSON object, and nothing else.
func DecodeInstance(data []byte) (Instance, error) {
	trimmed := strings.TrimLeftFunc(string(data), unicode.IsSpace)
	trimmed = strings.TrimPrefix(trimmed, "\ufeff")
	if !strings.HasPrefix(trimmed, "{") {
		if trimmed == "" {
			return Instance{}, errors.New("the body is empty")
		}
		return Instance{}, fmt.Errorf("the body starts with %q", firstRunes(trimmed, 20))
	}
	var in Instance
	if err := json.Unmarshal([]byte(trimmed), &in); err != nil {
		return Instance{}, fmt.Errorf("reading the JSON: %w", err)
	}
	return in, nil
}

// pause holds back every request of the client for d from now: a server
// that asks one request to retry after a while asks it of all of them.
func (c *Client) pause(d time.Duration) {
	until := c.clock.Now().Add(d)
	c.pauseMu.Lock()
	if until.After(c.pauseUntil) {
		c.pauseUntil = until
	}
	c.pauseMu.Unlock()
}

// waitPause waits until the pause that a Retry-After asked for is over.
func (c *Client) waitPause(ctx context.Context) error {
	c.pauseMu.Lock()
	until := c.pauseUntil
	c.pauseMu.Unlock()
	if until.IsZero() {
		return nil
	}
	if d := until.Sub(c.clock.Now()); d > 0 {
		return c.clock.Sleep(ctx, d)
	}
	return nil
}
