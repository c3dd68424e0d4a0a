// Package workflows holds an orchestrator outside package main, which
// reaches hazards through another package; being exported, it carries a
// fact too.
package workflows

import (
	"example.com/app/helpers"
	"github.com/microsoft/durabletask-go/task"
)

// Plan saves a plan through helpers.
func Plan(ctx *task.OrchestrationContext) (any, error) { // want Plan:`^reaches io: \(\*helpers\.Store\)\.Save -> os\.WriteFile$`
	s := &helpers.Store{Dir: "plans"}
	return nil, s.Save("plan") // want `os\.WriteFile does file I/O, whose result can differ on replay: do it in an activity and call that with ctx\.CallActivity \(Plan -> \(\*helpers\.Store\)\.Save -> os\.WriteFile, in example\.com/app/helpers/helpers\.go:29:9\) \[io\]`
}
