package mgmt

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestInstanceHistory reads one instance with its history: 202 (running)
// and 200 (finished) both carry the body, 404 is ErrInstanceNotFound, a
// 429's Retry-After is waited for, the ID is escaped, and the key shows in
// no error.
func TestInstanceHistory(t *testing.T) {
	const key = "s3cret/key+1"
	var mu sync.Mutex
	var paths []string
	throttled := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath()+"?"+r.URL.RawQuery)
		first := !throttled
		throttled = true
		mu.Unlock()
		if r.URL.Query().Get("code") != key {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		id := strings.TrimPrefix(r.URL.Path, InstancesPath+"/")
		switch id {
		case "run/1":
			if first {
				w.Header().Set("Retry-After", "3")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			w.Header().Set("Location", "http://"+r.Host+r.URL.RequestURI())
			w.Header().Set("Retry-After", "5")
			w.WriteHeader(http.StatusAccepted)
			w.Write([]byte(`{"name": "Hello", "instanceId": "run/1", "runtimeStatus": "Running", "historyEvents": []}`))
		case "done":
			w.Write([]byte(`{"name": "Hello", "instanceId": "done", "runtimeStatus": "Completed", "historyEvents": []}`))
		case "broken":
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte("failed for " + r.URL.RequestURI()))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	clock := newFakeClock()
	opts := testOptions(clock)
	opts.Key, opts.MaxAttempts = key, 2
	c := mustNew(t, srv.URL, opts)
	ctx := context.Background()

	h, err := c.InstanceHistory(ctx, "run/1", Query{TaskHub: "Hub"})
	if err != nil {
		t.Fatal(err)
	}
	if h.Instance.Name != "Hello" || h.Instance.RuntimeStatus != Running || !strings.Contains(string(h.Body), `"historyEvents"`) {
		t.Errorf("history = %+v %s", h.Instance, h.Body)
	}
	if len(clock.sleeps) != 1 || clock.sleeps[0] != 3*time.Second {
		t.Errorf("sleeps = %v, want [3s]", clock.sleeps)
	}
	if want := InstancesPath + "/run%2F1?code=s3cret%2Fkey%2B1&showHistory=true&showInput=false&taskHub=Hub"; paths[0] != want {
		t.Errorf("request = %s, want %s", paths[0], want)
	}
	if h, err := c.InstanceHistory(ctx, "done", Query{}); err != nil || h.Instance.RuntimeStatus != Completed {
		t.Errorf("done: %v, %v", h, err)
	}
	if _, err := c.InstanceHistory(ctx, "gone", Query{}); !errors.Is(err, ErrInstanceNotFound) {
		t.Errorf("gone: %v, want ErrInstanceNotFound", err)
	}
	_, err = c.InstanceHistory(ctx, "broken", Query{})
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Errorf("broken: %v", err)
	}
}
