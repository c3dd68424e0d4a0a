package durable

import (
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/goapp"
)

// writesSource declares package variables and, for each, functions that
// may change it (named w...) and functions that only read it (named r...).
const writesSource = `package main

import (
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
)

type config struct {
	Name  string
	Port  int
	Hosts []string
}

type counter struct{ n int }

func (c *counter) inc()      { c.n++ }
func (c *counter) get() int  { return c.n }
func (c counter) twice() int { return 2 * c.n }

var (
	xs     = []string{"a", "b"}
	cfg    = config{Name: "n", Hosts: []string{"h"}}
	byName = map[string]int{"a": 1}
	n      int
	cnt    counter
	logger = log.New(os.Stderr, "", 0)
	sink   []string
)

func wAssign()       { xs = nil }
func wIndex()        { xs[0] = "z" }
func wAppend()       { xs = append(xs, "c") }
func wField()        { cfg.Name = "m" }
func wFieldIndex()   { cfg.Hosts[0] = "g" }
func wOpAssign()     { n += 2 }
func wIncDec()       { n++ }
func wAddr()         { p := &n; *p = 3 }
func wAddrField()    { _ = &cfg.Port }
func wMapSet()       { byName["b"] = 2 }
func wDelete()       { delete(byName, "a") }
func wCopy()         { s := xs; s[0] = "q" }
func wCallArg()      { sort.Strings(xs) }
func wFieldCallArg() { sort.Strings(cfg.Hosts) }
func wReturn() []string { return xs }
func wComposite()    { sink = [][]string{xs}[0] }
func wPtrMethod()    { cnt.inc() }
func wRangeRef()     { for _, h := range [][]string{cfg.Hosts} { h[0] = "" } }
func wSlice()        { s := xs[:1]; s[0] = "" }
func wPrint()        { fmt.Println(xs) }

func rLen() int        { return len(xs) }
func rElem() string    { return xs[0] }
func rField() string   { return cfg.Name + fmt.Sprint(cfg.Port) }
func rElems() string   { return strings.Join([]string{xs[0], xs[1]}, "") }
func rRangeVals() int  { t := 0; for _, v := range byName { t += v }; return t }
func rCompare() bool   { return xs == nil || n > 2 }
func rMapGet() int     { return byName["a"] }
func rCopyValue() int  { m := n; m++; return m }
func rLogger()         { logger.Printf("%d", n) }
func rGet() int        { return cnt.get() }
func rValueMethod() int { return cnt.twice() }
func rStructCopy() string { c := cfg.Name; return c }
func rSwitch() int     { switch n { case 1: return 1 }; return 0 }
func rIndexKey() int   { return len(xs[n:]) }

func main() {}
`

func TestWriters(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/w\n\ngo 1.26\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(writesSource), 0o666); err != nil {
		t.Fatal(err)
	}
	m, err := goapp.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) > 0 {
		t.Fatalf("the source does not type-check: %v", m.Warnings)
	}
	x := reachIndexOf(m)
	writes := map[string][]string{} // function -> variables it may change
	for v, sites := range x.writers {
		for _, s := range sites {
			how := "~"
			if s.assign {
				how = "="
			}
			writes[s.by.Name()] = append(writes[s.by.Name()], how+v.Name())
		}
	}
	for _, fn := range m.Packages[0].Types.Scope().Names() {
		obj, ok := m.Packages[0].Types.Scope().Lookup(fn).(*types.Func)
		if !ok {
			continue
		}
		got := writes[obj.Name()]
		sort.Strings(got)
		switch {
		case strings.HasPrefix(fn, "w") && len(got) == 0:
			t.Errorf("%s changes a variable; the index has no write", fn)
		case strings.HasPrefix(fn, "r") && len(got) > 0:
			t.Errorf("%s only reads; the index says it may change %v", fn, got)
		}
	}
	// How a few of them write.
	for fn, want := range map[string]string{
		"wAssign": "=xs", "wIndex": "=xs", "wField": "=cfg", "wIncDec": "=n",
		"wAddr": "~n", "wCopy": "~xs", "wCallArg": "~xs", "wPtrMethod": "~cnt", "wReturn": "~xs",
	} {
		if got := strings.Join(writes[fn], " "); got != want {
			t.Errorf("%s: writes %q, want %q", fn, got, want)
		}
	}
	// The methods: inc changes its receiver, get and twice do not.
	for name, want := range map[string]bool{"inc": true, "get": false, "twice": false} {
		var fn *types.Func
		for f := range m.FuncDecls() {
			if f.Name() == name {
				fn = f
			}
		}
		if got := x.changesRecv[fn]; got != want {
			t.Errorf("%s changes its receiver: %v, want %v", name, got, want)
		}
	}
}
