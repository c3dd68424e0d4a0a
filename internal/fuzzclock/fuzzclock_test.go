package fuzzclock

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStartKeepsTheSlowestInput(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvVar, dir)
	// busy works for d of CPU time: sleeping costs none.
	busy := func(d time.Duration) {
		for begin := cpuTime(); cpuTime()-begin < d; {
		}
	}
	run := func(input string, d time.Duration) {
		stop := Start(t, []byte(input), uint(7))
		busy(d)
		stop()
	}
	run("fast", time.Millisecond)
	run("slow", 30*time.Millisecond)
	run("fast again", time.Millisecond)
	// A long sleep, as when the worker is paused, costs no CPU time.
	stop := Start(t, []byte("paused"), uint(0))
	time.Sleep(60 * time.Millisecond)
	stop()

	data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%s.%d", t.Name(), os.Getpid())))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 {
		t.Fatalf("file has %d lines, want duration and two inputs:\n%s", len(lines), data)
	}
	if d, err := time.ParseDuration(lines[0]); err != nil || d < 30*time.Millisecond {
		t.Errorf("duration line %q, want at least 30ms", lines[0])
	}
	if want := `[]byte("slow")`; lines[1] != want {
		t.Errorf("input line %q, want %q (the slow input)", lines[1], want)
	}
	if lines[2] != "uint(7)" {
		t.Errorf("second input line %q, want uint(7)", lines[2])
	}
}

func TestStartIsSilentWithoutTheVariable(t *testing.T) {
	t.Setenv(EnvVar, "")
	dir := t.TempDir()
	t.Chdir(dir) // a relative path, were one written, would land here
	Start(t, "x")()
	if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
		t.Errorf("Start wrote %v (%v) with %s unset", entries, err, EnvVar)
	}
}
