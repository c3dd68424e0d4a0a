package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// vetModule is a small app for go vet: an orchestrator that reaches the
// clock through a helper, and dice through another package; an activity
// that reads the clock (not reported); a directive with a reason, and one
// without.
var vetModule = map[string]string{
	"go.mod": `module example.com/vet

go 1.26

require github.com/microsoft/durabletask-go v0.0.0

replace github.com/microsoft/durabletask-go => SDK
`,
	"main.go": `package main

import (
	"net/http"
	"os"
	"time"

	"example.com/vet/dice"
	"github.com/microsoft/durabletask-go/customhandler"
	"github.com/microsoft/durabletask-go/task"
)

// Greet greets, at a time and with luck.
func Greet(ctx *task.OrchestrationContext) (any, error) {
	region := os.Getenv("REGION") //dfversion:ignore env-read fixed for the app's lifetime
	//dfversion:ignore io
	return stamp() + region + string(rune(dice.Roll())), nil
}

func stamp() string {
	return time.Now().Format(time.RFC3339)
}

// SayHi is an activity: it may read the clock.
func SayHi(ctx task.ActivityContext) (any, error) {
	return time.Now().String(), nil
}

func main() {
	http.HandleFunc("/Greet", customhandler.MapOrchestrator(Greet))
	http.HandleFunc("/SayHi", customhandler.MapActivity(SayHi))
}
`,
	"dice/dice.go": `// Package dice rolls.
package dice

import "math/rand"

// Roll rolls a die.
func Roll() int {
	return roll()
}

func roll() int {
	return rand.Intn(6) + 1
}
`,
}

// TestVet builds dfversion-vet and runs go vet with it on vetModule, built
// against the stand-in durable SDK of testdata/sdk.
func TestVet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and runs go vet")
	}
	tmp := t.TempDir()
	tool := filepath.Join(tmp, "dfversion-vet")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	sdk, err := filepath.Abs(filepath.Join("..", "..", "testdata", "sdk"))
	if err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(tmp, "app")
	for name, content := range vetModule {
		file := filepath.Join(mod, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(strings.ReplaceAll(content, "SDK", filepath.ToSlash(sdk))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "vet", "-vettool="+tool, "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); !ok {
		t.Fatalf("go vet: %v (want exit status 1)\n%s", err, out)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if !strings.HasPrefix(line, "#") {
			got = append(got, line)
		}
	}
	slices.Sort(got)
	want := []string{
		"main.go:16:2: //dfversion:ignore io needs a reason: say why the hazard is safe, //dfversion:ignore io <reason> (Greet -> //dfversion:ignore) [ignore-directive]",
		"main.go:17:40: rand.Intn (math/rand) is not deterministic: get random values from an activity, or derive them from the instance ID (Greet -> dice.Roll -> dice.roll -> rand.Intn, in example.com/vet/dice/dice.go:12:9) [random]",
		"main.go:21:9: time.Now is not deterministic: read the time from ctx.CurrentTimeUtc (Greet -> stamp -> time.Now) [nondeterministic-time]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("go vet printed:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
