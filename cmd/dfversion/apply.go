package main

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/dfversion/dfversion/plan"
)

// applyPlan writes a plan. An interrupt (Ctrl-C, SIGTERM) that arrives
// while the files are written does not stop the write half-way: the plan
// is completed, and then dfversion exits with status 130. Before the write
// starts nothing is on disk yet, so an interrupt there ends dfversion at
// once, with the tree as it was.
func applyPlan(pl *plan.Plan) error {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	if err := pl.Apply(plan.OS()); err != nil {
		return err
	}
	select {
	case <-sig:
		return interruptedError{}
	default:
		return nil
	}
}

// interruptedError reports an interrupt that came while a plan was
// written; the plan was completed.
type interruptedError struct{}

func (interruptedError) Error() string {
	return "interrupted while writing; the change was completed first, so the tree is consistent"
}

func (interruptedError) ExitCode() int { return 130 }
