//go:build !unix

package fuzzclock

import "time"

// cpuTime falls back to the wall clock where the process's CPU time is
// not available.
func cpuTime() time.Duration { return wallTime() }
