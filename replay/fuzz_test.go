package replay

import (
	"testing"

	"github.com/dfversion/dfversion/internal/fuzzclock"
)

// FuzzParseHistory feeds ParseHistory, which reads the management API's
// answer for one instance, arbitrary bodies, and checks what it accepts
// against an orchestrator that fans out and in. It never panics; the
// actions it returns are each from a different event of the body, and, when
// every scheduling time was read, in scheduling order; and the check gives
// a verdict on them.
func FuzzParseHistory(f *testing.F) {
	f.Add([]byte(fanOutHistory))
	for _, s := range []string{
		`{"name": "FanOut", "instanceId": "p", "runtimeStatus": "Pending"}`,
		`{"historyEvents": [{"EventType": "TaskCompleted", "FunctionName": "Sum", "Timestamp": "2025-03-01T10:00:06Z"}]}`,
		`{"historyEvents": [{"EventType": 4, "Name": "X"}, {"EventType": "TimerCreated", "Timestamp": "x"}]}`,
		`{"historyEvents": [{"EventType": "SubOrchestrationInstanceCompleted", "FunctionName": "Child", "ScheduledTime": "2025-03-01T10:00:01Z"}, {"EventType": "TimerCreated", "Timestamp": "2025-03-01T10:00:01Z"}]}`,
		`[]`, ``, `null`,
	} {
		f.Add([]byte(s))
	}
	var model *Model
	f.Fuzz(func(t *testing.T, body []byte) {
		defer fuzzclock.Start(t, body)()
		h, err := ParseHistory(body)
		if err != nil {
			return
		}
		seen := map[int]bool{}
		for i, it := range h.Items {
			if it.Event < 0 || it.Event >= h.Events || seen[it.Event] {
				t.Fatalf("item %d comes from event %d of %d (or twice)", i, it.Event, h.Events)
			}
			seen[it.Event] = true
			if h.Untimed < 0 && i > 0 && it.At.Before(h.Items[i-1].At) {
				t.Fatalf("item %d at %s comes before item %d at %s", i, it.At, i-1, h.Items[i-1].At)
			}
		}
		if model == nil { // built once per worker
			model = NewBuilder(flows(t), nil).Build("FanOut", handlerOf(t, flows(t), "FanOut"))
		}
		res := model.Check(h)
		_ = res.Message()
	})
}
