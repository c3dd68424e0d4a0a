// Package main holds orchestrators of every shape the replay model
// handles; TestModel checks sequences of actions against each.
package main

import (
	"fmt"
	"sort"
	"time"

	"github.com/microsoft/durabletask-go/task"
)

func main() {}

// Seq: A then B.
func Seq(ctx *task.OrchestrationContext) (any, error) {
	if err := ctx.CallActivity("A").Await(nil); err != nil {
		return nil, err
	}
	ctx.CallActivity("B").Await(nil)
	return nil, nil
}

// Branch: A, then B or C, then D.
func Branch(ctx *task.OrchestrationContext) (any, error) {
	var ok bool
	ctx.CallActivity("A").Await(&ok)
	if ok {
		ctx.CallActivity("B").Await(nil)
	} else {
		ctx.CallActivity("C").Await(nil)
	}
	ctx.CallActivity("D").Await(nil)
	return nil, nil
}

// Loop: A*, then a timer, with break and continue.
func Loop(ctx *task.OrchestrationContext) (any, error) {
	for i := 0; i < 3; i++ {
		if i == 1 {
			continue
		}
		if err := ctx.CallActivity("A").Await(nil); err != nil {
			break
		}
	}
	ctx.CreateTimer(time.Minute).Await(nil)
	return nil, nil
}

var cities = []string{"Tokyo", "Oslo"}

// FanOut: Say scheduled for every city, then awaited, then Sum.
func FanOut(ctx *task.OrchestrationContext) (any, error) {
	var tasks []task.Task
	for _, c := range cities {
		tasks = append(tasks, ctx.CallActivity("Say", task.WithActivityInput(c)))
	}
	for _, t := range tasks {
		t.Await(nil)
	}
	ctx.CallActivity("Sum").Await(nil)
	return nil, nil
}

// Sub: a sub-orchestration, then an event wait with a timeout, then A.
func Sub(ctx *task.OrchestrationContext) (any, error) {
	ctx.CallSubOrchestrator(Seq).Await(nil)
	ctx.WaitForSingleEvent("Approved", time.Hour).Await(nil)
	ctx.CallActivity("A").Await(nil)
	return nil, nil
}

// Helper: calls made in helpers, including one through a local closure.
func Helper(ctx *task.OrchestrationContext) (any, error) {
	step := func(name string) error { return ctx.CallActivity(name).Await(nil) }
	greet(ctx, "x")
	step("B")
	return nil, nil
}

func greet(ctx *task.OrchestrationContext, who string) {
	ctx.CallActivity("Greet", task.WithActivityInput(who)).Await(nil)
	log(who)
}

func log(s string) { fmt.Println(s) }

// Switch: one of the table's activities, or nothing.
func Switch(ctx *task.OrchestrationContext) (any, error) {
	var kind string
	ctx.GetInput(&kind)
	switch kind {
	case "a":
		ctx.CallActivity(stages[0].Activity).Await(nil)
	case "b":
		ctx.CallActivity("B").Await(nil)
		fallthrough
	case "c":
		ctx.CallActivity("C").Await(nil)
	}
	return nil, nil
}

type stage struct{ Activity string }

var stages = []stage{{Activity: "Validate"}, {Activity: "Transform"}}

// Dynamic: an activity named at run time, then B.
func Dynamic(ctx *task.OrchestrationContext) (any, error) {
	var name string
	ctx.GetInput(&name)
	ctx.CallActivity("Do" + name).Await(nil)
	ctx.CallActivity("B").Await(nil)
	return nil, nil
}

// Outside: the context given to code outside the module.
func Outside(ctx *task.OrchestrationContext) (any, error) {
	ctx.CallActivity("A").Await(nil)
	fmt.Println(ctx)
	ctx.CallActivity("B").Await(nil)
	return nil, nil
}

// Callback: code of the module that acts, given to code outside it.
func Callback(ctx *task.OrchestrationContext) (any, error) {
	xs := []int{2, 1}
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	ctx.CallActivity("A").Await(nil)
	sort.Slice(xs, func(i, j int) bool {
		ctx.CallActivity("X").Await(nil)
		return xs[i] < xs[j]
	})
	ctx.CallActivity("B").Await(nil)
	return nil, nil
}

// Recursive: A, then itself any number of times.
func Recursive(ctx *task.OrchestrationContext) (any, error) {
	ctx.CallActivity("A").Await(nil)
	again(ctx, 3)
	return nil, nil
}

func again(ctx *task.OrchestrationContext, n int) {
	if n == 0 {
		return
	}
	ctx.CallActivity("R").Await(nil)
	again(ctx, n-1)
}

// Goroutine: A, then anything (a goroutine acts).
func Goroutine(ctx *task.OrchestrationContext) (any, error) {
	ctx.CallActivity("A").Await(nil)
	go func() { ctx.CallActivity("G").Await(nil) }()
	ctx.CallActivity("B").Await(nil)
	return nil, nil
}

// Retry: an option that is not an input may be a retry policy.
func Retry(ctx *task.OrchestrationContext) (any, error) {
	var opts []task.CallActivityOption
	ctx.CallActivity("A", opts...).Await(nil)
	ctx.CallActivity("B").Await(nil)
	return nil, nil
}

// Panics: A, then either a panic or B.
func Panics(ctx *task.OrchestrationContext) (any, error) {
	var ok bool
	ctx.CallActivity("A").Await(&ok)
	if !ok {
		panic("no")
	}
	ctx.CallActivity("B").Await(nil)
	return nil, nil
}

// Continue: A, then continue-as-new (not compared).
func Continue(ctx *task.OrchestrationContext) (any, error) {
	ctx.CallActivity("A").Await(nil)
	ctx.ContinueAsNew(nil)
	return nil, nil
}

// Labeled: break out of the outer loop from the inner one.
func Labeled(ctx *task.OrchestrationContext) (any, error) {
outer:
	for {
		for {
			var done bool
			ctx.CallActivity("Poll").Await(&done)
			if done {
				break outer
			}
			ctx.CreateTimer(time.Minute).Await(nil)
		}
	}
	ctx.CallActivity("Done").Await(nil)
	return nil, nil
}

// Short: B runs only when A's result says so (a short-circuit).
func Short(ctx *task.OrchestrationContext) (any, error) {
	if ctx.CallActivity("A").Await(nil) != nil || ctx.CallActivity("B").Await(nil) != nil {
		return nil, nil
	}
	ctx.CallActivity("C").Await(nil)
	return nil, nil
}

// Deferred: a deferred call that acts runs at the end.
func Deferred(ctx *task.OrchestrationContext) (any, error) {
	defer func() { ctx.CallActivity("Cleanup").Await(nil) }()
	ctx.CallActivity("A").Await(nil)
	return nil, nil
}
