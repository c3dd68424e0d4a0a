// Package mgmt is a client for the Durable Functions HTTP management API of
// a function app: it lists orchestration instances, page by page, with the
// timeouts, retries and limits a deployment pipeline needs.
//
// The API's key (the app's durabletask_extension system key) is sent as the
// code query parameter and never appears in an error message or a retry
// notice: URLs in messages carry no query, and every message is scrubbed of
// the key before it leaves the package.
package mgmt

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// InstancesPath is the path of the list-instances endpoint, relative to the
// function app's base URL.
const InstancesPath = "/runtime/webhooks/durabletask/instances"

// ContinuationHeader is the header that carries the token for the next page:
// in the response when there is one, and sent back in the request for it.
const ContinuationHeader = "x-ms-continuation-token"

// Defaults for the zero values of Options.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxAttempts    = 5
	DefaultMinBackoff     = 500 * time.Millisecond
	DefaultMaxBackoff     = 15 * time.Second
	DefaultMaxRetryAfter  = 60 * time.Second
	DefaultMaxBodyBytes   = 32 << 20
	DefaultTop            = 500
)

// Errors that callers may test for with errors.Is.
var (
	// ErrUnauthorized is an HTTP 401 or 403: the key is missing or wrong,
	// or access to the app is restricted.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrNotFound is an HTTP 404: the URL is not a function app with the
	// Durable Functions extension, or the task hub does not exist.
	ErrNotFound = errors.New("not found")
	// ErrBodyTooLarge is a response larger than Options.MaxBodyBytes.
	ErrBodyTooLarge = errors.New("response body too large")
	// ErrInsecure is a plain http:// URL for a host other than loopback,
	// without Options.Insecure.
	ErrInsecure = errors.New("insecure URL")
)

// Clock is the time source and sleeper the client uses between retries;
// tests replace it to run without waiting.
type Clock interface {
	// Now is the current time, used to read Retry-After dates.
	Now() time.Time
	// Sleep waits for d, or until ctx is done, and then returns ctx.Err().
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Options configure a Client. The zero value is usable: no key, https only
// (plain http for loopback), and the Default* limits.
type Options struct {
	// Key is the durabletask_extension system key, sent as the code query
	// parameter; "" sends none (enough for the Core Tools on localhost).
	Key string
	// Insecure allows plain http:// to hosts other than loopback, which
	// would send the key in clear text.
	Insecure bool
	// HTTPClient sends the requests; nil means a client with the default
	// transport. The client never follows redirects, whatever this says.
	HTTPClient *http.Client
	// RequestTimeout bounds each request, reading the body included.
	// The overall time is bounded by the context given to ListInstances.
	RequestTimeout time.Duration
	// MaxAttempts is how many times one page is asked for before giving up
	// on HTTP 429, 5xx and network errors.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the exponential backoff between
	// attempts (doubling from MinBackoff, with jitter), used when the
	// server sends no Retry-After.
	MinBackoff, MaxBackoff time.Duration
	// MaxRetryAfter caps the wait that a Retry-After header asks for.
	MaxRetryAfter time.Duration
	// MaxBodyBytes limits the size of one response body.
	MaxBodyBytes int64
	// Clock is the clock and sleeper; nil means real time.
	Clock Clock
	// Jitter returns a number in [0, 1) that spreads backoff delays; nil
	// means math/rand.
	Jitter func() float64
	// OnRetry, when set, is told of every retry before the client sleeps.
	OnRetry func(RetryEvent)
	// UserAgent is sent as the User-Agent header when not "".
	UserAgent string
}

// RetryEvent describes a failed attempt that the client is about to retry.
type RetryEvent struct {
	// Attempt is the number of the attempt that failed, from 1.
	Attempt int
	// Delay is how long the client waits before the next attempt.
	Delay time.Duration
	// Err is why the attempt failed; it never holds the key.
	Err error
}

// Query says which instances to list. The zero value lists every instance
// of the app's default task hub.
type Query struct {
	// RuntimeStatus keeps instances with one of these statuses; empty keeps
	// all. The client filters the results itself as well, because the API
	// drops status names it cannot read and ignores the filter when none
	// is left.
	RuntimeStatus []Status
	// Top is the page size asked for; 0 means DefaultTop. A page may hold
	// fewer instances.
	Top int
	// TaskHub and Connection name the task hub and the app setting of its
	// storage connection; "" means the app's defaults.
	TaskHub    string
	Connection string
	// CreatedTimeFrom, when not zero, keeps instances created at or after it.
	CreatedTimeFrom time.Time
	// InstanceIDPrefix, when not "", keeps instances whose ID starts with it.
	InstanceIDPrefix string
}

// Client lists instances through one function app's management API.
type Client struct {
	endpoint *url.URL // the instances endpoint, without a query
	display  string   // endpoint as shown in messages
	opts     Options
	hc       *http.Client
	clock    Clock
	jitter   func() float64

	// pauseMu guards pauseUntil: no request starts before it (a
	// Retry-After the server sent to any of the client's requests).
	pauseMu    sync.Mutex
	pauseUntil time.Time
}

// New returns a client for the function app at baseURL, its base address
// such as https://myapp.azurewebsites.net (an address that already ends in
// the management path is accepted too). The URL must be http or https,
// without a query or user information: the key goes in Options.Key. Plain
// http is refused, with an error that wraps ErrInsecure, unless the host is
// loopback or opts.Insecure is set.
func New(baseURL string, opts Options) (*Client, error) {
	if !strings.Contains(baseURL, "://") {
		// "myapp.azurewebsites.net" parses as a path, "localhost:7071"
		// as the scheme "localhost": neither says what is missing.
		shown, _, _ := strings.Cut(baseURL, "?") // a query may hold a key
		return nil, redactErr(fmt.Errorf("the app's URL %q has no scheme: add https:// (https://%s), or http:// for localhost", shown, shown), opts.Key)
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		// url.Error quotes the whole input; say what is wrong without it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, redactErr(fmt.Errorf("reading the app's URL: %w", err), opts.Key)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("the app's URL must start with https:// (or http:// for localhost), not %q", u.Scheme+":")
	case u.Host == "":
		return nil, fmt.Errorf("the app's URL has no host")
	case u.User != nil:
		return nil, fmt.Errorf("the app's URL must not hold user information; the key goes in an environment variable")
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("the app's URL must not hold a query; the key goes in an environment variable")
	}
	if u.Scheme == "http" && !opts.Insecure && !IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%w: refusing plain http:// to %s, which would send the key in clear text; use https://", ErrInsecure, u.Hostname())
	}
	path := strings.TrimRight(u.Path, "/")
	path = strings.TrimSuffix(path, InstancesPath)
	path = strings.TrimSuffix(path, strings.TrimSuffix(InstancesPath, "/instances"))
	endpoint := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: path + InstancesPath}

	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	c := &Client{endpoint: endpoint, display: endpoint.String(), opts: opts, clock: opts.Clock, jitter: opts.Jitter}
	if c.clock == nil {
		c.clock = realClock{}
	}
	if c.jitter == nil {
		c.jitter = rand.Float64
	}
	// A copy, so that the caller's client keeps its redirect policy: a
	// redirect could carry the key to another host, so none is followed.
	hc := http.Client{}
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.hc = &hc
	return c, nil
}

// IsLoopback reports whether host (a host name or IP address, without a
// port) is the local machine: localhost, 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return err == nil && addr.Unmap().IsLoopback()
}

// URL is the list-instances endpoint the client asks, without the key.
func (c *Client) URL() string { return c.display }

// ListInstances returns the instances that q selects, following the
// continuation tokens across pages. Instances listed twice (the table can
// change between pages) are kept once. The whole listing, retries
// included, is bounded by ctx.
func (c *Client) ListInstances(ctx context.Context, q Query) ([]Instance, error) {
	instances, err := c.list(ctx, q)
	if err != nil {
		return nil, redactErr(err, c.opts.Key)
	}
	return instances, nil
}

func (c *Client) list(ctx context.Context, q Query) ([]Instance, error) {
	params := url.Values{}
	if len(q.RuntimeStatus) > 0 {
		names := make([]string, len(q.RuntimeStatus))
		for i, s := range q.RuntimeStatus {
			names[i] = string(s)
		}
		params.Set("runtimeStatus", strings.Join(names, ","))
	}
	top := q.Top
	if top <= 0 {
		top = DefaultTop
	}
	params.Set("top", strconv.Itoa(top))
	params.Set("showInput", "false")
	if q.TaskHub != "" {
		params.Set("taskHub", q.TaskHub)
	}
	if q.Connection != "" {
		params.Set("connection", q.Connection)
	}
	if !q.CreatedTimeFrom.IsZero() {
		params.Set("createdTimeFrom", q.CreatedTimeFrom.UTC().Format(time.RFC3339Nano))
	}
	if q.InstanceIDPrefix != "" {
		params.Set("instanceIdPrefix", q.InstanceIDPrefix)
	}
	if c.opts.Key != "" {
		params.Set("code", c.opts.Key)
	}
	u := *c.endpoint
	u.RawQuery = params.Encode()

	keep := func(Instance) bool { return true }
	if len(q.RuntimeStatus) > 0 {
		want := map[Status]bool{}
		for _, s := range q.RuntimeStatus {
			want[s] = true
		}
		keep = func(in Instance) bool { return want[in.RuntimeStatus] }
	}

	all := []Instance{}
	seenIDs := map[string]bool{}
	seenTokens := map[string]bool{}
	token := ""
	for page := 1; ; page++ {
		items, next, err := c.fetch(ctx, &u, token, q)
		if err != nil {
			if page > 1 {
				return nil, fmt.Errorf("listing instances, page %d: %w", page, err)
			}
			return nil, fmt.Errorf("listing instances: %w", err)
		}
		for _, in := range items {
			if keep(in) && !seenIDs[in.InstanceID] {
				seenIDs[in.InstanceID] = true
				all = append(all, in)
			}
		}
		if next == "" {
			return all, nil
		}
		if seenTokens[next] {
			return nil, fmt.Errorf("listing instances: %s sent the same continuation token twice (page %d); stopping rather than loop", c.display, page)
		}
		seenTokens[next] = true
		token = next
	}
}

// fetch gets one page, retrying as the options say.
func (c *Client) fetch(ctx context.Context, u *url.URL, token string, q Query) ([]Instance, string, error) {
	var items []Instance
	var next string
	err := c.retry(ctx, func() error {
		var err error
		items, next, err = c.once(ctx, u, token, q)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// retry runs attempt until it succeeds, fails for good, or runs out of
// attempts or time: HTTP 429, 5xx and network errors (a *retryable) are
// tried again after the backoff or the Retry-After the server asked for.
// A Retry-After also holds back the client's other requests (see pause),
// so that requests made in parallel respect it together.
func (c *Client) retry(ctx context.Context, attempt func() error) error {
	for n := 1; ; n++ {
		if err := c.waitPause(ctx); err != nil {
			return err
		}
		err := attempt()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			if !errors.Is(err, ctx.Err()) {
				err = fmt.Errorf("%w (gave up: %w)", err, ctx.Err())
			}
			return err
		}
		var re *retryable
		if !errors.As(err, &re) {
			return err
		}
		if n >= c.opts.MaxAttempts {
			return fmt.Errorf("%w (gave up after %d attempts)", err, n)
		}
		delay := c.backoff(n)
		if re.retryAfter >= 0 {
			delay = min(re.retryAfter, c.opts.MaxRetryAfter)
		}
		delay = delay.Round(time.Millisecond)
		if re.retryAfter >= 0 {
			c.pause(delay)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			return fmt.Errorf("%w (gave up: no time left to wait %s for attempt %d)", err, delay, n+1)
		}
		if c.opts.OnRetry != nil {
			c.opts.OnRetry(RetryEvent{Attempt: n, Delay: delay, Err: redactErr(err, c.opts.Key)})
		}
		if serr := c.clock.Sleep(ctx, delay); serr != nil {
			return fmt.Errorf("%w (gave up: %w)", err, serr)
		}
	}
}

// backoff is the delay after the given failed attempt: MinBackoff doubled
// per attempt, capped at MaxBackoff, of which a random half is kept.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opts.MinBackoff
	for i := 1; i < attempt && d < c.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.opts.MaxBackoff)
	return d/2 + time.Duration(c.jitter()*float64(d/2))
}

// retryable marks an error worth another attempt, with the delay the
// server asked for (negative when it did not say).
type retryable struct {
	err        error
	retryAfter time.Duration
}

func (e *retryable) Error() string { return e.err.Error() }
func (e *retryable) Unwrap() error { return e.err }

// once asks for one page.
func (c *Client) once(parent context.Context, u *url.URL, token string, q Query) ([]Instance, string, error) {
	ctx, cancel := context.WithTimeout(parent, c.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", fmt.Errorf("GET %s: %w", c.display, unwrapURLError(err))
	}
	req.Header.Set("Accept", "application/json")
	if c.opts.UserAgent != "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	if token != "" {
		req.Header.Set(ContinuationHeader, token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, "", c.transportErr(parent, ctx, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return nil, "", c.statusErr(resp, q)
	}

	if resp.ContentLength > c.opts.MaxBodyBytes {
		return nil, "", c.tooLarge()
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBodyBytes+1))
	if err != nil {
		return nil, "", c.transportErr(parent, ctx, fmt.Errorf("reading the response: %w", err))
	}
	if int64(len(data)) > c.opts.MaxBodyBytes {
		return nil, "", c.tooLarge()
	}
	items, err := decodePage(data)
	if err != nil {
		ct := resp.Header.Get("Content-Type")
		if ct == "" {
			ct = "none"
		}
		return nil, "", fmt.Errorf("%s answered with something other than a list of instances (content type %s): %w; is the URL the function app's base address?", c.display, ct, err)
	}
	return items, resp.Header.Get(ContinuationHeader), nil
}

// statusErr is the error for an answer whose status the caller does not
// accept: an *HTTPError, wrapped in a *retryable for 429 and 5xx.
func (c *Client) statusErr(resp *http.Response, q Query) error {
	// Read a little of the body for the message, and drain a little
	// more so the connection can be reused.
	detail, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	herr := &HTTPError{
		StatusCode: resp.StatusCode,
		URL:        c.display,
		TaskHub:    q.TaskHub,
		KeySent:    c.opts.Key != "",
		Detail:     Redact(summarize(detail), c.opts.Key),
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc, err := resp.Location(); err == nil {
			loc = &url.URL{Scheme: loc.Scheme, Host: loc.Host, Path: loc.Path}
			herr.Location = Redact(loc.String(), c.opts.Key)
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented && resp.StatusCode != http.StatusHTTPVersionNotSupported {
		return &retryable{err: herr, retryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now())}
	}
	return herr
}

func (c *Client) tooLarge() error {
	return fmt.Errorf("%w: %s sent more than %s", ErrBodyTooLarge, c.display, formatBytes(c.opts.MaxBodyBytes))
}

// transportErr turns an error from sending a request or reading its
// response into one without the request's URL (url.Error prints it whole,
// key included), marked retryable unless it cannot get better by itself.
func (c *Client) transportErr(parent, reqCtx context.Context, err error) error {
	err = unwrapURLError(err)
	switch {
	case parent.Err() != nil:
		// The caller's deadline or cancellation: say that, not whatever
		// the transport made of it.
		return fmt.Errorf("GET %s: %w", c.display, parent.Err())
	case reqCtx.Err() == context.DeadlineExceeded:
		err = fmt.Errorf("no answer within %s", c.opts.RequestTimeout)
	}
	err = fmt.Errorf("GET %s: %w", c.display, err)
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		return err
	}
	return &retryable{err: err, retryAfter: -1}
}

func unwrapURLError(err error) error {
	var ue *url.Error
	for errors.As(err, &ue) {
		err = ue.Err
	}
	return err
}

// decodePage reads a page: a JSON array of instances, and nothing else.
// An empty body or null is an error, not an empty page: a gate that waits
// for instances to finish must not take a broken answer for "none".
func decodePage(data []byte) ([]Instance, error) {
	trimmed := strings.TrimLeftFunc(string(data), unicode.IsSpace)
	trimmed = strings.TrimPrefix(trimmed, "\ufeff")
	if !strings.HasPrefix(trimmed, "[") {
		if trimmed == "" {
			return nil, errors.New("the body is empty")
		}
		return nil, fmt.Errorf("the body starts with %q", firstRunes(trimmed, 20))
	}
	var items []Instance
	if err := json.Unmarshal([]byte(trimmed), &items); err != nil {
		return nil, fmt.Errorf("reading the JSON: %w", err)
	}
	return items, nil
}

// ParseRetryAfter reads a Retry-After header value, a number of seconds or
// an HTTP date, as a delay from now. It returns -1 when the value is
// missing or unreadable, and 0 for a date in the past.
func ParseRetryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return -1
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		if secs < 0 {
			return -1
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	t, err := http.ParseTime(value)
	if err != nil {
		return -1
	}
	return max(t.Sub(now), 0)
}

// HTTPError is an answer other than 200 OK that the client does not retry,
// or that it stopped retrying.
type HTTPError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// URL is the endpoint, without the query (and so without the key).
	URL string
	// TaskHub is the task hub asked for, "" for the app's default.
	TaskHub string
	// KeySent reports whether the request carried a key.
	KeySent bool
	// Detail is the start of the response body on one line, with the key
	// redacted; "" when there was none, or when it was an HTML page.
	Detail string
	// Location is where a redirect pointed, without its query.
	Location string
}

// Error describes the answer: the key was refused (401, 403), there is no
// endpoint (404), or the status and what the server said.
func (e *HTTPError) Error() string {
	status := fmt.Sprintf("HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	var msg string
	switch {
	case e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden:
		if e.KeySent {
			msg = fmt.Sprintf("the key was refused by %s (%s): it must be the app's durabletask_extension system key", e.URL, status)
		} else {
			msg = fmt.Sprintf("%s requires a key (%s): no key was sent", e.URL, status)
		}
		if e.StatusCode == http.StatusForbidden {
			msg += ", or access to the app is restricted"
		}
	case e.StatusCode == http.StatusNotFound:
		hub := "the app's default task hub"
		if e.TaskHub != "" {
			hub = fmt.Sprintf("task hub %q", e.TaskHub)
		}
		msg = fmt.Sprintf("no Durable Functions management endpoint at %s for %s (%s)", e.URL, hub, status)
	case e.StatusCode >= 300 && e.StatusCode < 400:
		msg = fmt.Sprintf("%s redirects (%s)", e.URL, status)
		if e.Location != "" {
			msg += " to " + e.Location
		}
		msg += "; redirects are not followed, give the final address"
	default:
		msg = fmt.Sprintf("%s answered %s", e.URL, status)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Is makes errors.Is(err, ErrUnauthorized) and errors.Is(err, ErrNotFound)
// hold for the matching status codes.
func (e *HTTPError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	}
	return false
}

// summarize makes a response body fit on one line of a message. An HTML
// page (a sign-in page, a proxy's error page) says nothing useful in one
// line and gives "".
func summarize(body []byte) string {
	s := strings.ToValidUTF8(string(body), "?")
	if strings.HasPrefix(strings.TrimSpace(s), "<") {
		return ""
	}
	s = strings.Join(strings.Fields(s), " ")
	return firstRunes(s, 200)
}

func firstRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "..."
}

func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// redactErr returns err with every spelling of key in its message (as is,
// query-escaped, path-escaped) replaced. The original stays reachable with
// errors.Unwrap, for errors.Is and errors.As.
func redactErr(err error, key string) error {
	if err == nil || key == "" {
		return err
	}
	msg := err.Error()
	red := Redact(msg, key)
	if red == msg {
		return err
	}
	return &redactedError{msg: red, err: err}
}

// Redact replaces every spelling of key in s with "[REDACTED]": as is,
// query-escaped and path-escaped, each of them also HTML- and
// JSON-escaped, as a server may echo a request's URL in its answer.
func Redact(s, key string) string {
	if key == "" {
		return s
	}
	for _, k := range []string{key, url.QueryEscape(key), url.PathEscape(key)} {
		quoted, _ := json.Marshal(k)
		for _, spelling := range []string{k, html.EscapeString(k), string(quoted[1 : len(quoted)-1])} {
			s = strings.ReplaceAll(s, spelling, "[REDACTED]")
		}
	}
	return s
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
