// Command hazards is the fixture of dfversion's determinism checks: each
// orchestrator holds one kind of hazard, or code that must not be reported.
package main

import (
	cryptorand "crypto/rand"
	"database/sql"
	"fmt"
	"io/ioutil"
	"log"
	"maps"
	"math/rand"
	randv2 "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"example.com/durable"
	"example.com/hazards/helpers"
	"example.com/hazards/localsdk"
)

// Clock reads the clock and waits in every way the time package offers.
func Clock(ctx *durable.OrchestrationContext) (any, error) {
	start := time.Now()
	time.Sleep(time.Second)
	left := time.Until(ctx.CurrentTimeUtc.Add(time.Hour))
	timer := time.NewTimer(left)
	timer.Stop()
	ticker := time.NewTicker(time.Minute)
	ticker.Stop()
	time.AfterFunc(time.Minute, func() {})
	_ = time.Tick(time.Minute)
	_ = time.After(time.Minute)
	clock := time.Now
	_ = clock
	return time.Since(start).String(), nil
}

// Random draws from every random package.
func Random(ctx *durable.OrchestrationContext) (any, error) {
	n := rand.Intn(10)
	m := randv2.IntN(10)
	buf := make([]byte, 8)
	if _, err := cryptorand.Read(buf); err != nil {
		return nil, err
	}
	return n + m + int(buf[0]), nil
}

// Goroutines starts a goroutine whose worker sends on a channel.
func Goroutines(ctx *durable.OrchestrationContext) (any, error) {
	results := make(chan int, 1)
	go worker(results)
	return <-results, nil
}

func worker(out chan<- int) {
	out <- 42
}

// Channels waits on channels and a select.
func Channels(ctx *durable.OrchestrationContext) (any, error) {
	names := make(chan string, 2)
	names <- "a"
	quit := make(chan struct{})
	close(quit)
	select {
	case s := <-names:
		return s, nil
	case <-quit:
	}
	for s := range names {
		return s, nil
	}
	return nil, nil
}

type tally map[string]int

// Maps ranges over maps, and over what is safe.
func Maps(ctx *durable.OrchestrationContext) (any, error) {
	counts := map[string]int{"a": 1, "b": 2}
	var out []string
	for k := range counts {
		out = append(out, k)
	}
	var byCity tally = counts
	for k, v := range byCity {
		out = append(out, k+strconv.Itoa(v))
	}
	for k := range maps.Keys(counts) {
		out = append(out, k)
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		out = append(out, k)
	}
	return out, nil
}

// Env reads the environment.
func Env(ctx *durable.OrchestrationContext) (any, error) {
	region := os.Getenv("REGION")
	_, debug := os.LookupEnv("DEBUG")
	all := os.Environ()
	dataDir := os.ExpandEnv("$HOME/data")
	host, _ := os.Hostname()
	return fmt.Sprint(region, debug, len(all), dataDir, host), nil
}

var db *sql.DB

// IO does network, file, database and process I/O.
func IO(ctx *durable.OrchestrationContext) (any, error) {
	resp, err := http.Get("https://example.com/")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	req, err := http.NewRequest(http.MethodGet, "https://example.com/", nil)
	if err != nil {
		return nil, err
	}
	if _, err := http.DefaultClient.Do(req); err != nil {
		return nil, err
	}
	conn, err := net.Dial("tcp", "example.com:80")
	if err != nil {
		return nil, err
	}
	if _, err := conn.Write([]byte("ping")); err != nil {
		return nil, err
	}
	data, _ := os.ReadFile("config.json")
	_ = os.MkdirAll("cache", 0o755)
	_ = os.Remove("out.txt")
	legacy, _ := ioutil.ReadFile("legacy.txt")
	if rows, err := db.Query("SELECT 1"); err == nil {
		rows.Close()
	}
	out, _ := exec.Command("date").Output()
	return len(data) + len(legacy) + len(out), nil
}

// Greeting builds its greeting two helper calls away from the clock.
func Greeting(ctx *durable.OrchestrationContext) (any, error) {
	return buildGreeting("Tokyo"), nil
}

func buildGreeting(city string) string {
	return "Hello " + city + " at " + stamp()
}

func stamp() string {
	return time.Now().Format(time.Kitchen)
}

// Twice reaches jitter directly and through viaOther: its hazard is
// reported once, with the shorter path.
func Twice(ctx *durable.OrchestrationContext) (any, error) {
	a := viaOther()
	b := jitter()
	return a + b, nil
}

func viaOther() int {
	return jitter() * 2
}

func jitter() int {
	return rand.Intn(5)
}

// Generic reaches hazards through generic helpers.
func Generic(ctx *durable.OrchestrationContext) (any, error) {
	return pick([]string{"a", "b"}) + pickPair[string, int]("c", 1), nil
}

func pick[T any](xs []T) T {
	return xs[rand.Intn(len(xs))]
}

func pickPair[K comparable, V any](k K, v V) K {
	_ = os.Getenv("PAIR")
	return k
}

type planner struct {
	store *helpers.Store
}

// Methods reaches hazards through methods, in this package and another.
func Methods(ctx *durable.OrchestrationContext) (any, error) {
	p := &planner{store: &helpers.Store{Dir: "plans"}}
	if err := p.plan(); err != nil {
		return nil, err
	}
	return p.label(), nil
}

func (p *planner) plan() error {
	return p.store.Save("plan")
}

func (p planner) label() string {
	return os.Getenv("PLAN_LABEL")
}

// Literals runs hazards in func literals and in a function it hands to the
// standard library.
func Literals(ctx *durable.OrchestrationContext) (any, error) {
	names := []string{"b", "a"}
	sort.Slice(names, func(i, j int) bool {
		return rand.Intn(2) == 0
	})
	slices.SortFunc(names, byClock)
	read := func(key string) string { return os.Getenv(key) }
	return read("MODE"), nil
}

func byClock(a, b string) int {
	return time.Now().Nanosecond() % 3
}

// Ignored silences hazards with every form of the directive.
func Ignored(ctx *durable.OrchestrationContext) (any, error) {
	a := time.Now() //dfversion:ignore nondeterministic-time logged only, never branched on
	//dfversion:ignore random a different number on replay is harmless here
	b := rand.Intn(3)
	c := quiet()
	d := os.Getenv("X") //dfversion:ignore all read once at start-up
	e := time.Now()     //dfversion:ignore random names the wrong rule, so time.Now is reported
	f := "f"            //dfversion:ignore io a trailing directive covers its own line only
	_, _ = os.ReadFile(f)
	return fmt.Sprint(a, b, c, d, e), nil
}

// quiet reads settings fixed for the app's lifetime.
//
//dfversion:ignore env-read the settings never change while instances run
func quiet() string {
	return os.Getenv("A") + os.Getenv("B") + time.Now().String()
}

// BadDirectives has directives that silence nothing.
func BadDirectives(ctx *durable.OrchestrationContext) (any, error) {
	//dfversion:ignore nondeterministic-time
	a := time.Now()
	b := rand.Intn(2) //dfversion:ignore randomness a typo in the rule
	//dfversion:ignore
	return fmt.Sprint(a, b), nil
}

// Safe does nothing that can make replay diverge.
func Safe(ctx *durable.OrchestrationContext) (any, error) {
	delay := 2*time.Minute + 30*time.Second
	delay = delay.Round(time.Second) * 2
	due := ctx.CurrentTimeUtc.Add(delay)
	if err := ctx.CreateTimer(delay).Await(nil); err != nil {
		return nil, err
	}
	var page string
	if err := ctx.CallActivity(FetchPage).Await(&page); err != nil {
		return nil, err
	}
	cities := []string{"Tokyo", "London"}
	var out []string
	for i, c := range cities {
		out = append(out, strconv.Itoa(i)+strings.ToUpper(c))
	}
	for i := range 3 {
		out = append(out, strconv.Itoa(i))
	}
	prices := map[string]int{"tea": 3}
	price := prices["tea"]
	n, _ := strconv.Atoi("42")
	out = append(out, fmt.Sprintf("%d %d due %s", price, n, due.Format(time.RFC3339)))
	return out, nil
}

// LocalContext uses an orchestration context declared in the module.
func LocalContext(ctx *localsdk.Context) (any, error) {
	started := ctx.Now()
	event := <-ctx.Events()
	return started.String() + event, nil
}

// literal is an orchestrator written as a func literal.
var literal = func(ctx *durable.OrchestrationContext) (any, error) {
	return time.Now().String(), nil
}

// FetchPage is an activity: its I/O is where I/O belongs.
func FetchPage(ctx any) (any, error) {
	resp, err := http.Get("https://example.com/page")
	if err != nil {
		return nil, err
	}
	return resp.Status, resp.Body.Close()
}

// notReached is code no orchestrator calls.
func notReached() {
	go fmt.Println(time.Now(), rand.Int(), os.Getenv("HOME"))
}

func main() {
	for name, o := range map[string]func(*durable.OrchestrationContext) (any, error){
		"Clock": Clock, "Random": Random, "Goroutines": Goroutines, "Channels": Channels,
		"Maps": Maps, "Env": Env, "IO": IO, "Greeting": Greeting, "Twice": Twice,
		"Generic": Generic, "Methods": Methods, "Literals": Literals, "Ignored": Ignored,
		"BadDirectives": BadDirectives, "Safe": Safe, "Literal": literal,
	} {
		http.HandleFunc("/"+name, durable.Orchestrator(o))
	}
	_ = LocalContext
	notReached()
	log.Fatal(http.ListenAndServe(":"+os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT"), nil))
}
