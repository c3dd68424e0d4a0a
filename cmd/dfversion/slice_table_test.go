package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sliceApp is the released app the table edits: one orchestrator with a
// guarded call, a retry loop bounded by a constant, calls named by a helper
// over a package variable, and a helper used only for a log message.
var sliceApp = map[string]string{
	"host.json": `{"version": "2.0", "customHandler": {"description": {"defaultExecutablePath": "app"}, "enableForwardingHttpRequest": true},
 "extensions": {"durableTask": {"hubName": "OrdersHub"}}}
`,
	"ProcessOrder/function.json": `{"bindings": [{"name": "context", "type": "orchestrationTrigger", "direction": "in"}]}
`,
	"main.go": `package main

import (
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/microsoft/durabletask-go/customhandler"
	"github.com/microsoft/durabletask-go/task"
)

// regions decides where an order ships.
var regions = []string{"eu", "us"}

// maxNotices bounds the notices sent.
const maxNotices = 3

// Order is an order to process.
type Order struct {
	ID    string
	Kind  string
	Items []string
}

// ProcessOrder charges, wraps gifts, notifies and ships an order.
func ProcessOrder(ctx *task.OrchestrationContext) (any, error) {
	var order Order
	if err := ctx.GetInput(&order); err != nil {
		return nil, fmt.Errorf("reading the order: %w", err)
	}
	log.Printf("processing %s", describe(order))
	count := len(order.Items)
	summary := "order " + order.ID
	var receipt string
	if err := ctx.CallActivity(Charge, task.WithActivityInput(order.ID)).Await(&receipt); err != nil {
		return nil, err
	}
	if order.Kind == "gift" {
		if err := ctx.CallActivity(Wrap, task.WithActivityInput(order.ID)).Await(nil); err != nil {
			return nil, err
		}
	}
notices:
	for i := 0; i < maxNotices; i++ {
		if err := ctx.CallActivity(Notify, task.WithActivityInput(summary)).Await(nil); err == nil {
			break notices
		}
	}
	for _, r := range regions {
		if err := ctx.CallActivity(shipper(r), task.WithActivityInput(order.ID)).Await(nil); err != nil {
			return nil, err
		}
	}
	return map[string]any{"receipt": receipt, "items": count}, nil
}

// shipper names the activity that ships to a region.
func shipper(region string) string {
	if region == "eu" {
		return "ShipEU"
	}
	return "ShipUS"
}

// describe says what an order is, for the log.
func describe(o Order) string {
	return fmt.Sprintf("order %s (%d items)", o.ID, len(o.Items))
}

func Charge(actx task.ActivityContext) (any, error)  { return "r-1", nil }
func Wrap(actx task.ActivityContext) (any, error)    { return nil, nil }
func Notify(actx task.ActivityContext) (any, error)  { return nil, nil }
func ShipEU(actx task.ActivityContext) (any, error)  { return strings.ToUpper("eu"), nil }
func ShipUS(actx task.ActivityContext) (any, error)  { return strings.ToUpper("us"), nil }

func main() {
	http.HandleFunc("/ProcessOrder", customhandler.MapOrchestrator(ProcessOrder))
	http.HandleFunc("/Charge", customhandler.MapActivity(Charge))
	http.HandleFunc("/Wrap", customhandler.MapActivity(Wrap))
	http.HandleFunc("/Notify", customhandler.MapActivity(Notify))
	http.HandleFunc("/ShipEU", customhandler.MapActivity(ShipEU))
	http.HandleFunc("/ShipUS", customhandler.MapActivity(ShipUS))
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`,
}

// sliceEdit replaces old, which must occur exactly once in main.go (or
// every time, with all set), by new.
type sliceEdit struct {
	old, new string
	all      bool
}

// sliceCases is the table of edits of the released ProcessOrder: each is
// safe (replay compares nothing it changes: check passes, a note at most)
// or breaking (it changes which durable calls happen, with which targets,
// in which order: check fails with rule). Add a case with its reason.
var sliceCases = []struct {
	name   string
	safe   bool
	reason string
	edits  []sliceEdit
	rule   string // the finding expected; "" for none at all
	// at is, for released-code-changed, text of the edited main.go on the
	// line the finding must point at (its last occurrence): the first
	// durable decision the edit changes, a call or a helper's result.
	at string
}{
	// Safe.
	{"rename a local", true, "names of locals are not compared",
		[]sliceEdit{{"receipt", "chargeID", true}}, "released-value-changed", ""},
	{"rename the context parameter", true, "names of parameters are not compared",
		[]sliceEdit{{"ctx", "octx", true}}, "released-value-changed", ""},
	{"rename a loop variable", true, "names of locals are not compared",
		[]sliceEdit{{"for i := 0; i < maxNotices; i++", "for n := 0; n < maxNotices; n++", false}}, "released-value-changed", ""},
	{"rename a label", true, "labels are names",
		[]sliceEdit{{"notices", "notify", true}}, "released-value-changed", ""},
	{"change a log message", true, "log output is not compared",
		[]sliceEdit{{`log.Printf("processing %s"`, `log.Printf("handling %s now"`, false}}, "released-value-changed", ""},
	{"add a log line", true, "log output is not compared",
		[]sliceEdit{{"\tcount := len(order.Items)\n", "\tcount := len(order.Items)\n\tlog.Printf(\"%d items\", count)\n", false}}, "released-value-changed", ""},
	{"change a helper used only for a log message", true, "describe feeds no durable decision",
		[]sliceEdit{{`"order %s (%d items)"`, `"order %s, %d items"`, false}}, "released-value-changed", ""},
	{"wrap an error on a path that returns it", true, "the error text is the output",
		[]sliceEdit{{"Await(&receipt); err != nil {\n\t\treturn nil, err", "Await(&receipt); err != nil {\n\t\treturn nil, fmt.Errorf(\"charging %s: %w\", order.ID, err)", false}}, "released-value-changed", ""},
	{"reword the error returned when the input is bad", true, "error text is output",
		[]sliceEdit{{"reading the order: %w", "decoding the order: %w", false}}, "released-value-changed", ""},
	{"change an activity's input", true, "inputs are not compared on replay",
		[]sliceEdit{{"CallActivity(Charge, task.WithActivityInput(order.ID))", "CallActivity(Charge, task.WithActivityInput(order.ID+\"-charge\"))", false}}, "released-value-changed", ""},
	{"change an input built from a local", true, "inputs are not compared on replay",
		[]sliceEdit{{`summary := "order " + order.ID`, `summary := strings.ToUpper("Order " + order.ID)`, false}}, "released-value-changed", ""},
	{"change the output", true, "the output is not compared on replay",
		[]sliceEdit{{`"receipt": receipt, "items": count`, `"receipt": receipt, "count": count, "id": order.ID`, false}}, "released-value-changed", ""},
	{"add a comment", true, "comments are not code",
		[]sliceEdit{{"\tvar receipt string\n", "\t// The receipt is what Charge returns.\n\tvar receipt string\n", false}}, "", ""},
	{"reformat a call", true, "layout is not code",
		[]sliceEdit{{"CallActivity(Notify, task.WithActivityInput(summary))", "CallActivity(\n\t\t\tNotify,\n\t\t\ttask.WithActivityInput(summary),\n\t\t)", false}}, "", ""},
	{"reorder independent local statements", true, "count and summary feed no durable decision",
		[]sliceEdit{{"\tcount := len(order.Items)\n\tsummary := \"order \" + order.ID\n", "\tsummary := \"order \" + order.ID\n\tcount := len(order.Items)\n", false}}, "released-value-changed", ""},

	// Breaking.
	{"reorder calls", false, "Charge and the gift wrap swap places in the history",
		[]sliceEdit{
			{"\tif err := ctx.CallActivity(Charge, task.WithActivityInput(order.ID)).Await(&receipt); err != nil {\n\t\treturn nil, err\n\t}\n", "", false},
			{"notices:\n", "\tif err := ctx.CallActivity(Charge, task.WithActivityInput(order.ID)).Await(&receipt); err != nil {\n\t\treturn nil, err\n\t}\nnotices:\n", false},
		}, "released-calls-changed", ""},
	{"add a call", false, "a new action in the history",
		[]sliceEdit{{"notices:\n", "\tctx.CreateTimer(0).Await(nil)\nnotices:\n", false}}, "released-calls-changed", ""},
	{"change the condition guarding a call", false, "decides whether Wrap happens",
		[]sliceEdit{{`order.Kind == "gift"`, `order.Kind == "present"`, false}}, "released-code-changed", `CallActivity(Wrap`},
	{"negate an error check", false, "decides whether the calls after it happen",
		[]sliceEdit{{"Await(&receipt); err != nil {", "Await(&receipt); err == nil {", false}}, "released-code-changed", `CallActivity(Wrap`},
	{"change a loop bound", false, "decides how many times Notify is called",
		[]sliceEdit{{"i < maxNotices", "i < maxNotices-1", false}}, "released-code-changed", `CallActivity(Notify`},
	{"change a constant used as a loop bound", false, "decides how many times Notify is called",
		[]sliceEdit{{"const maxNotices = 3", "const maxNotices = 4", false}}, "released-code-changed", `const maxNotices`},
	{"drop the loop's break", false, "decides how many times Notify is called",
		[]sliceEdit{{"\t\t\tbreak notices\n", "\t\t\tcontinue notices\n", false}}, "released-code-changed", `CallActivity(Notify`},
	{"add an early return before a call", false, "the calls after it may not happen",
		[]sliceEdit{{"\tvar receipt string\n", "\tvar receipt string\n\tif count == 0 {\n\t\treturn nil, nil\n\t}\n", false}}, "released-code-changed", `CallActivity(Charge`},
	{"add a panic before a call", false, "the calls after it may not happen",
		[]sliceEdit{{"\tvar receipt string\n", "\tvar receipt string\n\tif order.ID == \"\" {\n\t\tpanic(\"no order ID\")\n\t}\n", false}}, "released-code-changed", `panic("no order ID")`},
	{"turn an error return into log and continue", false, "the calls after it happen where they did not",
		[]sliceEdit{{"Await(nil); err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t}\nnotices", "Await(nil); err != nil {\n\t\t\tlog.Printf(\"wrapping: %v\", err)\n\t\t}\n\t}\nnotices", false}}, "released-code-changed", `CallActivity(Notify`},
	{"compute a target name differently", false, "the target of the shipping calls",
		[]sliceEdit{{"CallActivity(shipper(r),", "CallActivity(shipper(strings.ToLower(r)),", false}}, "released-code-changed", `CallActivity(shipper`},
	{"change a helper's branch that decides a call", false, "shipper names the activity",
		[]sliceEdit{{`region == "eu"`, `region == "EU"`, false}}, "released-code-changed", `return "ShipEU"`},
	{"change a helper's result that names a call", false, "shipper names the activity",
		[]sliceEdit{{`return "ShipUS"`, `return "ShipEU"`, false}}, "released-code-changed", `return "ShipEU"`},
	{"change a package variable that decides a call", false, "regions decides the shipping calls",
		[]sliceEdit{{`[]string{"eu", "us"}`, `[]string{"eu", "us", "us"}`, false}}, "released-code-changed", `var regions`},
	{"decide a call by a value that only fed the output", false, "count now decides whether Wrap happens",
		[]sliceEdit{{`if order.Kind == "gift" {`, `if order.Kind == "gift" && count > 0 {`, false}}, "released-code-changed", `CallActivity(Wrap`},
}

// TestSliceTable runs every edit of sliceCases through 'dfversion check'
// against the lock of the released app, and checks its exit status and
// finding.
func TestSliceTable(t *testing.T) {
	t.Setenv("DFVERSION_CACHE", "off")
	sdk, err := filepath.Abs(filepath.Join(repoTestdata, "sdk"))
	if err != nil {
		t.Fatal(err)
	}
	released := t.TempDir()
	files := map[string]string{"go.mod": "module example.com/orders\n\ngo 1.26\n\nrequire github.com/microsoft/durabletask-go v0.0.0\n\nreplace github.com/microsoft/durabletask-go => " + filepath.ToSlash(sdk) + "\n"}
	for name, content := range sliceApp {
		files[name] = content
	}
	for _, a := range []string{"Charge", "Wrap", "Notify", "ShipEU", "ShipUS"} {
		files[a+"/function.json"] = `{"bindings": [{"name": "input", "type": "activityTrigger", "direction": "in"}]}` + "\n"
	}
	for name, content := range files {
		writeFile(t, filepath.Join(released, name), content)
	}
	var stderr bytes.Buffer
	if code := run([]string{"dfversion", "--app", released, "lock"}, io.Discard, &stderr); code != 0 {
		t.Fatalf("lock exited %d: %s", code, stderr.String())
	}
	var stdout bytes.Buffer
	if code := run([]string{"dfversion", "--app", released, "check"}, &stdout, &stderr); code != 0 || stdout.Len() > 0 {
		t.Fatalf("the released app fails check (%d): %s%s", code, stdout.String(), stderr.String())
	}
	lock, err := os.ReadFile(filepath.Join(released, "dfversion.lock"))
	if err != nil {
		t.Fatal(err)
	}
	breaking := 0
	for _, c := range sliceCases {
		if !c.safe {
			breaking++
		}
	}
	if len(sliceCases) < 25 || breaking < 10 || len(sliceCases)-breaking < 10 {
		t.Fatalf("the table has %d edits, %d breaking", len(sliceCases), breaking)
	}
	for _, c := range sliceCases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range files {
				writeFile(t, filepath.Join(dir, name), content)
			}
			writeFile(t, filepath.Join(dir, "dfversion.lock"), string(lock))
			src := files["main.go"]
			for _, e := range c.edits {
				if n := strings.Count(src, e.old); n == 0 || n > 1 && !e.all {
					t.Fatalf("%q occurs %d times in main.go", e.old, n)
				}
				src = strings.ReplaceAll(src, e.old, e.new)
			}
			writeFile(t, filepath.Join(dir, "main.go"), src)
			var stdout, stderr bytes.Buffer
			code := run([]string{"dfversion", "--app", dir, "check"}, &stdout, &stderr)
			out := stdout.String()
			want := 1
			if c.safe {
				want = 0
			}
			if code != want {
				t.Errorf("%s (%s): check exited %d, want %d:\n%s%s", c.name, c.reason, code, want, out, stderr.String())
			}
			if c.rule == "" && out != "" {
				t.Errorf("%s: check found:\n%s", c.name, out)
			}
			if c.rule != "" && !strings.Contains(out, "["+c.rule+"]") {
				t.Errorf("%s: check found no %s:\n%s", c.name, c.rule, out)
			}
			if c.at != "" {
				line := 1 + strings.Count(src[:strings.LastIndex(src, c.at)], "\n")
				if !strings.Contains(out, fmt.Sprintf("main.go:%d:", line)) {
					t.Errorf("%s: the finding is not at line %d (%s):\n%s", c.name, line, c.at, out)
				}
			}
			if c.safe && c.rule != "" {
				// Every change to a released version fails with --strict.
				stdout.Reset()
				if code := run([]string{"dfversion", "--app", dir, "check", "--strict"}, &stdout, &stderr); code != 1 {
					t.Errorf("%s: check --strict exited %d, want 1:\n%s", c.name, code, stdout.String())
				}
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
