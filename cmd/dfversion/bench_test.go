package main

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"github.com/dfversion/dfversion/internal/appgen"
)

// genSpec is the app the benchmarks run on: 500 durable functions in one
// package, each orchestrator calling three activities.
var genSpec = appgen.Spec{Orchestrators: 250, Activities: 250, ActivitiesPerOrchestrator: 3}

// BenchmarkList measures `dfversion list --json` end to end on a generated
// app of 500 durable functions, go list and type-checking included.
func BenchmarkList(b *testing.B) {
	dir := b.TempDir()
	if err := appgen.Write(dir, genSpec); err != nil {
		b.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	for b.Loop() {
		stdout.Reset()
		stderr.Reset()
		if code := run([]string{"dfversion", "--app", dir, "list", "--json"}, &stdout, &stderr); code != 0 {
			b.Fatalf("list exited %d: %s", code, stderr.String())
		}
	}
	var view listView
	if err := json.Unmarshal(stdout.Bytes(), &view); err != nil {
		b.Fatal(err)
	}
	if want := len(genSpec.Names()); len(view.Functions) != want {
		b.Fatalf("list found %d functions, want %d", len(view.Functions), want)
	}
}

// BenchmarkBump measures a real `dfversion bump` end to end on a freshly
// generated app of 500 durable functions: loading, cloning 500 handlers
// and registrations, type-checking the result and writing it.
func BenchmarkBump(b *testing.B) {
	var stderr bytes.Buffer
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		if err := appgen.Write(dir, genSpec); err != nil {
			b.Fatal(err)
		}
		stderr.Reset()
		b.StartTimer()
		if code := run([]string{"dfversion", "--app", dir, "bump"}, io.Discard, &stderr); code != 0 {
			b.Fatalf("bump exited %d: %s", code, stderr.String())
		}
	}
}
