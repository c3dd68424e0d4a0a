// Command names is the fixture of ResolveTarget: each function Case*
// makes one durable call whose target the test resolves.
package main

import (
	"fmt"
	"os"
	"sort"

	"example.com/names/other"
)

// OrchestrationContext stands in for the SDK's.
type OrchestrationContext struct{ in string }

// Task stands in for the SDK's.
type Task struct{}

// CallActivity records a call.
func (ctx *OrchestrationContext) CallActivity(name any) Task { return Task{} }

// GetInput decodes the input.
func (ctx *OrchestrationContext) GetInput(v any) error { return nil }

const validate = "Validate"

type step struct {
	Name     string
	Activity string
}

var stages = []step{{Name: "v", Activity: validate}, {"t", "Transform"}}

var names = []string{"A", validate}

var byKind = map[string]string{"x": "X", "y": "Y"}

var keyed = map[string]int{"K1": 1, "K2": 2}

var single = "Single"

var reassigned = "Before"

var sorted = []string{"S2", "S1"}

var sliced = []string{"L1"}

var passed = []string{"P1"}

var pointers = []*step{{Activity: "Ptr"}}

var partly = []step{{Name: "p"}}

func init() {
	reassigned = "After"
	sort.Strings(sorted)
	_ = sliced[1:]
	use(passed)
}

func use([]string) {}

func helper(kind string) string {
	switch kind {
	case "a":
		return "HA"
	case "b":
		return validate
	}
	return names[0]
}

func dynamicHelper(kind string) string {
	if kind == "" {
		return "D"
	}
	return "Pre" + kind
}

func param(name string) string { return name }

type kinds struct{}

func (kinds) name() string { return "M" }

type namer interface{ name() string }

func CaseLiteral(ctx *OrchestrationContext)  { ctx.CallActivity("Lit") }
func CaseConstant(ctx *OrchestrationContext) { ctx.CallActivity(validate) }
func CaseStages(ctx *OrchestrationContext) {
	for _, s := range stages {
		ctx.CallActivity(s.Activity)
	}
}
func CaseIndexField(ctx *OrchestrationContext) { ctx.CallActivity(stages[1].Activity) }
func CaseNames(ctx *OrchestrationContext) {
	for _, n := range names {
		ctx.CallActivity(n)
	}
}
func CaseMap(ctx *OrchestrationContext) { ctx.CallActivity(byKind[ctx.in]) }
func CaseKeys(ctx *OrchestrationContext) {
	for k := range keyed {
		ctx.CallActivity(k)
	}
}
func CaseVar(ctx *OrchestrationContext)    { ctx.CallActivity(single) }
func CaseHelper(ctx *OrchestrationContext) { ctx.CallActivity(helper(ctx.in)) }
func CaseOther(ctx *OrchestrationContext)  { ctx.CallActivity(other.Pick(ctx.in)) }
func CaseLocal(ctx *OrchestrationContext) {
	name := "L1"
	if ctx.in != "" {
		name = "L2"
	}
	ctx.CallActivity(name)
}
func CaseMethod(ctx *OrchestrationContext)     { ctx.CallActivity(kinds{}.name()) }
func CaseConversion(ctx *OrchestrationContext) { ctx.CallActivity(string(validate + "X")) }

func CaseSprintf(ctx *OrchestrationContext) { ctx.CallActivity(fmt.Sprintf("Send%s", ctx.in)) }
func CaseConcat(ctx *OrchestrationContext)  { ctx.CallActivity("Send" + ctx.in) }
func CaseInput(ctx *OrchestrationContext) {
	var in step
	_ = ctx.GetInput(&in)
	ctx.CallActivity(in.Activity)
}
func CaseReassigned(ctx *OrchestrationContext)    { ctx.CallActivity(reassigned) }
func CaseSorted(ctx *OrchestrationContext)        { ctx.CallActivity(sorted[0]) }
func CaseSliced(ctx *OrchestrationContext)        { ctx.CallActivity(sliced[0]) }
func CasePassed(ctx *OrchestrationContext)        { ctx.CallActivity(passed[0]) }
func CasePointers(ctx *OrchestrationContext)      { ctx.CallActivity(pointers[0].Activity) }
func CaseUnset(ctx *OrchestrationContext)         { ctx.CallActivity(partly[0].Activity) }
func CaseDynamicHelper(ctx *OrchestrationContext) { ctx.CallActivity(dynamicHelper(ctx.in)) }
func CaseParam(ctx *OrchestrationContext)         { ctx.CallActivity(param("P")) }
func CaseEnv(ctx *OrchestrationContext)           { ctx.CallActivity(os.Getenv("ACTIVITY")) }
func CaseInterface(ctx *OrchestrationContext) {
	var n namer = kinds{}
	ctx.CallActivity(n.name())
}
func CaseLocalAssigned(ctx *OrchestrationContext) {
	name := "L1"
	name = ctx.in
	ctx.CallActivity(name)
}

func main() {}

func CaseAddress(ctx *OrchestrationContext) {
	in := step{Activity: "Default"}
	_ = ctx.GetInput(&in)
	ctx.CallActivity(in.Activity)
}

// CaseVarLiteral is an orchestrator held by a package-level variable: its
// locals live in the func literal's body.
var CaseVarLiteral = func(ctx *OrchestrationContext) {
	for _, a := range []string{"V1", "V2"} {
		ctx.CallActivity(a)
	}
}
