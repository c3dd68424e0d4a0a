package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/dfversion/dfversion/mgmt"
)

// A fake Durable Functions management API, run in the test process (the
// scripts run dfversion as a subprocess, which reaches it over loopback).
// It speaks the documented list-instances API:
//
//   - GET {base}/runtime/webhooks/durabletask/instances with the key as
//     the code query parameter (401 with an empty body when it is wrong);
//   - runtimeStatus, a comma list: names that do not parse are dropped, and
//     when none parses there is no filter;
//   - top, the page size, and the x-ms-continuation-token header, in the
//     response when there is a next page and sent back in the request;
//   - taskHub (404 for another hub), createdTimeFrom, instanceIdPrefix,
//     showInput=false (input left out).
//
// A scenario file (JSON) says what the hub holds and how it misbehaves:
//
//	{"key": "KEY", "taskHub": "OrdersHub", "pageSize": 2,
//	 "instances": [{"name": "ProcessOrder", "instanceId": "p1",
//	                "runtimeStatus": "Running", "age": "2h5m"}],
//	 "fail": [{"status": 429, "retryAfter": "0", "times": 2}],
//	 "delay": "10s", "padBytes": 34000000, "body": "<html>"}
//
// age makes createdTime that long before each request; fail answers the
// next requests with an error status (in order, each entry times times);
// delay answers late (or when the client hangs up); padBytes pads every
// page with a custom status that large; body answers 200 with that body.
//
// It also answers GET {base}/runtime/webhooks/durabletask/instances/{id}
// (showHistory=true) as the host does: 202 Accepted with the body, a
// Location header repeating the request's URL (key included) and
// Retry-After: 5 for running, pending and suspended instances, 200 for the
// others, 404 with an empty body for an unknown ID. An instance's history
// is its "history" (the historyEvents, as written), followed by
// "generate": {"activity": "Step", "times": 5000} merged TaskCompleted
// events one millisecond apart; a pending instance has no historyEvents;
// "gone": true lists the instance but answers 404 for it (it finished in
// between).
type fakeHub struct {
	srv  *httptest.Server
	done chan struct{} // closed to release slow answers on stop

	mu       sync.Mutex
	scenario hubScenario
	failures []hubFailure // what is left of scenario.Fail, expanded
	requests []string
	listings int // requests for a first page
}

type hubScenario struct {
	Key       string         `json:"key"`
	TaskHub   string         `json:"taskHub"`
	PageSize  int            `json:"pageSize"`
	Instances []hubInstance  `json:"instances"`
	Fail      []hubFailure   `json:"fail"`
	Delay     scriptDuration `json:"delay"`
	PadBytes  int            `json:"padBytes"`
	Body      *string        `json:"body"`
}

type hubInstance struct {
	Name          string          `json:"name"`
	InstanceID    string          `json:"instanceId"`
	RuntimeStatus string          `json:"runtimeStatus"`
	Age           scriptDuration  `json:"age"`
	CreatedTime   string          `json:"createdTime"`
	History       json.RawMessage `json:"history"`
	Generate      *struct {
		Activity string `json:"activity"`
		Times    int    `json:"times"`
	} `json:"generate"`
	Gone bool `json:"gone"`
}

type hubFailure struct {
	Status     int    `json:"status"`
	RetryAfter string `json:"retryAfter"`
	Times      int    `json:"times"`
}

// scriptDuration is a duration written as Go writes them ("2h5m").
type scriptDuration time.Duration

func (d *scriptDuration) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = scriptDuration(v)
	return err
}

var (
	hubsMu sync.Mutex
	hubs   = map[*testscript.TestScript]*fakeHub{}
)

// cmdFakeHub drives the fake management API of a script:
//
//	fakehub start SCENARIO   start it on 127.0.0.1 and set $HUB_URL
//	fakehub set SCENARIO     replace what it holds (between two polls)
//	fakehub waitpolls N      wait until it has been asked for N listings
//	fakehub requests         print the requests it had, the key hidden
//	fakehub stop             stop it; $HUB_URL then refuses connections
func cmdFakeHub(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: fakehub start|set|waitpolls|requests|stop [arg]")
	}
	hubsMu.Lock()
	h := hubs[ts]
	hubsMu.Unlock()
	if args[0] != "start" && h == nil {
		ts.Fatalf("fakehub %s: no hub started", args[0])
	}
	switch {
	case args[0] == "start" && len(args) == 2:
		if h != nil {
			ts.Fatalf("fakehub: already started")
		}
		h = &fakeHub{done: make(chan struct{})}
		h.load(ts, args[1])
		h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
		hubsMu.Lock()
		hubs[ts] = h
		hubsMu.Unlock()
		ts.Defer(func() {
			h.stop()
			hubsMu.Lock()
			delete(hubs, ts)
			hubsMu.Unlock()
		})
		ts.Setenv("HUB_URL", h.srv.URL)
	case args[0] == "set" && len(args) == 2:
		h.load(ts, args[1])
	case args[0] == "waitpolls" && len(args) == 2:
		n, err := strconv.Atoi(args[1])
		if err != nil {
			ts.Fatalf("fakehub waitpolls: %v", err)
		}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			h.mu.Lock()
			got := h.listings
			h.mu.Unlock()
			if got >= n {
				break
			}
			if time.Now().After(deadline) {
				ts.Fatalf("fakehub waitpolls: %d listings after 10s, want %d", got, n)
			}
		}
	case args[0] == "requests" && len(args) == 1:
		h.mu.Lock()
		for _, r := range h.requests {
			fmt.Fprintln(ts.Stdout(), r)
		}
		h.mu.Unlock()
	case args[0] == "stop" && len(args) == 1:
		h.stop()
	default:
		ts.Fatalf("usage: fakehub start|set|waitpolls|requests|stop [arg]")
	}
}

func (h *fakeHub) stop() {
	select {
	case <-h.done:
	default:
		close(h.done)
		h.srv.Close()
	}
}

func (h *fakeHub) load(ts *testscript.TestScript, file string) {
	var s hubScenario
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile(file)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		ts.Fatalf("fakehub: %s: %v", file, err)
	}
	var failures []hubFailure
	for _, f := range s.Fail {
		for range max(f.Times, 1) {
			failures = append(failures, f)
		}
	}
	h.mu.Lock()
	h.scenario, h.failures = s, failures
	h.mu.Unlock()
}

func (h *fakeHub) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	s := h.scenario
	q := r.URL.Query()
	token := r.Header.Get(mgmt.ContinuationHeader)
	h.requests = append(h.requests, describeRequest(r, s.Key))
	if token == "" {
		h.listings++
	}
	h.mu.Unlock()

	id, one := strings.CutPrefix(r.URL.Path, mgmt.InstancesPath+"/")
	switch {
	case r.URL.Path != mgmt.InstancesPath && !one:
		http.NotFound(w, r)
		return
	case r.Method != http.MethodGet:
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	case s.Key != "" && q.Get("code") != s.Key:
		w.WriteHeader(http.StatusUnauthorized) // as the host: no body
		return
	case s.TaskHub != "" && q.Get("taskHub") != "" && !strings.EqualFold(q.Get("taskHub"), s.TaskHub):
		// Echo the request, as some servers do: the key must not show.
		http.Error(w, "task hub "+q.Get("taskHub")+" not found: "+r.URL.RequestURI(), http.StatusNotFound)
		return
	}
	h.mu.Lock()
	var fail *hubFailure
	if len(h.failures) > 0 {
		fail = &h.failures[0]
		h.failures = h.failures[1:]
	}
	h.mu.Unlock()
	if fail != nil {
		if fail.RetryAfter != "" {
			w.Header().Set("Retry-After", fail.RetryAfter)
		}
		http.Error(w, http.StatusText(fail.Status)+" for "+r.URL.RequestURI(), fail.Status)
		return
	}
	if s.Delay > 0 {
		select {
		case <-time.After(time.Duration(s.Delay)):
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		}
	}
	if s.Body != nil {
		fmt.Fprint(w, *s.Body)
		return
	}
	if one {
		h.serveInstance(w, r, s, id)
		return
	}

	// Filter: unparseable statuses are dropped; none left, no filter.
	statuses := map[mgmt.Status]bool{}
	if rs := q.Get("runtimeStatus"); rs != "" {
		for _, name := range strings.Split(rs, ",") {
			if st, ok := mgmt.ParseStatus(strings.TrimSpace(name)); ok {
				statuses[st] = true
			}
		}
	}
	var from time.Time
	if v := q.Get("createdTimeFrom"); v != "" {
		var err error
		if from, err = time.Parse(time.RFC3339Nano, v); err != nil {
			http.Error(w, "bad createdTimeFrom", http.StatusBadRequest)
			return
		}
	}
	now := time.Now().UTC()
	type wireInstance struct {
		Name            string  `json:"name"`
		InstanceID      string  `json:"instanceId"`
		RuntimeStatus   string  `json:"runtimeStatus"`
		Input           any     `json:"input,omitempty"`
		CustomStatus    *string `json:"customStatus"`
		Output          any     `json:"output"`
		CreatedTime     string  `json:"createdTime"`
		LastUpdatedTime string  `json:"lastUpdatedTime"`
	}
	var selected []wireInstance
	for _, in := range s.Instances {
		st, _ := mgmt.ParseStatus(in.RuntimeStatus)
		if len(statuses) > 0 && !statuses[st] {
			continue
		}
		created := now.Add(-time.Duration(in.Age))
		if in.CreatedTime != "" {
			created, _ = time.Parse(time.RFC3339Nano, in.CreatedTime)
		}
		if !from.IsZero() && created.Before(from) {
			continue
		}
		if p := q.Get("instanceIdPrefix"); p != "" && !strings.HasPrefix(in.InstanceID, p) {
			continue
		}
		wi := wireInstance{Name: in.Name, InstanceID: in.InstanceID, RuntimeStatus: in.RuntimeStatus,
			CreatedTime: created.Format(time.RFC3339Nano), LastUpdatedTime: now.Format(time.RFC3339Nano)}
		if q.Get("showInput") != "false" {
			wi.Input = map[string]string{"order": in.InstanceID}
		}
		selected = append(selected, wi)
	}

	// Paging.
	size := len(selected)
	if top, err := strconv.Atoi(q.Get("top")); err == nil && top > 0 {
		size = top
	}
	if s.PageSize > 0 {
		size = min(size, s.PageSize)
	}
	off := 0
	if token != "" {
		raw, err := base64.StdEncoding.DecodeString(token)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "offset:"))
		if err != nil || err2 != nil || n < 0 {
			http.Error(w, "invalid continuation token", http.StatusBadRequest)
			return
		}
		off = min(n, len(selected)) // fewer instances since the last page

	}
	end := min(off+max(size, 1), len(selected))
	page := append([]wireInstance{}, selected[off:end]...)
	if end < len(selected) {
		w.Header().Set(mgmt.ContinuationHeader, base64.StdEncoding.EncodeToString([]byte("offset:"+strconv.Itoa(end))))
	}
	if s.PadBytes > 0 && len(page) > 0 {
		pad := strings.Repeat("x", s.PadBytes)
		page[0].CustomStatus = &pad
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(page)
}

// serveInstance answers for one instance with its history.
func (h *fakeHub) serveInstance(w http.ResponseWriter, r *http.Request, s hubScenario, id string) {
	var in *hubInstance
	for i := range s.Instances {
		if s.Instances[i].InstanceID == id {
			in = &s.Instances[i]
		}
	}
	if in == nil || in.Gone {
		w.WriteHeader(http.StatusNotFound) // as the host: no body
		return
	}
	body := map[string]any{"name": in.Name, "instanceId": in.InstanceID, "runtimeStatus": in.RuntimeStatus,
		"createdTime": time.Now().UTC().Add(-time.Duration(in.Age)).Format(time.RFC3339Nano), "customStatus": nil, "output": nil}
	st, _ := mgmt.ParseStatus(in.RuntimeStatus)
	if st != mgmt.Pending {
		events := []json.RawMessage{}
		if len(in.History) > 0 {
			if err := json.Unmarshal(in.History, &events); err != nil {
				http.Error(w, "scenario: history: "+err.Error(), http.StatusInternalServerError)
				return
			}
		}
		if g := in.Generate; g != nil {
			start := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
			for i := range g.Times {
				at := start.Add(time.Duration(i) * time.Millisecond)
				ev, _ := json.Marshal(map[string]any{"EventType": "TaskCompleted", "FunctionName": g.Activity,
					"ScheduledTime": at.Format(time.RFC3339Nano), "Timestamp": at.Add(time.Second).Format(time.RFC3339Nano),
					"Result": strings.Repeat("r", 100)})
				events = append(events, ev)
			}
		}
		body["historyEvents"] = events
	}
	switch st {
	case mgmt.Running, mgmt.Pending, mgmt.Suspended:
		w.Header().Set("Location", "http://"+r.Host+r.URL.RequestURI())
		w.Header().Set("Retry-After", "5")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusAccepted)
	default:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	_ = json.NewEncoder(w).Encode(body)
}

// describeRequest is one line for the request log: method, path, the query
// in key order without the key (code=ok, code=wrong or no code), and the
// continuation token, decoded.
func describeRequest(r *http.Request, key string) string {
	q := r.URL.Query()
	var parts []string
	for k, vs := range q {
		if k == "code" {
			continue
		}
		for _, v := range vs {
			parts = append(parts, k+"="+v)
		}
	}
	sort.Strings(parts)
	code := "no code"
	if q.Has("code") {
		code = "code=wrong"
		if q.Get("code") == key {
			code = "code=ok"
		}
	}
	line := fmt.Sprintf("%s %s?%s %s", r.Method, r.URL.EscapedPath(), strings.Join(parts, "&"), code)
	if tok := r.Header.Get(mgmt.ContinuationHeader); tok != "" {
		raw, _ := base64.StdEncoding.DecodeString(tok)
		line += " token=" + string(raw)
	}
	return line
}
