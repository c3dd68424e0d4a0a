package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/prune"
)

func pruneCommand() *cli.Command {
	return &cli.Command{
		Name:  "prune",
		Usage: "remove old versions that no instance runs any more",
		Description: "prune removes drained old versions of orchestrators and activities from the app: their\n" +
			"function folders, their registrations, their handlers (unless code that stays uses them) and\n" +
			"the helpers only they used, and the tests that exercised only them; their entries in\n" +
			"dfversion.lock are marked retired, so check knows they are gone on purpose.\n\n" +
			"It never removes the newest version of the app or of a function, anything a pointer setting\n" +
			"names, or a version that a version which stays still calls. With --url it first asks the\n" +
			"app's management API and refuses to remove an orchestrator that still has running, pending or suspended\n" +
			"instances, naming them.\n\n" +
			"Like bump, the whole change is planned and type-checked first, then written all or nothing;\n" +
			"--dry-run prints it as a diff. Code that does not type-check before the change is an error\n" +
			"too (exit 2): prune plans nothing on partial type information.",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "keep", Usage: "keep the newest `N` versions of the app; prune the older ones"},
			&cli.IntFlag{Name: "version", Usage: "prune version `N` only"},
			&cli.BoolFlag{Name: "dry-run", Usage: "write nothing; print the change as a unified diff"},
			&cli.DurationFlag{Name: "timeout", Value: 2 * time.Minute, Usage: "with --url: the longest to wait for the management API (a `DURATION`)"},
		}, mgmtFlags()...),
		Action: runPrune,
	}
}

func runPrune(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	if c.IsSet("keep") == c.IsSet("version") {
		return usageError{errors.New("prune needs exactly one of --keep N and --version N")}
	}
	opts := prune.Options{Keep: c.Int("keep"), Version: c.Int("version")}
	if c.IsSet("keep") && opts.Keep < 1 {
		return usageError{fmt.Errorf("--keep must be at least 1, got %d", opts.Keep)}
	}
	if c.IsSet("version") && opts.Version < 1 {
		return usageError{fmt.Errorf("--version must be at least 1, got %d", opts.Version)}
	}
	p, err := loadProject(c)
	if err != nil {
		return err
	}
	if c.String(urlFlag.Name) != "" {
		running, err := runningByName(c)
		if err != nil {
			return err
		}
		opts.Running = running
	}
	res, err := prune.Plan(p, opts)
	if err != nil {
		return err
	}
	w := c.App.Writer
	if len(res.Pruned) == 0 {
		fmt.Fprintln(w, "Nothing to prune.")
		writeSkipped(w, res)
		return nil
	}
	if c.Bool("dry-run") {
		_, err := w.Write(res.Plan.Diff())
		return err
	}
	if err := applyPlan(res.Plan); err != nil {
		return err
	}
	fmt.Fprintf(w, "Pruned %d %s: %s\n", len(res.Pruned), pluralWord(len(res.Pruned), "function"), strings.Join(res.Pruned, ", "))
	if len(res.Removed) > 0 {
		fmt.Fprintf(w, "\nGo declarations removed: %s\n", strings.Join(res.Removed, ", "))
	}
	if len(res.Kept) > 0 {
		fmt.Fprintf(w, "\nHandlers kept, since other code uses them: %s\n", strings.Join(res.Kept, ", "))
	}
	if len(res.Tests) > 0 {
		fmt.Fprintf(w, "\nTests removed:\n  %s\n", strings.Join(res.Tests, "\n  "))
	}
	writeSkipped(w, res)
	fmt.Fprintln(w, "\nTheir entries in dfversion.lock are marked retired.")
	return nil
}

func writeSkipped(w io.Writer, res *prune.Result) {
	if len(res.Skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "\nKept:\n")
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "  %s: %s\n", s.Function, s.Why)
	}
}

// runningByName asks the management API for the running, pending and
// suspended orchestration instances and counts them by name, in lower case.
func runningByName(c *cli.Context) (map[string]int, error) {
	h, err := newHub(c, true)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(c.Context, c.Duration("timeout"))
	defer cancel()
	instances, err := h.list(ctx)
	if err != nil {
		return nil, h.protect(err)
	}
	running := map[string]int{}
	for _, in := range instances {
		if !in.IsEntity() {
			running[strings.ToLower(in.Name)]++
		}
	}
	return running, nil
}
