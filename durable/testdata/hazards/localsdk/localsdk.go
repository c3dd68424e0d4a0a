// Package localsdk is an orchestration context declared inside the module:
// calls of its methods are the durable API, not code to check.
package localsdk

import "time"

// Context is an orchestration context.
type Context struct {
	events chan string
}

// Now is the orchestration's clock.
func (c *Context) Now() time.Time { return time.Now() }

// Events delivers external events.
func (c *Context) Events() <-chan string { return c.events }
