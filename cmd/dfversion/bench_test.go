package main

// The benchmarks run dfversion's commands end to end on generated apps of
// 20, 511 and 5,101 durable functions. Their speed is judged against a
// floor measured in the same run: BenchmarkFloor* is one go/packages load
// of the same module, in the mode dfversion loads it, which any type-aware
// tool pays. Each benchmark also reports peak-heap-MB, the most heap its
// objects took at once during one command, sampled the same way for the
// floor and the commands, and the commands report their ratios to a floor
// load (to gofmt -l, for a check that hits the cache) run right before
// each: x-floor, x-floor-heap, x-gofmt. The 5,101-function ones are
// skipped with -short.

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/internal/appgen"
	"github.com/dfversion/dfversion/manifest"
	"golang.org/x/tools/go/packages"
)

var (
	// spec20 is a 20-function app, the size of a typical real one.
	spec20 = appgen.Spec{Orchestrators: 6, Activities: 13, ActivitiesPerOrchestrator: 3}
	// spec511 is 170 orchestrators each calling two of 340 activities,
	// and the client: 511 durable functions in one package.
	spec511 = appgen.Spec{Orchestrators: 170, Activities: 340, ActivitiesPerOrchestrator: 2}
	// spec5101 is spec511 ten times over: 5,101 functions.
	spec5101 = appgen.Spec{Orchestrators: 1700, Activities: 3400, ActivitiesPerOrchestrator: 2}
)

// large skips the benchmark under -short: a 5,101-function app takes
// minutes, which CI's test run does not spend.
func large(b *testing.B) {
	if testing.Short() {
		b.Skip("5,101-function app skipped with -short")
	}
}

// generate writes an app of spec into a fresh temporary directory, its
// export data in the build cache (see writeApp).
func generate(b *testing.B, spec appgen.Spec) string {
	b.Helper()
	trimPath(b)
	dir := filepath.Join(b.TempDir(), "app")
	writeApp(b, dir, spec)
	return dir
}

// writeApp writes an app of spec into dir, replacing what dir held, and
// loads it once so that the go build cache holds its export data, as
// after a go build of the app. The go list that every load runs compiles
// the module's packages when the cache does not have them; the compile is
// keyed by the package's directory (see trimPath) and dominates at 5,101
// functions (minutes), so without this warm-up a benchmark would measure the
// compiler on one iteration and not on the next.
func writeApp(b *testing.B, dir string, spec appgen.Spec) {
	b.Helper()
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := appgen.Write(dir, spec); err != nil {
		b.Fatal(err)
	}
	loadFloor(b, dir)
}

// trimPath builds with -trimpath, for the go list of every load: the
// build cache then keys the app's packages by their content alone, not
// their directory, so that the warm-up compile of a 5,101-function app is
// paid once on a machine, not once per benchmark.
func trimPath(b *testing.B) { b.Setenv("GOFLAGS", "-trimpath") }

// loadFloor loads the module in dir as dfversion's loader does, in one
// go/packages load with syntax and full type information.
func loadFloor(b *testing.B, dir string) {
	cfg := &packages.Config{Mode: goapp.LoadMode, Dir: dir}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		b.Fatal(err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) > 0 || pkgs[0].TypesInfo == nil {
		b.Fatalf("load: %d packages, errors %v", len(pkgs), pkgs[0].Errors)
	}
}

// heapObjects is the runtime metric peak heap is sampled from: the bytes
// of heap objects, live or not yet swept.
const heapObjects = "/memory/classes/heap/objects:bytes"

// reference is what a benchmark's command is compared with: a floor load,
// or gofmt -l. It runs, untimed, right before each run of the command, so
// that the ratio compares runs a moment apart, on a machine whose load
// changes (the figures of one benchmark against another's, even in the
// same go test run, vary more than the ratios).
type reference struct {
	name string // "floor" or "gofmt"
	run  func()
}

// measure runs op b.N times, with setup (untimed) before each, and
// reports peak-heap-MB: the highest heap, above what it was before, that
// any run of op reached, sampled every millisecond. With a reference, it
// also reports x-<name>, op's time over the reference's, and for a floor
// x-floor-heap, op's peak heap over the floor's.
func measure(b *testing.B, setup func(), ref *reference, op func()) {
	b.Helper()
	var peak, refPeak uint64
	var opTime, refTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if setup != nil {
			setup()
		}
		if ref != nil {
			runtime.GC()
			start := time.Now()
			refPeak = max(refPeak, peakHeap(ref.run))
			refTime += time.Since(start)
		}
		runtime.GC()
		b.StartTimer()
		start := time.Now()
		peak = max(peak, peakHeap(op))
		opTime += time.Since(start)
	}
	b.StopTimer()
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	if ref != nil {
		b.ReportMetric(float64(opTime)/float64(refTime), "x-"+ref.name)
		if refPeak > 0 && ref.name == "floor" { // gofmt's heap is another process's
			b.ReportMetric(float64(peak)/float64(refPeak), "x-"+ref.name+"-heap")
		}
	}
}

// floorOf is the floor reference of the app in dir.
func floorOf(b *testing.B, dir *string) *reference {
	return &reference{name: "floor", run: func() { loadFloor(b, *dir) }}
}

// peakHeap runs op and returns the most its heap objects took at once
// above what they took when it started.
func peakHeap(op func()) uint64 {
	read := func(s []metrics.Sample) uint64 {
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	base := read([]metrics.Sample{{Name: heapObjects}})
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: heapObjects}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		var peak uint64
		for {
			peak = max(peak, read(s))
			select {
			case <-done:
				result <- peak
				return
			case <-tick.C:
			}
		}
	}()
	op()
	close(done)
	peak := <-result
	if peak < base {
		return 0
	}
	return peak - base
}

// benchmarkFloor measures one go/packages load of the app's module with
// syntax and full type information, in the mode dfversion's loader uses:
// the least any type-aware tool pays.
func benchmarkFloor(b *testing.B, spec appgen.Spec) {
	dir := generate(b, spec)
	measure(b, nil, nil, func() { loadFloor(b, dir) })
}

// BenchmarkFloor20 is the floor of the 20-function app.
func BenchmarkFloor20(b *testing.B) { benchmarkFloor(b, spec20) }

// BenchmarkFloor511 is the floor of the 511-function app.
func BenchmarkFloor511(b *testing.B) { benchmarkFloor(b, spec511) }

// BenchmarkFloor5101 is the floor of the 5,101-function app.
func BenchmarkFloor5101(b *testing.B) { large(b); benchmarkFloor(b, spec5101) }

// runOK runs dfversion with args and fails the benchmark unless it exits 0.
func runOK(b *testing.B, stdout io.Writer, args ...string) {
	var stderr bytes.Buffer
	if code := run(append([]string{"dfversion"}, args...), stdout, &stderr); code != 0 {
		b.Fatalf("%v exited %d: %s", args, code, stderr.String())
	}
}

// benchmarkList measures `dfversion list --json`.
func benchmarkList(b *testing.B, spec appgen.Spec) {
	dir := generate(b, spec)
	var stdout bytes.Buffer
	measure(b, stdout.Reset, floorOf(b, &dir), func() { runOK(b, &stdout, "--app", dir, "list", "--json") })
	var view listView
	if err := json.Unmarshal(stdout.Bytes(), &view); err != nil {
		b.Fatal(err)
	}
	if want := len(spec.Names()); len(view.Functions) != want {
		b.Fatalf("list found %d functions, want %d", len(view.Functions), want)
	}
}

// BenchmarkList20 measures list on the 20-function app.
func BenchmarkList20(b *testing.B) { benchmarkList(b, spec20) }

// BenchmarkList511 measures list on the 511-function app.
func BenchmarkList511(b *testing.B) { benchmarkList(b, spec511) }

// BenchmarkList5101 measures list on the 5,101-function app.
func BenchmarkList5101(b *testing.B) { large(b); benchmarkList(b, spec5101) }

// benchmarkLock measures `dfversion lock` writing a new lock file, as on
// adopting dfversion.
func benchmarkLock(b *testing.B, spec appgen.Spec) {
	dir := generate(b, spec)
	lockPath := filepath.Join(dir, manifest.LockFile)
	measure(b, func() { _ = os.Remove(lockPath) }, floorOf(b, &dir), func() { runOK(b, io.Discard, "--app", dir, "lock") })
	if _, err := os.Stat(lockPath); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkLock511 measures lock on the 511-function app.
func BenchmarkLock511(b *testing.B) { benchmarkLock(b, spec511) }

// BenchmarkLock5101 measures lock on the 5,101-function app.
func BenchmarkLock5101(b *testing.B) { large(b); benchmarkLock(b, spec5101) }

// lockedApp generates an app of spec and records its versions as
// released, as a team does after a release.
func lockedApp(b *testing.B, spec appgen.Spec) string {
	dir := generate(b, spec)
	runOK(b, io.Discard, "--app", dir, "lock")
	return dir
}

// benchmarkCheck measures `dfversion check` (lock mode) on a locked app.
// With the cache on, a first check, untimed, fills it: the benchmark is
// that of a hit, what a pre-commit hook costs on an unchanged tree.
func benchmarkCheck(b *testing.B, spec appgen.Spec, cache bool) {
	b.Setenv("XDG_CACHE_HOME", b.TempDir())
	if !cache {
		b.Setenv("DFVERSION_CACHE", "off")
	}
	dir := lockedApp(b, spec)
	ref := floorOf(b, &dir)
	if cache {
		runOK(b, io.Discard, "--app", dir, "check")
		ref = &reference{name: "gofmt", run: func() { gofmtL(b, dir) }}
	}
	measure(b, nil, ref, func() { runOK(b, io.Discard, "--app", dir, "check") })
}

// BenchmarkCheck20Cold measures check without the result cache on the
// 20-function app: the cost of a check after an edit.
func BenchmarkCheck20Cold(b *testing.B) { benchmarkCheck(b, spec20, false) }

// BenchmarkCheck511Cold is BenchmarkCheck20Cold on the 511-function app.
func BenchmarkCheck511Cold(b *testing.B) { benchmarkCheck(b, spec511, false) }

// BenchmarkCheck5101Cold is BenchmarkCheck20Cold on the 5,101-function
// app.
func BenchmarkCheck5101Cold(b *testing.B) { large(b); benchmarkCheck(b, spec5101, false) }

// BenchmarkCheck20 measures a check of the 20-function app that hits the
// cache; compare it with BenchmarkGofmt20.
func BenchmarkCheck20(b *testing.B) { benchmarkCheck(b, spec20, true) }

// BenchmarkCheck511 is BenchmarkCheck20 on the 511-function app; compare
// it with BenchmarkGofmt511.
func BenchmarkCheck511(b *testing.B) { benchmarkCheck(b, spec511, true) }

// BenchmarkCheck5101 is BenchmarkCheck20 on the 5,101-function app;
// compare it with BenchmarkGofmt5101.
func BenchmarkCheck5101(b *testing.B) { large(b); benchmarkCheck(b, spec5101, true) }

// benchmarkGofmt measures `gofmt -l` on the Go files of a locked app of
// spec: the cost a check that hits the cache is expected to stay close to.
func benchmarkGofmt(b *testing.B, spec appgen.Spec) {
	dir := lockedApp(b, spec)
	measure(b, nil, nil, func() { gofmtL(b, dir) })
}

// gofmtL runs gofmt -l on the Go files of the app in dir.
func gofmtL(b *testing.B, dir string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no Go files: %v", err)
	}
	if out, err := exec.Command("gofmt", append([]string{"-l"}, files...)...).CombinedOutput(); err != nil {
		b.Fatalf("gofmt: %v\n%s", err, out)
	}
}

// BenchmarkGofmt20 measures gofmt -l on the 20-function app.
func BenchmarkGofmt20(b *testing.B) { benchmarkGofmt(b, spec20) }

// BenchmarkGofmt511 measures gofmt -l on the 511-function app.
func BenchmarkGofmt511(b *testing.B) { benchmarkGofmt(b, spec511) }

// BenchmarkGofmt5101 measures gofmt -l on the 5,101-function app.
func BenchmarkGofmt5101(b *testing.B) { large(b); benchmarkGofmt(b, spec5101) }

// benchmarkBump measures a real `dfversion bump` on a freshly generated
// app (generated untimed, in the same directory each time so that the
// build cache serves it): loading, cloning every handler and
// registration, type-checking the result and writing it.
func benchmarkBump(b *testing.B, spec appgen.Spec) {
	trimPath(b)
	dir := filepath.Join(b.TempDir(), "app")
	measure(b, func() { writeApp(b, dir, spec) }, floorOf(b, &dir), func() { runOK(b, io.Discard, "--app", dir, "bump") })
}

// BenchmarkBump20 measures bump on the 20-function app.
func BenchmarkBump20(b *testing.B) { benchmarkBump(b, spec20) }

// BenchmarkBump511 measures bump on the 511-function app.
func BenchmarkBump511(b *testing.B) { benchmarkBump(b, spec511) }

// BenchmarkBump5101 measures bump on the 5,101-function app.
func BenchmarkBump5101(b *testing.B) { large(b); benchmarkBump(b, spec5101) }
