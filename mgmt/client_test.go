package mgmt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock records sleeps instead of sleeping.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
}

// testOptions are options for tests: a fake clock, jitter fixed at the
// middle of its range.
func testOptions(clock *fakeClock) Options {
	return Options{Clock: clock, Jitter: func() float64 { return 0.5 }}
}

func mustNew(t *testing.T, base string, opts Options) *Client {
	t.Helper()
	c, err := New(base, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func instance(id, name string, status Status) Instance {
	return Instance{InstanceID: id, Name: name, RuntimeStatus: status,
		CreatedTime: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func ids(instances []Instance) string {
	var s []string
	for _, in := range instances {
		s = append(s, in.InstanceID)
	}
	return strings.Join(s, ",")
}

// pagedServer serves instances in pages of at most pageSize (fewer than
// top), the token being the offset of the next page.
func pagedServer(t *testing.T, instances []Instance, pageSize int, seen *[]*http.Request) *httptest.Server {
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*seen = append(*seen, r)
		mu.Unlock()
		if r.URL.Path != InstancesPath {
			http.NotFound(w, r)
			return
		}
		off := 0
		if tok := r.Header.Get(ContinuationHeader); tok != "" {
			off, _ = strconv.Atoi(strings.TrimPrefix(tok, "tok-"))
		}
		end := min(off+pageSize, len(instances))
		if end < len(instances) {
			w.Header().Set(ContinuationHeader, "tok-"+strconv.Itoa(end))
		}
		writeJSON(w, instances[off:end])
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestListFollowsContinuationTokens(t *testing.T) {
	all := []Instance{
		instance("a", "ProcessOrder", Running),
		instance("b", "ProcessOrder", Pending),
		instance("c", "ProcessOrder_v2", Running),
		instance("d", "FulfillOrder", Running),
		instance("e", "FulfillOrder", Pending),
	}
	var seen []*http.Request
	srv := pagedServer(t, all, 2, &seen)
	c := mustNew(t, srv.URL, Options{Key: "k1"})
	from := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	got, err := c.ListInstances(context.Background(), Query{
		RuntimeStatus: []Status{Running, Pending}, Top: 10,
		TaskHub: "OrdersHub", Connection: "Storage", CreatedTimeFrom: from, InstanceIDPrefix: "x",
	})
	if err != nil {
		t.Fatal(err)
	}
	if ids(got) != "a,b,c,d,e" {
		t.Errorf("got %s, want a,b,c,d,e", ids(got))
	}
	if len(seen) != 3 {
		t.Fatalf("%d requests, want 3", len(seen))
	}
	for i, want := range []string{"", "tok-2", "tok-4"} {
		if got := seen[i].Header.Get(ContinuationHeader); got != want {
			t.Errorf("request %d: continuation token %q, want %q", i, got, want)
		}
	}
	q := seen[0].URL.Query()
	wantQuery := map[string]string{
		"runtimeStatus": "Running,Pending", "top": "10", "showInput": "false", "taskHub": "OrdersHub",
		"connection": "Storage", "createdTimeFrom": "2025-02-01T00:00:00Z", "instanceIdPrefix": "x", "code": "k1",
	}
	for k, v := range wantQuery {
		if q.Get(k) != v {
			t.Errorf("query %s = %q, want %q", k, q.Get(k), v)
		}
	}
	if len(q) != len(wantQuery) {
		t.Errorf("query %v has unexpected parameters", q)
	}
}

func TestListDefaults(t *testing.T) {
	var seen []*http.Request
	srv := pagedServer(t, []Instance{}, 2, &seen)
	c := mustNew(t, srv.URL+"/", Options{})
	got, err := c.ListInstances(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("got %v, want an empty, non-nil list", got)
	}
	q := seen[0].URL.Query()
	if q.Get("top") != strconv.Itoa(DefaultTop) || q.Has("code") || q.Has("runtimeStatus") || q.Get("showInput") != "false" {
		t.Errorf("query %v", q)
	}
}

func TestListEmptyPagesAndDuplicates(t *testing.T) {
	// Page 1 is empty but has a token; page 3 repeats an instance of page 2.
	pages := [][]Instance{
		{},
		{instance("a", "P", Running), instance("b", "P", Running)},
		{instance("b", "P", Running), instance("c", "P", Running)},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.Header.Get(ContinuationHeader))
		if n+1 < len(pages) {
			w.Header().Set(ContinuationHeader, strconv.Itoa(n+1))
		}
		writeJSON(w, pages[n])
	}))
	defer srv.Close()
	got, err := mustNew(t, srv.URL, Options{}).ListInstances(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if ids(got) != "a,b,c" {
		t.Errorf("got %s, want a,b,c", ids(got))
	}
}

func TestListRepeatedTokenStops(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(ContinuationHeader, "same")
		writeJSON(w, []Instance{instance("a", "P", Running)})
	}))
	defer srv.Close()
	_, err := mustNew(t, srv.URL, Options{}).ListInstances(context.Background(), Query{})
	if err == nil || !strings.Contains(err.Error(), "same continuation token twice") {
		t.Errorf("got %v, want a loop error", err)
	}
}

// The API ignores a runtimeStatus filter it cannot read; the client
// filters again itself.
func TestListFiltersStatusesItself(t *testing.T) {
	var all []Instance
	for i, s := range []Status{Running, Pending, Failed, Canceled, Terminated, Completed, Suspended, ContinuedAsNew, "Weird"} {
		all = append(all, instance(fmt.Sprint(i), "P", s))
	}
	var seen []*http.Request
	srv := pagedServer(t, all, 100, &seen)
	got, err := mustNew(t, srv.URL, Options{}).ListInstances(context.Background(), Query{RuntimeStatus: []Status{Running, Pending}})
	if err != nil {
		t.Fatal(err)
	}
	if ids(got) != "0,1" {
		t.Errorf("got %s, want 0,1", ids(got))
	}
}

func TestRetriesWithBackoff(t *testing.T) {
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		switch calls {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.WriteHeader(http.StatusBadGateway)
		case 3:
			// A connection that dies in the middle of the body.
			hj, _ := w.(http.Hijacker)
			conn, buf, _ := hj.Hijack()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[{")
			buf.Flush()
			conn.Close()
		default:
			writeJSON(w, []Instance{instance("a", "P", Running)})
		}
	}))
	defer srv.Close()
	clock := newFakeClock()
	opts := testOptions(clock)
	var events []RetryEvent
	opts.OnRetry = func(e RetryEvent) { events = append(events, e) }
	got, err := mustNew(t, srv.URL, opts).ListInstances(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if ids(got) != "a" || calls != 4 {
		t.Errorf("got %s after %d calls", ids(got), calls)
	}
	// Backoff 500ms, 1s, 2s; jitter 0.5 keeps three quarters.
	want := []time.Duration{375 * time.Millisecond, 750 * time.Millisecond, 1500 * time.Millisecond}
	if fmt.Sprint(clock.sleeps) != fmt.Sprint(want) {
		t.Errorf("slept %v, want %v", clock.sleeps, want)
	}
	if len(events) != 3 || events[0].Attempt != 1 || !strings.Contains(events[0].Err.Error(), "503") {
		t.Errorf("retry events %+v", events)
	}
}

func TestBackoffIsCapped(t *testing.T) {
	c := mustNew(t, "https://app.example", Options{Jitter: func() float64 { return 0.999999 }})
	prev := time.Duration(0)
	for attempt := 1; attempt <= 12; attempt++ {
		d := c.backoff(attempt)
		if d > DefaultMaxBackoff || d < prev {
			t.Errorf("attempt %d: backoff %s (previous %s)", attempt, d, prev)
		}
		prev = d
	}
	if prev < DefaultMaxBackoff*9/10 {
		t.Errorf("backoff never reached the cap: %s", prev)
	}
	c.jitter = func() float64 { return 0 }
	if d := c.backoff(1); d != DefaultMinBackoff/2 {
		t.Errorf("jitter 0: %s, want %s", d, DefaultMinBackoff/2)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"7", 7 * time.Second},
		{"0", 0},
		{newFakeClock().now.Add(20 * time.Second).Format(http.TimeFormat), 20 * time.Second},
		{"3600", DefaultMaxRetryAfter},   // capped
		{"soon", 375 * time.Millisecond}, // unreadable: backoff
	} {
		clock := newFakeClock()
		calls := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls++
			if calls == 1 {
				w.Header().Set("Retry-After", tc.header)
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			writeJSON(w, []Instance{})
		}))
		_, err := mustNew(t, srv.URL, testOptions(clock)).ListInstances(context.Background(), Query{})
		srv.Close()
		if err != nil {
			t.Errorf("Retry-After %q: %v", tc.header, err)
			continue
		}
		if len(clock.sleeps) != 1 || clock.sleeps[0] != tc.want {
			t.Errorf("Retry-After %q: slept %v, want %s", tc.header, clock.sleeps, tc.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", -1},
		{"  ", -1},
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", -1},
		{"1.5", -1},
		{"tomorrow", -1},
		{"99999999999", 24 * time.Hour},
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second},
		{"Saturday, 01-Mar-25 12:01:00 GMT", time.Minute}, // RFC 850
		{"Sat Mar  1 12:00:10 2025", 10 * time.Second},    // asctime
		{"Sat, 01 Mar 2025 11:00:00 GMT", 0},              // past
	} {
		if got := ParseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("ParseRetryAfter(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		http.Error(w, "backend unavailable", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	clock := newFakeClock()
	_, err := mustNew(t, srv.URL, testOptions(clock)).ListInstances(context.Background(), Query{})
	if calls != DefaultMaxAttempts || len(clock.sleeps) != DefaultMaxAttempts-1 {
		t.Errorf("%d calls, %d sleeps", calls, len(clock.sleeps))
	}
	want := fmt.Sprintf("listing instances: %s%s answered HTTP 503 Service Unavailable: backend unavailable (gave up after 5 attempts)", srv.URL, InstancesPath)
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestNetworkErrorsAreRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	clock := newFakeClock()
	opts := testOptions(clock)
	opts.MaxAttempts = 3
	_, err = mustNew(t, "http://"+addr, opts).ListInstances(context.Background(), Query{})
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts") || !strings.Contains(err.Error(), "refused") {
		t.Errorf("got %v", err)
	}
	if len(clock.sleeps) != 2 {
		t.Errorf("slept %v", clock.sleeps)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		key    string
		hub    string
		is     error
		want   string
	}{
		{401, "key-0123456789", "", ErrUnauthorized, "the key was refused by URL (HTTP 401 Unauthorized): it must be the app's durabletask_extension system key"},
		{401, "", "", ErrUnauthorized, "URL requires a key (HTTP 401 Unauthorized): no key was sent"},
		{403, "key-0123456789", "", ErrUnauthorized, "the key was refused by URL (HTTP 403 Forbidden): it must be the app's durabletask_extension system key, or access to the app is restricted"},
		{404, "key-0123456789", "", ErrNotFound, "no Durable Functions management endpoint at URL for the app's default task hub (HTTP 404 Not Found)"},
		{404, "key-0123456789", "Hub2", ErrNotFound, `no Durable Functions management endpoint at URL for task hub "Hub2" (HTTP 404 Not Found)`},
		{400, "key-0123456789", "", nil, "URL answered HTTP 400 Bad Request: bad\ttop value"},
	} {
		calls := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls++
			w.WriteHeader(tc.status)
			if tc.status == 400 {
				fmt.Fprint(w, "  bad\ttop\n value ")
			}
		}))
		clock := newFakeClock()
		opts := testOptions(clock)
		opts.Key = tc.key
		_, err := mustNew(t, srv.URL, opts).ListInstances(context.Background(), Query{TaskHub: tc.hub})
		srv.Close()
		want := "listing instances: " + strings.ReplaceAll(tc.want, "URL", srv.URL+InstancesPath)
		want = strings.ReplaceAll(want, "\t", " ")
		if err == nil || err.Error() != want {
			t.Errorf("HTTP %d:\ngot  %v\nwant %s", tc.status, err, want)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("HTTP %d: %v is not %v", tc.status, err, tc.is)
		}
		var herr *HTTPError
		if !errors.As(err, &herr) || herr.StatusCode != tc.status {
			t.Errorf("HTTP %d: no HTTPError in %v", tc.status, err)
		}
		if calls != 1 || len(clock.sleeps) != 0 {
			t.Errorf("HTTP %d: %d calls, slept %v", tc.status, calls, clock.sleeps)
		}
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the redirect was followed")
	}))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/login?"+r.URL.RawQuery, http.StatusFound)
	}))
	defer srv.Close()
	_, err := mustNew(t, srv.URL, Options{Key: "k"}).ListInstances(context.Background(), Query{})
	want := fmt.Sprintf("redirects (HTTP 302 Found) to %s/login; redirects are not followed", target.URL)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want it to hold %q", err, want)
	}
}

func TestBodyLimit(t *testing.T) {
	big := make([]Instance, 50)
	for i := range big {
		big[i] = instance(fmt.Sprintf("instance-%03d", i), "ProcessOrder", Running)
	}
	for _, chunked := range []bool{false, true} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			data, _ := json.Marshal(big)
			if !chunked {
				w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			}
			w.Write(data)
			if chunked {
				w.(http.Flusher).Flush()
			}
		}))
		clock := newFakeClock()
		opts := testOptions(clock)
		opts.MaxBodyBytes = 1024
		_, err := mustNew(t, srv.URL, opts).ListInstances(context.Background(), Query{})
		if !errors.Is(err, ErrBodyTooLarge) || !strings.Contains(err.Error(), "response body too large: "+srv.URL+InstancesPath+" sent more than 1024 bytes") {
			t.Errorf("chunked %v: got %v", chunked, err)
		}
		if len(clock.sleeps) != 0 {
			t.Errorf("chunked %v: retried a body that is too large", chunked)
		}
		opts.MaxBodyBytes = 1 << 20
		if got, err := mustNew(t, srv.URL, opts).ListInstances(context.Background(), Query{}); err != nil || len(got) != 50 {
			t.Errorf("chunked %v, 1 MiB limit: %d instances, %v", chunked, len(got), err)
		}
		srv.Close()
	}
	if got := formatBytes(DefaultMaxBodyBytes); got != "32 MiB" {
		t.Errorf("formatBytes: %s", got)
	}
}

func TestNotAListOfInstances(t *testing.T) {
	for body, want := range map[string]string{
		"":                           "the body is empty",
		"null":                       `the body starts with "null"`,
		`{"instances": []}`:          `the body starts with "{\"instances\": []}"`,
		"<html><body>Sign in</body>": `the body starts with "<html><body>Sign in<..."`,
		`[{"name": 3}]`:              "reading the JSON",
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, body)
		}))
		_, err := mustNew(t, srv.URL, Options{}).ListInstances(context.Background(), Query{})
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), "answered with something other than a list of instances") || !strings.Contains(err.Error(), want) {
			t.Errorf("body %q: got %v, want it to hold %q", body, err, want)
		}
	}
}

// slowServer answers after a delay, or when the client gives up.
func slowServer(t *testing.T, delay time.Duration) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
			writeJSON(w, []Instance{})
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRequestTimeout(t *testing.T) {
	srv := slowServer(t, 5*time.Second)
	clock := newFakeClock()
	opts := testOptions(clock)
	opts.RequestTimeout = 20 * time.Millisecond
	opts.MaxAttempts = 2
	_, err := mustNew(t, srv.URL, opts).ListInstances(context.Background(), Query{})
	if err == nil || !strings.Contains(err.Error(), "no answer within 20ms (gave up after 2 attempts)") {
		t.Errorf("got %v", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a request timeout looks like the caller's deadline: %v", err)
	}
}

func TestOverallDeadline(t *testing.T) {
	srv := slowServer(t, 5*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := mustNew(t, srv.URL, Options{}).ListInstances(ctx, Query{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want a deadline error", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %s", time.Since(start))
	}
}

// A retry that would outlast the caller's deadline is not waited for.
func TestNoRetryPastDeadline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	clock := newFakeClock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := mustNew(t, srv.URL, testOptions(clock)).ListInstances(ctx, Query{})
	if err == nil || !strings.Contains(err.Error(), "HTTP 429 Too Many Requests (gave up: no time left to wait 30s for attempt 2)") {
		t.Errorf("got %v", err)
	}
	if len(clock.sleeps) != 0 {
		t.Errorf("slept %v", clock.sleeps)
	}
}

func TestNewChecksTheURL(t *testing.T) {
	for _, tc := range []struct {
		url      string
		insecure bool
		err      string // "" for accepted
	}{
		{"https://app.azurewebsites.net", false, ""},
		{"http://127.0.0.1:7071", false, ""},
		{"http://127.9.8.7", false, ""},
		{"http://localhost:7071", false, ""},
		{"http://LOCALHOST", false, ""},
		{"http://[::1]:7071", false, ""},
		{"http://[::ffff:127.0.0.1]:7071", false, ""},
		{"http://app.azurewebsites.net", false, "insecure URL: refusing plain http:// to app.azurewebsites.net, which would send the key in clear text; use https://"},
		{"http://10.0.0.4:7071", false, "refusing plain http:// to 10.0.0.4"},
		{"http://localhost.example.com", false, "refusing plain http://"},
		{"http://128.0.0.1", false, "refusing plain http://"},
		{"http://app.azurewebsites.net", true, ""},
		{"ftp://app.example", false, `must start with https:// (or http:// for localhost), not "ftp:"`},
		{"app.azurewebsites.net", false, `has no scheme: add https:// (https://app.azurewebsites.net), or http:// for localhost`},
		{"localhost:7071", false, `has no scheme: add https:// (https://localhost:7071)`},
		{"app.example?code=abc", false, `"app.example" has no scheme`},
		{"https://", false, "has no host"},
		{"https://app.example?code=abc", false, "must not hold a query"},
		{"https://app.example/?", false, "must not hold a query"},
		{"https://u:p@app.example", false, "must not hold user information"},
		{"https://app.example/%zz", false, "reading the app's URL: invalid URL escape"},
	} {
		_, err := New(tc.url, Options{Insecure: tc.insecure})
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("New(%q): %v", tc.url, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("New(%q) = %v, want an error holding %q", tc.url, err, tc.err)
		case tc.err != "" && strings.Contains(err.Error(), "abc"):
			t.Errorf("New(%q): the error repeats the query: %v", tc.url, err)
		}
		if strings.Contains(tc.err, "refusing") && !errors.Is(err, ErrInsecure) {
			t.Errorf("New(%q): %v is not ErrInsecure", tc.url, err)
		}
	}
}

func TestEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"https://app.example":                                         "https://app.example" + InstancesPath,
		"https://app.example/":                                        "https://app.example" + InstancesPath,
		"https://app.example/runtime/webhooks/durabletask":            "https://app.example" + InstancesPath,
		"https://app.example/runtime/webhooks/durabletask/instances/": "https://app.example" + InstancesPath,
		"https://gw.example/orders":                                   "https://gw.example/orders" + InstancesPath,
	} {
		if got := mustNew(t, in, Options{}).URL(); got != want {
			t.Errorf("%s: endpoint %s, want %s", in, got, want)
		}
	}
}

// With Insecure, plain http goes to any host; the test dials its own
// server whatever the host name says.
func TestInsecureAllowsPlainHTTP(t *testing.T) {
	var seen []*http.Request
	srv := pagedServer(t, []Instance{instance("a", "P", Running)}, 10, &seen)
	addr := strings.TrimPrefix(srv.URL, "http://")
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	opts := Options{Insecure: true, HTTPClient: &http.Client{Transport: transport}}
	got, err := mustNew(t, "http://app.internal.example:8080", opts).ListInstances(context.Background(), Query{})
	if err != nil || ids(got) != "a" {
		t.Fatalf("got %s, %v", ids(got), err)
	}
	if seen[0].Host != "app.internal.example:8080" {
		t.Errorf("host %s", seen[0].Host)
	}
}

func TestInstanceDecoding(t *testing.T) {
	data := `[
	  {"name": "A", "instanceId": "1", "runtimeStatus": "running", "createdTime": "2025-03-01T10:00:00Z", "lastUpdatedTime": "2025-03-01T10:05:00.1234567Z", "input": {"big": true}},
	  {"name": "B", "instanceId": "2", "runtimeStatus": 6, "createdTime": "2025-03-01T10:00:00.5"},
	  {"name": "C", "instanceId": "3", "runtimeStatus": "Paused", "createdTime": "yesterday"},
	  {"name": "D", "instanceId": "@d@key", "runtimeStatus": 42}
	]`
	var got []Instance
	if err := json.Unmarshal([]byte(data), &got); err != nil {
		t.Fatal(err)
	}
	want := []Instance{
		{Name: "A", InstanceID: "1", RuntimeStatus: Running, CreatedTime: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC),
			LastUpdatedTime: time.Date(2025, 3, 1, 10, 5, 0, 123456700, time.UTC)},
		{Name: "B", InstanceID: "2", RuntimeStatus: Pending, CreatedTime: time.Date(2025, 3, 1, 10, 0, 0, 500000000, time.UTC)},
		{Name: "C", InstanceID: "3", RuntimeStatus: "Paused"},
		{Name: "D", InstanceID: "@d@key", RuntimeStatus: "42"},
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.InstanceID != w.InstanceID || g.RuntimeStatus != w.RuntimeStatus ||
			!g.CreatedTime.Equal(w.CreatedTime) || !g.LastUpdatedTime.Equal(w.LastUpdatedTime) {
			t.Errorf("instance %d: got %+v, want %+v", i, g, w)
		}
	}
	if got[0].IsEntity() || !got[3].IsEntity() {
		t.Error("IsEntity")
	}
	var bad []Instance
	if err := json.Unmarshal([]byte(`[{"instanceId": "x", "runtimeStatus": true}]`), &bad); err == nil {
		t.Error("a boolean status was accepted")
	}
}

// The key goes to the server, and nowhere else: not in any error message
// (of any error in the chain), nor in retry notices, whatever fails.
func TestKeyNeverLeaks(t *testing.T) {
	const key = "Sup3r/S3cr3t+Key==&zz"
	spellings := []string{key, url.QueryEscape(key), url.PathEscape(key), "Sup3r", "S3cr3t"}
	var keysSeen []string
	var mu sync.Mutex
	echo := func(w http.ResponseWriter, r *http.Request) string {
		mu.Lock()
		keysSeen = append(keysSeen, r.URL.Query().Get("code"))
		mu.Unlock()
		return r.URL.String() + " code=" + r.URL.Query().Get("code")
	}
	scenarios := map[string]http.HandlerFunc{
		"401": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "unauthorized "+echo(w, r), http.StatusUnauthorized)
		},
		"403": func(w http.ResponseWriter, r *http.Request) { http.Error(w, echo(w, r), http.StatusForbidden) },
		"404": func(w http.ResponseWriter, r *http.Request) { http.Error(w, echo(w, r), http.StatusNotFound) },
		"400": func(w http.ResponseWriter, r *http.Request) { http.Error(w, echo(w, r), http.StatusBadRequest) },
		"500": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, echo(w, r), http.StatusInternalServerError)
		},
		"429": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, echo(w, r), http.StatusTooManyRequests)
		},
		"redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://login.example/"+url.PathEscape(key)+"?"+r.URL.RawQuery+"#"+key, http.StatusFound)
			echo(w, r)
		},
		"not json": func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, echo(w, r)) },
		"bad json": func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `[{"name": %q, "runtimeStatus": {"x": 1}}]`, echo(w, r))
		},
		"too large": func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "["+strings.Repeat(`"`+echo(w, r)+`",`, 100))
		},
		"slow": func(w http.ResponseWriter, r *http.Request) {
			echo(w, r)
			<-r.Context().Done()
		},
		"hangup": func(w http.ResponseWriter, r *http.Request) {
			echo(w, r)
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		},
		"loop": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(ContinuationHeader, echo(w, r))
			fmt.Fprint(w, "[]")
		},
	}
	check := func(what, text string) {
		t.Helper()
		for _, s := range spellings {
			if strings.Contains(text, s) {
				t.Errorf("%s: the key shows: %s", what, text)
			}
		}
	}
	checkErr := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", what)
			return
		}
		for e := err; e != nil; e = errors.Unwrap(e) {
			check(what, e.Error())
		}
	}
	for name, h := range scenarios {
		srv := httptest.NewServer(h)
		clock := newFakeClock()
		opts := testOptions(clock)
		opts.Key = key
		opts.MaxAttempts = 2
		opts.MaxBodyBytes = 512
		opts.RequestTimeout = 20 * time.Millisecond
		opts.OnRetry = func(e RetryEvent) { checkErr(name+" retry", e.Err) }
		_, err := mustNew(t, srv.URL, opts).ListInstances(context.Background(), Query{TaskHub: "Hub"})
		checkErr(name, err)
		check(name, fmt.Sprintf("%v %+v %#v", err, err, err))
		srv.Close()
	}
	// The caller's deadline, and an address where nothing listens.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	srv := httptest.NewServer(scenarios["slow"])
	_, err := mustNew(t, srv.URL, Options{Key: key}).ListInstances(ctx, Query{})
	cancel()
	srv.Close()
	checkErr("deadline", err)
	_, err = mustNew(t, srv.URL, Options{Key: key, Clock: newFakeClock(), MaxAttempts: 2}).ListInstances(context.Background(), Query{})
	checkErr("closed", err)
	// A key in the URL itself is refused without repeating it.
	for _, u := range []string{"https://app.example?code=" + url.QueryEscape(key), "https://x:" + url.PathEscape(key) + "@app.example", "https://app.example/%zz" + key} {
		_, err := New(u, Options{Key: key})
		checkErr("New", err)
	}
	for _, k := range keysSeen {
		if k != key {
			t.Errorf("the server saw key %q", k)
		}
	}
	if len(keysSeen) < len(scenarios) {
		t.Errorf("the key reached the server %d times", len(keysSeen))
	}
}
