// Package localsdk is an orchestration SDK of the app's own, whose context
// is not named OrchestrationContext: its orchestrators are known by their
// registration.
package localsdk

import "time"

// Context is an orchestration context.
type Context struct {
	events chan string
}

// Now is the orchestration's clock.
func (c *Context) Now() time.Time { return time.Now() } // want Now:`^reaches nondeterministic-time: time\.Now$`

// Events delivers external events.
func (c *Context) Events() <-chan string { return c.events }

// Orchestrator is an orchestrator function.
type Orchestrator func(ctx *Context) (any, error)

// Register registers an orchestrator under a name.
func Register(name string, o Orchestrator) {}

// RegisterOrchestrator registers an orchestrator under its Go name.
func RegisterOrchestrator(o any) {}
