package parallel

import (
	"sync/atomic"
	"testing"
)

func TestForCallsEachIndexOnce(t *testing.T) {
	for _, c := range []struct{ n, workers int }{{0, 0}, {1, 0}, {100, 0}, {100, 1}, {100, 16}, {3, 16}} {
		calls := make([]int32, c.n)
		var running, most atomic.Int32
		For(c.n, c.workers, func(i int) {
			now := running.Add(1)
			for {
				m := most.Load()
				if now <= m || most.CompareAndSwap(m, now) {
					break
				}
			}
			atomic.AddInt32(&calls[i], 1)
			running.Add(-1)
		})
		for i, k := range calls {
			if k != 1 {
				t.Errorf("n=%d workers=%d: do(%d) called %d times", c.n, c.workers, i, k)
			}
		}
		if c.workers > 0 && int(most.Load()) > c.workers {
			t.Errorf("n=%d workers=%d: %d calls ran at once", c.n, c.workers, most.Load())
		}
	}
}
