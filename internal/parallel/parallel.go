// Package parallel runs independent steps of a loop on several goroutines,
// for the work dfversion does per file or per function (printing, hashing,
// fingerprinting, writing), whose results callers keep by index so that
// output order never depends on which step finished first.
package parallel

import (
	"runtime"
	"sync"
)

// For calls do(0), ..., do(n-1), each once, on up to workers goroutines
// (GOMAXPROCS of them when workers is 0 or less), and returns when all
// calls have.
func For(n, workers int, do func(i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				do(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
