package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/check"
	"github.com/dfversion/dfversion/internal/gitx"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/mgmt"
	"github.com/dfversion/dfversion/project"
	"github.com/dfversion/dfversion/replay"
)

// replayParallel is how many histories replay asks for at once by default.
const replayParallel = 4

func replayCommand() *cli.Command {
	return &cli.Command{
		Name:  "replay",
		Usage: "check the histories of the instances in flight against the orchestrators' code in the working tree",
		Description: "replay asks the app's Durable Functions management API for the instances that are running,\n" +
			"pending or suspended, reads each one's history, and checks it against the code of the\n" +
			"orchestrator of that name in the working tree (read with full type information). From the\n" +
			"code it builds a model of every sequence of durable actions (activities, sub-orchestrations,\n" +
			"timers) the code can schedule; an instance diverges when its recorded actions are a prefix\n" +
			"of none of them: its next replay would go wrong. The model over-approximates what the code\n" +
			"can do, so \"diverges\" is never a false alarm; \"replays\" means some run of the code schedules\n" +
			"what the history recorded, not that inputs, results or activities' types are unchanged.\n\n" +
			"--save DIR writes each history, as the API returned it, to DIR (one JSON file per\n" +
			"instance); --history DIR checks such a folder instead of asking the API, for CI.\n" +
			"The key is read from the environment variable that --key-env names, and never printed.\n\n" +
			"Rules:\n" + rulesHelp(replay.Rules()),
		Flags: append(mgmtFlags(),
			&cli.StringSliceFlag{Name: "version", Usage: "check only the instances of orchestrators at version `N` (2 or v2); repeatable"},
			&cli.StringFlag{Name: "save", Usage: "also write each history, as the API returned it, to `DIR` (one JSON file per instance)"},
			&cli.StringFlag{Name: "history", Usage: "check the histories saved in `DIR` by --save instead of asking the API"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text, json (one object per line), github (workflow annotations) or sarif (SARIF 2.1.0)"},
			&cli.IntFlag{Name: "parallel", Value: replayParallel, Usage: "how many histories to ask for at once (`N`)"},
			&cli.DurationFlag{Name: "timeout", Value: 10 * time.Minute, Usage: "the longest to take asking the API, retries included (a `DURATION`)"},
		),
		Action: runReplay,
	}
}

// replayInstance is one instance to check: its history, and where it came
// from for messages.
type replayInstance struct {
	id, name string
	from     string // the file it was read from, for --history
	hist     *replay.History
}

// replayFinding is a finding about one instance.
type replayFinding struct {
	check.Finding
	Instance     string
	Orchestrator string
	Verdict      replay.Verdict
	Action       int
	Event        int
}

func runReplay(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	format := c.String("format")
	if !isOneOf(format, check.Formats) {
		return usageError{fmt.Errorf("--format %q: want one of %s", format, strings.Join(check.Formats, ", "))}
	}
	versions, err := parseVersions(c.StringSlice("version"))
	if err != nil {
		return err
	}
	base, dir, save := c.String(urlFlag.Name), c.String("history"), c.String("save")
	switch {
	case base == "" && dir == "":
		return usageError{errors.New("replay needs --url, the deployed app's base URL, or --history DIR, a folder of histories saved with --save")}
	case base != "" && dir != "":
		return usageError{errors.New("give either --url or --history, not both")}
	case save != "" && base == "":
		return usageError{errors.New("--save needs --url: it saves the histories the API returns")}
	case c.Int("parallel") < 1:
		return usageError{fmt.Errorf("--parallel must be 1 or more, got %d", c.Int("parallel"))}
	case c.Duration("timeout") <= 0:
		return usageError{fmt.Errorf("--timeout must be positive, got %s", c.Duration("timeout"))}
	}
	var h *hub
	if base != "" {
		if h, err = newHub(c, true); err != nil {
			return err
		}
		h.query.RuntimeStatus = activeStatuses // running, pending and suspended: status lists the same
	}
	opts := projectOptions(c)
	opts.RequireTypes = true // no verdict on partial type information
	opts.AllowMissingHandlers = true
	p, err := loadProjectWith(c, opts)
	if err != nil {
		return h.protect(err)
	}
	var instances []replayInstance
	var notes []string
	if h != nil {
		ctx, cancel := context.WithTimeout(c.Context, c.Duration("timeout"))
		defer cancel()
		instances, notes, err = fetchHistories(ctx, h, p.App, versions, save, c.Int("parallel"))
		if err != nil {
			if ctx.Err() != nil && c.Context.Err() == nil {
				err = fmt.Errorf("timed out after %s (--timeout): %w", c.Duration("timeout"), err)
			}
			return h.protect(err)
		}
	} else if instances, err = readHistories(dir, p.App, versions); err != nil {
		return err
	}
	findings, sum := checkInstances(p, instances)
	for _, n := range append(notes, sum.notes()...) {
		fmt.Fprintf(c.App.ErrWriter, "dfversion: note: %s\n", n)
	}
	if err := writeReplay(c, format, findings); err != nil {
		return h.protect(err)
	}
	if sum.failed() {
		return replayFailed{sum.String()}
	}
	fmt.Fprintf(c.App.ErrWriter, "dfversion: %s\n", sum)
	return nil
}

// replayFailed is the exit status 1 of a replay that found an instance
// that cannot replay; its message is the summary.
type replayFailed struct{ summary string }

func (e replayFailed) Error() string { return e.summary }
func (replayFailed) ExitCode() int   { return 1 }

// wanted says whether replay checks the instances of the function that
// an instance's name leads to.
func wanted(app *manifest.App, in mgmt.Instance, versions []int) bool {
	f := classify(app, in)
	return !f.Entity && (len(versions) == 0 || slices.Contains(versions, f.Version))
}

// fetchHistories lists the instances in flight and reads their histories,
// a few at a time.
func fetchHistories(ctx context.Context, h *hub, app *manifest.App, versions []int, save string, parallel int) ([]replayInstance, []string, error) {
	listed, err := h.list(ctx)
	if err != nil {
		return nil, nil, err
	}
	var todo []mgmt.Instance
	for _, in := range listed {
		if wanted(app, in, versions) {
			todo = append(todo, in)
		}
	}
	if save != "" {
		if err := os.MkdirAll(save, 0o755); err != nil {
			return nil, nil, fmt.Errorf("--save: %w", err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]*replayInstance, len(todo))
	gone := make([]bool, len(todo))
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
		mu.Unlock()
	}
	jobs := make(chan int)
	for range min(parallel, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				in := todo[i]
				got, err := h.client.InstanceHistory(ctx, in.InstanceID, h.query)
				if errors.Is(err, mgmt.ErrInstanceNotFound) {
					gone[i] = true // finished and purged meanwhile
					continue
				}
				if err != nil {
					fail(err)
					continue
				}
				hist, err := replay.ParseHistory(got.Body)
				if err != nil {
					fail(fmt.Errorf("the answer for instance %q is not an instance with its history: %w", in.InstanceID, err))
					continue
				}
				if save != "" {
					if err := os.WriteFile(filepath.Join(save, historyFileName(in.InstanceID)), got.Body, 0o644); err != nil {
						fail(fmt.Errorf("--save: %w", err))
						continue
					}
				}
				name := hist.Name
				if name == "" {
					name = in.Name
				}
				out[i] = &replayInstance{id: in.InstanceID, name: name, hist: hist}
			}
		}()
	}
	for i := range todo {
		select {
		case jobs <- i:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var instances []replayInstance
	var notes []string
	for i, in := range out {
		if gone[i] {
			notes = append(notes, fmt.Sprintf("instance %s of %s finished while replay ran (the API no longer has it): skipped", todo[i].InstanceID, todo[i].Name))
			continue
		}
		instances = append(instances, *in)
	}
	return instances, notes, nil
}

// historyFileName is the file --save writes an instance's history to:
// its ID with every byte other than a letter, a digit, '-' or '_' written
// %XX (so that IDs never collide or leave the folder), then ".json".
func historyFileName(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		ch := id[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' {
			b.WriteByte(ch)
		} else {
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String() + ".json"
}

// readHistories reads the histories that --save wrote to dir.
func readHistories(dir string, app *manifest.App, versions []int) ([]replayInstance, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("--history %s: no such folder; save histories there with 'dfversion replay --url URL --save %s'", dir, dir)
		}
		return nil, fmt.Errorf("--history: %w", err)
	}
	var out []replayInstance
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		hist, err := replay.ParseHistory(data)
		if err == nil && hist.Name == "" {
			err = errors.New("it names no orchestrator")
		}
		if err != nil {
			return nil, fmt.Errorf("%s: not an instance history as the management API returns it (%v); save histories with 'dfversion replay --url URL --save %s'", path, err, dir)
		}
		id := hist.InstanceID
		if id == "" {
			id = strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
		}
		if !wanted(app, mgmt.Instance{Name: hist.Name, InstanceID: id}, versions) {
			continue
		}
		out = append(out, replayInstance{id: id, name: hist.Name, from: path, hist: hist})
	}
	if len(out) == 0 && len(entries) == 0 {
		return nil, fmt.Errorf("--history %s: the folder holds no histories; save them with 'dfversion replay --url URL --save %s'", dir, dir)
	}
	return out, nil
}

// replaySummary counts what replay found.
type replaySummary struct {
	checked, diverge, missing, unchecked int
	unknown                              map[string]int // event type -> histories
}

func (s replaySummary) failed() bool { return s.diverge > 0 || s.missing > 0 }

func (s replaySummary) String() string {
	msg := fmt.Sprintf("replayed %s, %d %s", plural(s.checked, "instance"), s.diverge, pluralVerb(s.diverge, "diverges", "diverge"))
	if s.missing > 0 {
		msg += fmt.Sprintf(", %d %s an orchestrator the code no longer has", s.missing, pluralVerb(s.missing, "runs", "run"))
	}
	if s.unchecked > 0 {
		msg += fmt.Sprintf(", %d not checked", s.unchecked)
	}
	return msg
}

func pluralVerb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (s replaySummary) notes() []string {
	var types []string
	for t := range s.unknown {
		types = append(types, t)
	}
	sort.Strings(types)
	var out []string
	for _, t := range types {
		out = append(out, fmt.Sprintf("%s %s events of type %s, which dfversion does not know: each may stand for any one action, or none", plural(s.unknown[t], "history"), pluralVerb(s.unknown[t], "holds", "hold"), t))
	}
	return out
}

// checkInstances checks every instance against its orchestrator's model.
func checkInstances(p *project.Project, instances []replayInstance) ([]replayFinding, replaySummary) {
	sort.SliceStable(instances, func(i, j int) bool {
		if instances[i].name != instances[j].name {
			return instances[i].name < instances[j].name
		}
		return instances[i].id < instances[j].id
	})
	sum := replaySummary{unknown: map[string]int{}}
	builder := replay.NewBuilder(p.Module, check.FunctionNames(p))
	models := map[string]*replay.Model{}
	var findings []replayFinding
	for _, in := range instances {
		sum.checked++
		for _, t := range in.hist.Unknown {
			sum.unknown[t]++
		}
		f := classify(p.App, mgmt.Instance{Name: in.name, InstanceID: in.id})
		fn := p.App.Function(f.Function)
		handler := p.Handler(f.Function)
		if fn == nil || fn.Kind != manifest.Orchestrator || handler == nil {
			sum.missing++
			why := fmt.Sprintf("the app has no orchestrator %s", in.name)
			if fn != nil && handler == nil {
				why = fmt.Sprintf("no Go handler serves %s", fn.Name)
			} else if fn != nil {
				why = fmt.Sprintf("%s is an %s now, not an orchestrator", fn.Name, fn.Kind)
			}
			findings = append(findings, replayFinding{
				Finding: check.Finding{Rule: replay.RuleOrchestratorMissing, Severity: check.Error,
					Pos:      token.Position{Filename: p.App.Host.Path},
					Message:  fmt.Sprintf("%s/%s: cannot replay: %s; keep its code until the instance finishes ('dfversion wait')", in.name, in.id, why),
					Function: f.Function, Version: f.Version},
				Instance: in.id, Orchestrator: in.name,
			})
			continue
		}
		md := models[fn.Name]
		if md == nil {
			md = builder.Build(fn.Name, handler)
			models[fn.Name] = md
		}
		res := md.Check(in.hist)
		switch res.Verdict {
		case replay.Replays:
			continue
		case replay.Unchecked:
			sum.unchecked++
			findings = append(findings, replayFinding{
				Finding: check.Finding{Rule: replay.RuleUnchecked, Severity: check.Note, Pos: md.Pos,
					Message: fmt.Sprintf("%s/%s: %s", fn.Name, in.id, res.Message()), Function: fn.Name, Version: fn.Version},
				Instance: in.id, Orchestrator: fn.Name, Verdict: res.Verdict,
			})
			continue
		}
		sum.diverge++
		findings = append(findings, replayFinding{
			Finding: check.Finding{Rule: replay.RuleDiverges, Severity: check.Error, Pos: res.Pos(md),
				Message: fmt.Sprintf("%s/%s: %s", fn.Name, in.id, res.Message()), Function: fn.Name, Version: fn.Version},
			Instance: in.id, Orchestrator: fn.Name, Verdict: res.Verdict, Action: res.Action, Event: res.Event,
		})
	}
	return findings, sum
}

// writeReplay prints the findings in a format of check's.
func writeReplay(c *cli.Context, format string, findings []replayFinding) error {
	cwd, _ := os.Getwd()
	w := c.App.Writer
	plain := make([]check.Finding, len(findings))
	for i, f := range findings {
		plain[i] = f.Finding
	}
	switch format {
	case "text":
		// Instance first, then the code it points at, then the rule.
		for _, f := range findings {
			msg := f.Message
			if f.Rule != replay.RuleOrchestratorMissing && f.Pos.Filename != "" {
				msg += fmt.Sprintf(" (%s:%d:%d)", check.RelPath(cwd, f.Pos.Filename), f.Pos.Line, f.Pos.Column)
			}
			prefix := ""
			if f.Severity == check.Note {
				prefix = "note: "
			}
			if _, err := fmt.Fprintf(w, "%s%s [%s]\n", prefix, msg, f.Rule); err != nil {
				return err
			}
		}
		return nil
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, f := range findings {
			if err := enc.Encode(jsonReplayFinding{
				InstanceID: f.Instance, Orchestrator: f.Orchestrator, Version: f.Version, Rule: f.Rule,
				Severity: f.Severity, Message: f.Message, Action: f.Action, Event: f.Event,
				Path: check.RelPath(cwd, f.Pos.Filename), Line: f.Pos.Line, Column: f.Pos.Column,
			}); err != nil {
				return err
			}
		}
		return nil
	case "sarif":
		root := cwd
		if repo, err := gitx.Open(cwd); err == nil {
			root = repo.Root
		}
		tool := check.Tool{Name: "dfversion", Version: versionString(), InformationURI: informationURI}
		return check.WriteSARIFRules(w, plain, replay.Rules(), tool, root)
	}
	return check.Write(w, format, plain, cwd)
}

// jsonReplayFinding is a finding in replay --format json: check's fields,
// with the instance and where in its history it diverges.
type jsonReplayFinding struct {
	InstanceID   string         `json:"instanceId"`
	Orchestrator string         `json:"orchestrator"`
	Version      int            `json:"version,omitempty"`
	Rule         string         `json:"rule"`
	Severity     check.Severity `json:"severity"`
	Message      string         `json:"message"`
	// Action is the 1-based position in the compared actions, Event the
	// index in historyEvents, of a divergence.
	Action int    `json:"action,omitempty"`
	Event  int    `json:"event,omitempty"`
	Path   string `json:"path"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}
