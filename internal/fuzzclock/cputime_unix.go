//go:build unix

package fuzzclock

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system, on all
// its threads: a fuzzing worker runs one input at a time, so what an
// execution adds is its own cost (its garbage collection included), and a
// worker paused or starved by other processes does not count it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return wallTime()
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
