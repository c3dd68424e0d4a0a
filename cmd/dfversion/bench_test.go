package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
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

// smallSpec is a 20-function app, the size of a typical real one.
var smallSpec = appgen.Spec{Orchestrators: 6, Activities: 13, ActivitiesPerOrchestrator: 3}

// lockedApp generates an app of spec and records its versions as
// released, as a team does after a release.
func lockedApp(b *testing.B, spec appgen.Spec) string {
	dir := b.TempDir()
	if err := appgen.Write(dir, spec); err != nil {
		b.Fatal(err)
	}
	var stderr bytes.Buffer
	if code := run([]string{"dfversion", "--app", dir, "lock"}, io.Discard, &stderr); code != 0 {
		b.Fatalf("lock exited %d: %s", code, stderr.String())
	}
	return dir
}

func benchmarkCheck(b *testing.B, spec appgen.Spec) {
	dir := lockedApp(b, spec)
	var stderr bytes.Buffer
	for b.Loop() {
		stderr.Reset()
		if code := run([]string{"dfversion", "--app", dir, "check"}, io.Discard, &stderr); code != 0 {
			b.Fatalf("check exited %d: %s", code, stderr.String())
		}
	}
}

// BenchmarkCheck20Cold is BenchmarkCheck20 without the result cache: the
// cost of a check after an edit.
func BenchmarkCheck20Cold(b *testing.B) {
	b.Setenv("DFVERSION_CACHE", "off")
	benchmarkCheck(b, smallSpec)
}

// BenchmarkCheck500Cold is BenchmarkCheck500 without the result cache.
func BenchmarkCheck500Cold(b *testing.B) {
	b.Setenv("DFVERSION_CACHE", "off")
	benchmarkCheck(b, genSpec)
}

// BenchmarkCheck500 measures `dfversion check` (lock mode) on the
// 500-function app, warm: what a pre-commit hook costs on a large app.
func BenchmarkCheck500(b *testing.B) { benchmarkCheck(b, genSpec) }

// BenchmarkCheck20 measures `dfversion check` on a 20-function app; compare
// it with BenchmarkGofmt20.
func BenchmarkCheck20(b *testing.B) { benchmarkCheck(b, smallSpec) }

// BenchmarkGofmt20 measures `gofmt -l` on the Go files of the same
// 20-function app: the cost a pre-commit hook is expected to stay close to.
func BenchmarkGofmt20(b *testing.B) {
	dir := lockedApp(b, smallSpec)
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no Go files: %v", err)
	}
	for b.Loop() {
		if out, err := exec.Command("gofmt", append([]string{"-l"}, files...)...).CombinedOutput(); err != nil {
			b.Fatalf("gofmt: %v\n%s", err, out)
		}
	}
}
