// Command app is the analyzer's fixture: orchestrators that reach each
// kind of hazard directly, through helpers of the package and through
// other packages, and code that must not be reported.
package main

import (
	"maps"
	"math/rand"
	"net/http"
	"os"
	"slices"
	"sort"
	"time"

	"example.com/app/helpers"
	"example.com/app/localsdk"
	"example.com/app/workflows"
	"github.com/microsoft/durabletask-go/customhandler"
	"github.com/microsoft/durabletask-go/task"
)

// Clock reads the clock and waits.
func Clock(ctx *task.OrchestrationContext) (any, error) {
	start := time.Now()     // want `^time\.Now is not deterministic: read the time from ctx\.CurrentTimeUtc \(Clock -> time\.Now\) \[nondeterministic-time\]$`
	time.Sleep(time.Second) // want `^time\.Sleep waits outside the orchestration's history: .* \(Clock -> time\.Sleep\) \[nondeterministic-time\]$`
	clock := time.Now       // want `\(Clock -> time\.Now\) \[nondeterministic-time\]$`
	_ = clock
	return time.Since(start).String(), nil // want `^time\.Since reads the clock.*\(Clock -> time\.Since\)`
}

// Random draws a random number.
func Random(ctx *task.OrchestrationContext) (any, error) {
	return rand.Intn(10), nil // want `^rand\.Intn \(math/rand\) is not deterministic: .* \(Random -> rand\.Intn\) \[random\]$`
}

// Channels starts a goroutine and waits on channels.
func Channels(ctx *task.OrchestrationContext) (any, error) {
	results := make(chan int, 1) // want `^make\(chan\) waits on goroutines.*\(Channels -> make\(chan\)\) \[channel\]$`
	go worker(results)           // want `^go statement runs code outside the orchestration's history: .* \(Channels -> go statement\) \[goroutine\]$`
	select {                     // want `\(Channels -> select\) \[channel\]$`
	case r := <-results:
		return r, nil
	}
}

func worker(out chan<- int) {
	out <- 42 // want `^channel send waits on goroutines.*\(Channels -> worker -> channel send\) \[channel\]$`
}

// Maps ranges over a map, and over its sorted keys.
func Maps(ctx *task.OrchestrationContext) (any, error) {
	counts := map[string]int{"a": 1}
	var out []string
	for k := range counts { // want `^range over map visits keys in a different order on every run: .* \(Maps -> range over map\) \[map-range\]$`
		out = append(out, k)
	}
	for k := range maps.Keys(counts) { // want `\(Maps -> range over maps\.Keys\) \[map-range\]$`
		out = append(out, k)
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		out = append(out, k)
	}
	return out, nil
}

// Env reads the environment, and I/O does I/O.
func Env(ctx *task.OrchestrationContext) (any, error) {
	data, _ := os.ReadFile("config.json")         // want `^os\.ReadFile does file I/O, .* \(Env -> os\.ReadFile\) \[io\]$`
	resp, err := http.Get("https://example.com/") // want `^http\.Get does network I/O, .* \(Env -> http\.Get\) \[io\]$`
	if err == nil {
		resp.Body.Close()
	}
	return os.Getenv("REGION") + string(data), nil // want `^os\.Getenv reads the environment, .* \(Env -> os\.Getenv\) \[env-read\]$`
}

// HelloCities reaches the clock two helper calls away, and through
// another package; jitter is reached twice, and reported once, with the
// shorter path.
func HelloCities(ctx *task.OrchestrationContext) (any, error) {
	greeting := buildGreeting("Tokyo") + helpers.Stamp() // want `^time\.Now is not deterministic: .* \(HelloCities -> helpers\.Stamp -> helpers\.stamp -> time\.Now, in example\.com/app/helpers/helpers\.go:19:9\) \[nondeterministic-time\]$`
	names := []string{"b", "a"}
	sort.Slice(names, byJitter)
	return greeting + helpers.Quiet() + string(rune(helpers.Pure(2)+jitter())), nil
}

func buildGreeting(city string) string {
	return "Hello " + city + " at " + stamp()
}

func stamp() string {
	return time.Now().Format(time.Kitchen) // want `\(HelloCities -> buildGreeting -> stamp -> time\.Now\) \[nondeterministic-time\]$`
}

func byJitter(i, j int) bool {
	return jitter() > 2
}

func jitter() int {
	return rand.Intn(5) // want `\(HelloCities -> jitter -> rand\.Intn\) \[random\]$`
}

// Ignored silences hazards with every form of the directive, and has one
// that silences nothing.
func Ignored(ctx *task.OrchestrationContext) (any, error) {
	a := time.Now() //dfversion:ignore nondeterministic-time logged only, never branched on
	//dfversion:ignore random a different number on replay is harmless here
	b := rand.Intn(3)
	c := quiet()
	// want +1 `^//dfversion:ignore nondeterministic-time needs a reason: say why the hazard is safe, //dfversion:ignore nondeterministic-time <reason> \(Ignored -> //dfversion:ignore\) \[ignore-directive\]$`
	//dfversion:ignore nondeterministic-time
	d := time.Now()                    // want `\(Ignored -> time\.Now\) \[nondeterministic-time\]$`
	e := os.Getenv("E")                //dfversion:ignore random names another rule // want `\(Ignored -> os\.Getenv\) \[env-read\]$`
	f := rand.Intn(4) + helpers.Dice() // want `\(Ignored -> rand\.Intn\) \[random\]$` `\(Ignored -> helpers\.Dice -> //dfversion:ignore, in example\.com/app/helpers/helpers\.go:46:2\) \[ignore-directive\]$` `\(Ignored -> helpers\.Dice -> rand\.Intn, in example\.com/app/helpers/helpers\.go:47:9\) \[random\]$`
	g := os.Getenv("G")                //dfversion:ignore clock a typo in the rule // want `\(Ignored -> os\.Getenv\) \[env-read\]$` `^//dfversion:ignore names unknown rule clock: use all or one of nondeterministic-time, random, goroutine, channel, map-range, env-read, io \(Ignored -> //dfversion:ignore\) \[ignore-directive\]$`
	return []any{a, b, c, d, e, f, g}, nil
}

// quiet reads settings fixed for the app's lifetime; the directive in its
// doc comment does not cover its clock.
//
//dfversion:ignore env-read the settings never change while instances run
func quiet() string {
	return os.Getenv("A") + time.Now().String() // want `\(Ignored -> quiet -> time\.Now\) \[nondeterministic-time\]$`
}

// Safe does nothing that can make replay diverge.
func Safe(ctx *task.OrchestrationContext) (any, error) {
	delay := 2 * time.Minute
	if err := ctx.CreateTimer(delay).Await(nil); err != nil {
		return nil, err
	}
	var greeting string
	if err := ctx.CallActivity(SayHi, task.WithActivityInput("Tokyo")).Await(&greeting); err != nil {
		return nil, err
	}
	for _, c := range []string{"Tokyo"} {
		greeting += c
	}
	return greeting, nil
}

// SayHi is an activity: it may read the clock, for activities do not
// replay.
func SayHi(ctx task.ActivityContext) (any, error) {
	return "Hi at " + time.Now().String(), nil
}

// notReached is code no orchestrator calls.
func notReached() {
	go println(time.Now().String(), rand.Int(), os.Getenv("HOME"))
}

// literal is an orchestrator written as a func literal.
var literal = func(ctx *task.OrchestrationContext) (any, error) {
	return time.Now().String(), nil // want `\(literal -> time\.Now\) \[nondeterministic-time\]$`
}

// local is an orchestrator of the app's own SDK, known by its
// registration: the context's methods are the durable API.
func local(ctx *localsdk.Context) (any, error) {
	started := ctx.Now()
	event := <-ctx.Events()
	return started.String() + event + os.Getenv("L"), nil // want `\(local -> os\.Getenv\) \[env-read\]$`
}

// byName is registered by its Go name.
func byName(ctx *localsdk.Context) (any, error) {
	return rand.Int(), nil // want `\(byName -> rand\.Int\) \[random\]$`
}

// unregistered has an orchestrator's signature but no registration.
func unregistered(ctx *localsdk.Context) (any, error) {
	return time.Now(), nil
}

func main() {
	http.HandleFunc("/Clock", customhandler.MapOrchestrator(Clock))
	http.HandleFunc("/Plan", customhandler.MapOrchestrator(workflows.Plan))
	localsdk.Register("Local", local)
	localsdk.RegisterOrchestrator(byName)
	_, _ = literal, unregistered
	notReached()
	_ = http.ListenAndServe(":"+os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT"), nil)
}
