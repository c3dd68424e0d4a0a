package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/mgmt"
)

func waitCommand() *cli.Command {
	return &cli.Command{
		Name:  "wait",
		Usage: "wait until no instance of the given versions (or none at all) is running, pending or suspended",
		Description: "wait asks the app's Durable Functions management API, every --interval, for the instances\n" +
			"that are running, pending or suspended, and returns once none of them runs a function of the versions\n" +
			"that --version names (with --all, once there are none at all). Instance names are matched to\n" +
			"the app's functions as status does; entity instances are never waited for.\n\n" +
			"Exit status: 0 when no instance is left, 1 when --timeout passes first, 2 on any other\n" +
			"problem (a bad flag, a refused key, an app unreachable after retries). Use it as the gate\n" +
			"before swapping deployment slots.",
		Flags: append(mgmtFlags(),
			&cli.StringSliceFlag{Name: "version", Usage: "wait for the instances of version `N` (2 or v2); repeatable"},
			&cli.BoolFlag{Name: "all", Usage: "wait until no instance at all is running, pending or suspended"},
			&cli.DurationFlag{Name: "timeout", Value: 30 * time.Minute, Usage: "give up (exit status 1) after this `DURATION` (30m, 2h)"},
			&cli.DurationFlag{Name: "interval", Value: 30 * time.Second, Usage: "the `DURATION` between two checks"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print no progress, only warnings and errors"},
		),
		Action: runWait,
	}
}

func runWait(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	versions, err := parseVersions(c.StringSlice("version"))
	if err != nil {
		return err
	}
	all := c.Bool("all")
	switch {
	case all && len(versions) > 0:
		return usageError{errors.New("give either --version or --all, not both")}
	case !all && len(versions) == 0:
		return usageError{errors.New("wait needs --version N (repeatable) or --all")}
	}
	timeout, interval := c.Duration("timeout"), c.Duration("interval")
	if timeout <= 0 {
		return usageError{fmt.Errorf("--timeout must be positive, got %s", timeout)}
	}
	if interval <= 0 {
		return usageError{fmt.Errorf("--interval must be positive, got %s", interval)}
	}
	quiet := c.Bool("quiet")
	hub, err := newHub(c, !quiet)
	if err != nil {
		return err
	}
	app, err := loadApp(c)
	if err != nil {
		return hub.protect(err)
	}
	for _, v := range versions {
		if !hasOrchestratorVersion(app, v) {
			fmt.Fprintf(c.App.ErrWriter, "dfversion: warning: the app has no orchestrator at version %d\n", v)
		}
	}
	w := &waiter{app: app, versions: versions, progress: c.App.ErrWriter}
	if quiet {
		w.progress = io.Discard
	}
	fmt.Fprintf(w.progress, "dfversion: counting %s\n", w.counted())
	return hub.protect(w.run(c.Context, hub, timeout, interval))
}

// parseVersions reads --version values: 2, v2 or V2.
func parseVersions(values []string) ([]int, error) {
	var out []int
	for _, s := range values {
		n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "v"), "V"))
		if err != nil || n < 1 {
			return nil, usageError{fmt.Errorf("--version %q: want a version number of 1 or more, such as 2 or v2", s)}
		}
		out = append(out, n)
	}
	return out, nil
}

// counted names, for the first line of progress, the orchestrators whose
// instances the wait counts.
func (w *waiter) counted() string {
	if w.versions == nil {
		return "the instances of every orchestrator (entities do not count)"
	}
	var names []string
	for _, f := range w.app.Functions {
		if f.Kind == manifest.Orchestrator && slices.Contains(w.versions, f.Version) {
			names = append(names, f.Name)
		}
	}
	what := "the instances" + w.of()
	if len(names) == 0 {
		return what + " (the app has no orchestrator at those versions; instances named like one still count)"
	}
	return what + ": " + strings.Join(names, ", ")
}

func hasOrchestratorVersion(app *manifest.App, v int) bool {
	for _, f := range app.Functions {
		if f.Kind == manifest.Orchestrator && f.Version == v {
			return true
		}
	}
	return false
}

// waiter polls until the instances it waits for are gone.
type waiter struct {
	app      *manifest.App
	versions []int // nil: all
	progress io.Writer
}

// timeoutError is a wait that ran out of time: exit status 1.
type timeoutError struct{ error }

func (timeoutError) ExitCode() int { return 1 }

func (w *waiter) run(parent context.Context, h *hub, timeout, interval time.Duration) error {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	last := "" // what the last check found, for the timeout message
	for {
		instances, err := h.list(ctx)
		if err != nil {
			if ctx.Err() != nil && parent.Err() == nil {
				// A check cut short by the deadline: what the last
				// complete one found is the news, if there was one.
				if last != "" {
					return timeoutError{fmt.Errorf("timed out after %s waiting for %s", timeout, last)}
				}
				return timeoutError{fmt.Errorf("timed out after %s before a check finished: %w", timeout, err)}
			}
			return err
		}
		waiting, byFunction, byVersion := w.count(instances)
		if waiting == 0 {
			fmt.Fprintf(w.progress, "dfversion: no instances%s running, pending or suspended%s\n", w.of(), inParens(byVersion))
			return nil
		}
		last = fmt.Sprintf("%s%s: %s (in flight: %s)", plural(waiting, "instance"), w.of(), byFunction, byVersion)
		remaining := time.Until(deadline(ctx))
		if remaining <= 0 {
			return timeoutError{fmt.Errorf("timed out after %s waiting for %s", timeout, last)}
		}
		pause := min(interval, remaining)
		fmt.Fprintf(w.progress, "dfversion: waiting for %s; next check in %s\n", last, pause.Round(time.Millisecond))
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			if parent.Err() != nil {
				return parent.Err()
			}
			return timeoutError{fmt.Errorf("timed out after %s waiting for %s", timeout, last)}
		}
	}
}

func deadline(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// of names what is waited for: " of v1" or " of v1, v2", or "" for all.
func (w *waiter) of() string {
	if w.versions == nil {
		return ""
	}
	var names []string
	for _, v := range w.versions {
		names = append(names, fmt.Sprintf("v%d", v))
	}
	return " of " + strings.Join(names, ", ")
}

// count returns how many instances are waited for, those by function
// ("ProcessOrder 2, ValidateOrder 1"), and all the running, pending or
// suspended
// orchestration instances by version ("v1: 3, v2: 1").
func (w *waiter) count(instances []mgmt.Instance) (int, string, string) {
	waiting := 0
	byVersion := map[int]int{}
	byFunction := map[string]int{}
	for _, in := range instances {
		f := classify(w.app, in)
		if f.Entity {
			continue
		}
		byVersion[f.Version]++
		if w.versions == nil || slices.Contains(w.versions, f.Version) {
			waiting++
			byFunction[f.Function]++
		}
	}
	var functions []string
	for name := range byFunction {
		functions = append(functions, name)
	}
	sort.Strings(functions)
	for i, name := range functions {
		functions[i] = fmt.Sprintf("%s %d", name, byFunction[name])
	}
	var vs []int
	for v := range byVersion {
		vs = append(vs, v)
	}
	sort.Ints(vs)
	var parts []string
	for _, v := range vs {
		parts = append(parts, fmt.Sprintf("v%d: %d", v, byVersion[v]))
	}
	return waiting, strings.Join(functions, ", "), strings.Join(parts, ", ")
}

func inParens(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
