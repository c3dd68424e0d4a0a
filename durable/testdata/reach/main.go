// Command reach is the fixture of the reach tests: each orchestrator
// reaches code through one kind of edge.
package main

import (
	"log"
	"os"
	"sort"
	"strings"

	"example.com/reach/helpers"
)

// Context stands in for the durable SDK's orchestration context.
type Context struct{}

// Writes: cities is assigned in init, sorted in reorder, set by setCities,
// which main calls; Show and logged only read it.
var cities = []string{"Tokyo", "London"}

func init() { cities = append([]string{"Oslo"}, cities...) }

func reorder() { sort.Strings(cities) }

func setCities(c []string) { cities = c }

var logger = log.New(os.Stderr, "", 0)

// Loop reads cities.
func Loop(ctx *Context) (any, error) {
	var out []string
	for _, c := range cities {
		out = append(out, c)
	}
	return out, nil
}

// Show reads a string of cities and logs: not a writer.
func Show() string {
	logger.Printf("showing %d cities", len(cities))
	return cities[0]
}

// Store is implemented by fileStore and memStore, not by other.
type Store interface{ Save(string) error }

type fileStore struct{}

func (*fileStore) Save(string) error { return nil }

type memStore struct{ items []string }

func (m memStore) Save(s string) error { return nil }

func (memStore) Load() string { return "" }

type other struct{}

func (other) Save(int) error { return nil }

// Persist calls an interface method.
func Persist(ctx *Context, s Store) (any, error) { return nil, s.Save("x") }

var greeters = map[string]func(string) string{"en": greetEN}

func greetEN(n string) string { return "Hello " + n }

func shout(n string) string { return strings.ToUpper(n) }

func count(n string) int { return len(n) }

// Greet calls a func value from a map.
func Greet(ctx *Context) (any, error) { return greeters["en"]("Ada"), nil }

// Labels reaches helpers and its init.
func Labels(ctx *Context) (any, error) { return helpers.Label("Oslo"), nil }

// Flush calls the func value it is given: main gives it an interface's
// method value.
func Flush(ctx *Context, save func(string) error) (any, error) { return nil, save("x") }

func main() {
	var s Store = memStore{}
	_, _ = Flush(nil, s.Save)
	setCities([]string{"Rome"})
	reorder()
	f := shout
	g := count
	h := func(s string) string { return s + "!" }
	_, _, _ = f, g, h
}

// Log is the module's own logger: Info only reads it.
type Log struct{ prefix string }

// Info logs a line.
func (l *Log) Info(msg string) { println(l.prefix + msg) }

var mlog = &Log{prefix: "app: "}

// Tally counts: Add changes it, Count reads it.
type Tally struct{ n int }

// Add counts one.
func (t *Tally) Add() { t.n++ }

// Count reads the count.
func (t *Tally) Count() int { return t.n }

var tally Tally

// Audit reads tally and logs.
func Audit(ctx *Context) (any, error) {
	mlog.Info("audit")
	return tally.Count(), nil
}

// Record counts: it may change tally.
func Record() { tally.Add() }

// Ping only logs, Peek only reads tally: neither changes what Audit reads.
func Ping() { mlog.Info("ping") }

// Peek reads tally.
func Peek() int { return tally.Count() }
