// Package fuzzclock records the slowest input a fuzz target met, so a long
// fuzzing run can say which input cost the most and how long it took.
//
// It does nothing unless the environment variable DFVERSION_FUZZ_SLOWEST
// names a directory. Then every fuzzing worker process keeps its own slowest
// execution so far, by the CPU time it took (so that a worker paused or
// starved by other processes does not count the wait), in
// <dir>/<target>.<pid>: the duration on the first line,
// the inputs after it, one per line in the syntax of the fuzzer's own
// corpus files (so a line can be pasted into testdata/fuzz). The slowest of those files is the
// target's slowest input. Workers are separate processes, so one file each
// avoids any locking.
//
// A target starts the clock first thing in its fuzz function:
//
//	f.Fuzz(func(t *testing.T, data []byte) {
//		defer fuzzclock.Start(t, data)()
//		...
//	})
package fuzzclock

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvVar names the directory the slowest inputs are written to.
const EnvVar = "DFVERSION_FUZZ_SLOWEST"

var (
	mu      sync.Mutex
	slowest = map[string]time.Duration{}
)

// Start begins timing one execution of the fuzz function running t on
// inputs; calling the function it returns ends it, and records inputs if
// this was the slowest execution of the target in this process.
func Start(t testing.TB, inputs ...any) func() {
	dir := os.Getenv(EnvVar)
	if dir == "" {
		return func() {}
	}
	begin := cpuTime()
	return func() {
		elapsed := cpuTime() - begin
		target, _, _ := strings.Cut(t.Name(), "/")
		mu.Lock()
		defer mu.Unlock()
		if elapsed <= slowest[target] {
			return
		}
		slowest[target] = elapsed
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n", elapsed)
		for _, in := range inputs {
			fmt.Fprintln(&b, goSyntax(in))
		}
		name := filepath.Join(dir, fmt.Sprintf("%s.%d", target, os.Getpid()))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Logf("fuzzclock: %v", err)
		}
	}
}

// goSyntax writes v as the go fuzzing corpus format does: []byte("...") for
// bytes, a quoted string, or the value with its type for the rest.
func goSyntax(v any) string {
	switch v := v.(type) {
	case []byte:
		return fmt.Sprintf("[]byte(%q)", v)
	case string:
		return fmt.Sprintf("string(%q)", v)
	default:
		return fmt.Sprintf("%T(%v)", v, v)
	}
}

// start is when the process started, for wallTime.
var start = time.Now()

// wallTime is the time since the process started.
func wallTime() time.Duration { return time.Since(start) }
