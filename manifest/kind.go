package manifest

import "strings"

// Kind is what a function is to Durable Functions, decided by its bindings.
type Kind string

// The kinds of function. Orchestrators and activities are versioned by
// name; entities never are (an entity's name is the identity of its stored
// state); clients start orchestrations; everything else is Other.
const (
	Orchestrator Kind = "orchestrator"
	Activity     Kind = "activity"
	Entity       Kind = "entity"
	Client       Kind = "client"
	Other        Kind = "other"
)

// Versioned reports whether functions of this kind are copied under a new
// name when the app's version is bumped.
func (k Kind) Versioned() bool { return k == Orchestrator || k == Activity }

// Binding types that decide a function's kind.
const (
	bindingOrchestrationTrigger = "orchestrationTrigger"
	bindingActivityTrigger      = "activityTrigger"
	bindingEntityTrigger        = "entityTrigger"
	bindingDurableClient        = "durableClient"
	bindingOrchestrationClient  = "orchestrationClient" // Functions 1.x name
	bindingHTTPTrigger          = "httpTrigger"
)

// kindOf decides the kind of a function from its bindings: a durable trigger
// wins; a durable client input binding makes a client.
func kindOf(bindings []Binding) Kind {
	client := false
	for _, b := range bindings {
		// The host matches binding types ignoring case.
		switch canonicalType(b.Type) {
		case bindingOrchestrationTrigger:
			return Orchestrator
		case bindingActivityTrigger:
			return Activity
		case bindingEntityTrigger:
			return Entity
		case bindingDurableClient, bindingOrchestrationClient:
			if b.Direction != "out" {
				client = true
			}
		}
	}
	if client {
		return Client
	}
	return Other
}

// canonicalType spells a durable binding type as the constants above do,
// whatever its case; other types come back as they are.
func canonicalType(t string) string {
	for _, d := range durableTypes {
		if strings.EqualFold(t, d) {
			return d
		}
	}
	return t
}
