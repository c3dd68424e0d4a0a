package replay

import (
	"strings"
	"testing"
	"time"
)

// fanOutHistory is FanOut's history as the API returns it: Say for Tokyo
// and Oslo scheduled together and merged into their TaskCompleted events
// in completion order, Sum still running (unmerged), an event type
// dfversion does not know, and the events that schedule nothing.
const fanOutHistory = `{"name": "FanOut", "instanceId": "f-1", "runtimeStatus": "Running",
 "historyEvents": [
  {"EventType": "ExecutionStarted", "Name": "FanOut", "Timestamp": "2025-03-01T10:00:00Z"},
  {"EventType": "TaskCompleted", "FunctionName": "Say", "ScheduledTime": "2025-03-01T10:00:01.5Z", "Timestamp": "2025-03-01T10:00:09Z"},
  {"EventType": "EventRaised", "Name": "Hurry", "Timestamp": "2025-03-01T10:00:02Z"},
  {"EventType": "TaskFailed", "FunctionName": "Say", "ScheduledTime": "2025-03-01T10:00:01.5Z", "Timestamp": "2025-03-01T10:00:05Z"},
  {"EventType": "TaskCompleted", "Timestamp": "2025-03-01T10:00:06Z"},
  {"EventType": "EntityLockRequested", "Timestamp": "2025-03-01T10:00:09.5Z"},
  {"EventType": "TaskScheduled", "Name": "Sum", "Timestamp": "2025-03-01T10:00:10Z"}
 ]}`

func TestParseHistory(t *testing.T) {
	h, err := ParseHistory([]byte(fanOutHistory))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range h.Items {
		got = append(got, it.String())
	}
	want := "activity Say|activity Say|an event of unknown type EntityLockRequested|activity Sum"
	if strings.Join(got, "|") != want {
		t.Errorf("items = %q, want %q", strings.Join(got, "|"), want)
	}
	if h.Name != "FanOut" || h.InstanceID != "f-1" || h.Status != "Running" || h.Events != 7 || h.Untimed != -1 {
		t.Errorf("history = %+v", h)
	}
	if strings.Join(h.Unknown, ",") != "EntityLockRequested" {
		t.Errorf("unknown = %v", h.Unknown)
	}
	md := NewBuilder(flows(t), nil).Build("FanOut", handlerOf(t, flows(t), "FanOut"))
	if res := md.Check(h); res.Verdict != Replays {
		t.Errorf("FanOut: %s", res.Message())
	}

	// A pending instance has no history: it replays.
	h, err = ParseHistory([]byte(`{"name": "FanOut", "instanceId": "p", "runtimeStatus": "Pending"}`))
	if err != nil || !h.NoHistory || len(h.Items) != 0 {
		t.Fatalf("pending: %+v, %v", h, err)
	}
	// A merged event without its scheduling time: the order is unknown.
	h, _ = ParseHistory([]byte(`{"historyEvents": [{"EventType": "TaskCompleted", "FunctionName": "Sum", "Timestamp": "2025-03-01T10:00:06Z"}]}`))
	if res := md.Check(h); res.Verdict != Unchecked {
		t.Errorf("untimed: %s", res.Verdict)
	}
	for _, bad := range []string{``, `[]`, `{"historyEvents": 3}`} {
		if _, err := ParseHistory([]byte(bad)); err == nil {
			t.Errorf("ParseHistory(%q) succeeded", bad)
		}
	}
}

// TestFanOutOrders: actions scheduled at the same instant are compared in
// every order, so completion order never makes a false divergence, while
// an action the code cannot schedule in any order still diverges.
func TestFanOutOrders(t *testing.T) {
	md := NewBuilder(flows(t), nil).Build("Branch", handlerOf(t, flows(t), "Branch"))
	// at gives the actions of s the scheduling times of seconds.
	at := func(s string, seconds ...int) *History {
		items := actions(s)
		for i := range items {
			items[i].At = time.Unix(int64(seconds[i]), 0)
		}
		return &History{Items: items, Untimed: -1}
	}
	// B and A at the same instant, D later: the order A B is possible.
	if res := md.Check(at("B A D", 0, 0, 1)); res.Verdict != Replays {
		t.Errorf("B A D together: %s", res.Message())
	}
	// B and C together: no order has both.
	res := md.Check(at("A B C", 0, 1, 1))
	if res.Verdict != Diverges || res.Action != 3 {
		t.Fatalf("A, then B and C together: %s", res.Message())
	}
	if msg := res.Message(); !strings.Contains(msg, "diverges at action 3: the history scheduled activity") || !strings.Contains(msg, "the code would schedule activity D here") {
		t.Errorf("message = %q", msg)
	}
}
