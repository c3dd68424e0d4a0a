package main

import (
	"fmt"
	"strings"

	"github.com/microsoft/durabletask-go/task"
)

// The plain greetings, held in package-level variables.
var (
	// SayHello greets its input.
	SayHello task.Activity = func(ctx task.ActivityContext) (any, error) {
		var name string
		if err := ctx.GetInput(&name); err != nil {
			return nil, err
		}
		return fmt.Sprintf("Hello, %s!", name), nil
	}

	// SayGoodbye takes leave of its input.
	SayGoodbye task.Activity = func(ctx task.ActivityContext) (any, error) {
		var name string
		if err := ctx.GetInput(&name); err != nil {
			return nil, err
		}
		return fmt.Sprintf("Goodbye, %s.", name), nil
	}
)

// newGreeter builds an activity that greets its input with greeting. The
// English and French functions are both made by it.
func newGreeter(greeting string) task.Activity {
	return func(ctx task.ActivityContext) (any, error) {
		var name string
		if err := ctx.GetInput(&name); err != nil {
			return nil, err
		}
		return greeting + ", " + name, nil
	}
}

// Upper shouts its input.
func Upper(ctx task.ActivityContext) (any, error) {
	var name string
	if err := ctx.GetInput(&name); err != nil {
		return nil, err
	}
	return strings.ToUpper(name), nil
}
