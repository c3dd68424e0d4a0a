package replay

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// benchHistories are n bodies of the management API for the fixture's
// Labeled orchestrator (Poll, then a timer, until done; then Done), each
// of events history events, merged in completion order as the API sends
// them; every tenth ends in an action the code cannot schedule there.
func benchHistories(n, events int) [][]byte {
	start := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	bodies := make([][]byte, n)
	for i := range n {
		evs := []map[string]any{{"EventType": "ExecutionStarted", "Name": "Labeled", "Timestamp": start.Format(time.RFC3339Nano)}}
		at := start
		for len(evs) < events {
			at = at.Add(time.Second)
			k := len(evs)
			switch {
			case k == events-1 && i%10 == 0:
				// A second timer in a row: the code polls between timers.
				evs = append(evs, map[string]any{"EventType": "TimerCreated", "Timestamp": at.Format(time.RFC3339Nano)})
			case k%3 == 1:
				evs = append(evs, map[string]any{"EventType": "TaskCompleted", "FunctionName": "Poll",
					"ScheduledTime": at.Format(time.RFC3339Nano), "Timestamp": at.Add(time.Second / 2).Format(time.RFC3339Nano), "Result": "false"})
			case k%3 == 2:
				evs = append(evs, map[string]any{"EventType": "TimerCreated", "FireAt": at.Add(time.Minute).Format(time.RFC3339Nano), "Timestamp": at.Format(time.RFC3339Nano)})
			default:
				evs = append(evs, map[string]any{"EventType": "TimerFired", "Timestamp": at.Format(time.RFC3339Nano)})
			}
		}
		body, _ := json.Marshal(map[string]any{"name": "Labeled", "instanceId": fmt.Sprintf("i-%d", i), "runtimeStatus": "Running", "historyEvents": evs})
		bodies[i] = body
	}
	return bodies
}

// replayAll parses and checks every body, as dfversion replay does after
// fetching, and counts the divergences.
func replayAll(tb testing.TB, md *Model, bodies [][]byte) int {
	diverge := 0
	for _, b := range bodies {
		h, err := ParseHistory(b)
		if err != nil {
			tb.Fatal(err)
		}
		if md.Check(h).Verdict == Diverges {
			diverge++
		}
	}
	return diverge
}

// BenchmarkReplayCheck checks 1,000 instances of 50 history events each
// (one op), after fetching: parsing the bodies and checking them. The
// floor, BenchmarkReplayFloor, only decodes the same bodies as JSON.
func BenchmarkReplayCheck(b *testing.B) {
	m := flows(b)
	md := NewBuilder(m, nil).Build("Labeled", handlerOf(b, m, "Labeled"))
	bodies := benchHistories(1000, 50)
	b.ResetTimer()
	for b.Loop() {
		if got := replayAll(b, md, bodies); got != 100 {
			b.Fatalf("%d diverge, want 100", got)
		}
	}
}

// BenchmarkReplayFloor decodes the bodies of BenchmarkReplayCheck as JSON,
// and does nothing else: the cost no check can avoid.
func BenchmarkReplayFloor(b *testing.B) {
	bodies := benchHistories(1000, 50)
	for b.Loop() {
		for _, body := range bodies {
			var v map[string]any
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestReplayManyInstances checks the benchmark's 1,000 instances of 50
// events: the 100 that were made to diverge do, the others replay. How
// long it takes is BenchmarkReplayCheck's to say, against its floor: a
// timed test fails on a busy machine, not on slow code.
func TestReplayManyInstances(t *testing.T) {
	m := flows(t)
	md := NewBuilder(m, nil).Build("Labeled", handlerOf(t, m, "Labeled"))
	if got := replayAll(t, md, benchHistories(1000, 50)); got != 100 {
		t.Fatalf("%d diverge, want 100", got)
	}
}
