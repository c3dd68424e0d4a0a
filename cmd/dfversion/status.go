package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/mgmt"
)

// Flags that status and wait share: where the management API is and how to
// reach it.
var (
	urlFlag = &cli.StringFlag{
		Name:  "url",
		Usage: "the function app's base `URL`, such as https://myapp.azurewebsites.net (http:// only for localhost)",
	}
	keyEnvFlag = &cli.StringFlag{
		Name: "key-env",
		Usage: "the `NAME` of an environment variable holding the app's durabletask_extension system key " +
			"(never the key itself; none is needed for the Core Tools on localhost)",
	}
	taskHubFlag = &cli.StringFlag{
		Name:  "task-hub",
		Usage: "the task `HUB` to look in (default: the app's)",
	}
	connectionFlag = &cli.StringFlag{
		Name:  "connection",
		Usage: "the app `SETTING` holding the task hub's storage connection (default: the app's)",
	}
	insecureFlag = &cli.BoolFlag{
		Name:  "insecure",
		Usage: "allow plain http:// to hosts other than localhost, which sends the key in clear text",
	}
	requestTimeoutFlag = &cli.DurationFlag{
		Name:  "request-timeout",
		Value: mgmt.DefaultRequestTimeout,
		Usage: "the longest to wait for one answer (a `DURATION`: 30s, 2m); failed requests are retried with backoff",
	}
)

// mgmtFlags returns new copies of the management API flags, for one
// command: urfave/cli keeps state in its flags.
func mgmtFlags() []cli.Flag {
	u, k, t, c, i, r := *urlFlag, *keyEnvFlag, *taskHubFlag, *connectionFlag, *insecureFlag, *requestTimeoutFlag
	return []cli.Flag{&u, &k, &t, &c, &i, &r}
}

// activeStatuses are the statuses of instances that still run code: the
// ones a deployment must wait for.
var activeStatuses = []mgmt.Status{mgmt.Running, mgmt.Pending, mgmt.Suspended}

func statusCommand() *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "show the running, pending and suspended instances of a deployed app, by function and version",
		Description: "status asks the app's Durable Functions management API for the instances that are running\n" +
			"or pending, and prints how many there are of each function and version, with the age of the\n" +
			"oldest. Instance names are matched to the functions of the app that --app names (its\n" +
			"function.json folders; the Go code is not read); names the app does not have are shown with\n" +
			"kind \"unknown\" and the version their name carries. Entity instances are shown but not counted\n" +
			"by version: an entity is \"Running\" for as long as it holds state.\n\n" +
			"The key is read from the environment variable that --key-env names, and never printed.",
		Flags: append(mgmtFlags(),
			&cli.DurationFlag{Name: "timeout", Value: 2 * time.Minute, Usage: "the longest to take, retries included (a `DURATION`)"},
			&cli.BoolFlag{Name: "json", Usage: "print the instance counts as JSON"},
		),
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			timeout := c.Duration("timeout")
			if timeout <= 0 {
				return usageError{fmt.Errorf("--timeout must be positive, got %s", timeout)}
			}
			hub, err := newHub(c, true)
			if err != nil {
				return err
			}
			app, err := loadApp(c)
			if err != nil {
				return hub.protect(err)
			}
			ctx, cancel := context.WithTimeout(c.Context, timeout)
			defer cancel()
			instances, err := hub.list(ctx)
			if err != nil {
				if ctx.Err() != nil {
					err = fmt.Errorf("timed out after %s (--timeout): %w", timeout, err)
				}
				return hub.protect(err)
			}
			view := newStatusView(app, hub, instances, time.Now())
			if c.Bool("json") {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				return hub.protect(enc.Encode(view))
			}
			return hub.protect(view.writeText(c.App.Writer))
		},
	}
}

// hub is a connection to one app's management API, as the flags describe.
type hub struct {
	client *mgmt.Client
	query  mgmt.Query
	key    string // "" when --key-env was not given
}

// envName is what an environment variable's name looks like.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// newHub makes a management API client from the flags. The key comes from
// the environment variable --key-env names; messages never repeat the
// flag's value, in case the key itself was passed by mistake.
func newHub(c *cli.Context, verbose bool) (*hub, error) {
	base := c.String(urlFlag.Name)
	if base == "" {
		return nil, usageError{fmt.Errorf("%s needs --url, the function app's base URL", c.Command.Name)}
	}
	h := &hub{query: mgmt.Query{
		RuntimeStatus: activeStatuses,
		TaskHub:       c.String(taskHubFlag.Name),
		Connection:    c.String(connectionFlag.Name),
	}}
	if c.IsSet(keyEnvFlag.Name) {
		name := c.String(keyEnvFlag.Name)
		if !envName.MatchString(name) {
			return nil, usageError{errors.New("--key-env takes the name of an environment variable that holds the key, not the key itself")}
		}
		value, set := os.LookupEnv(name)
		h.key = strings.TrimSpace(value)
		switch {
		case !set:
			return nil, usageError{fmt.Errorf("--key-env %s: the environment variable %s is not set; put the app's durabletask_extension system key in it (export %s=...)", name, name, name)}
		case h.key == "":
			return nil, usageError{fmt.Errorf("--key-env %s: the environment variable %s is empty; put the app's durabletask_extension system key in it", name, name)}
		}
	}
	opts := mgmt.Options{
		Key:            h.key,
		Insecure:       c.Bool(insecureFlag.Name),
		RequestTimeout: c.Duration(requestTimeoutFlag.Name),
		UserAgent:      "dfversion/" + version,
	}
	if opts.RequestTimeout <= 0 {
		return nil, usageError{fmt.Errorf("--request-timeout must be positive, got %s", opts.RequestTimeout)}
	}
	if verbose {
		stderr := c.App.ErrWriter
		opts.OnRetry = func(e mgmt.RetryEvent) {
			fmt.Fprintf(stderr, "dfversion: warning: %s; retrying in %s\n", h.redact(e.Err.Error()), e.Delay)
		}
	}
	client, err := mgmt.New(base, opts)
	if err != nil {
		if errors.Is(err, mgmt.ErrInsecure) {
			err = fmt.Errorf("%w, or pass --insecure to allow it", err)
		}
		return nil, usageError{h.protect(fmt.Errorf("--url: %w", err))}
	}
	h.client = client
	return h, nil
}

// list asks for the running, pending and suspended instances, and adds to an error
// the flags that can fix it.
func (h *hub) list(ctx context.Context) ([]mgmt.Instance, error) {
	instances, err := h.client.ListInstances(ctx, h.query)
	switch {
	case err == nil:
		return instances, nil
	case errors.Is(err, mgmt.ErrUnauthorized) && h.key != "":
		return nil, fmt.Errorf("%w; check the key in the variable --key-env names (az functionapp keys list -g GROUP -n APP --query systemKeys.durabletask_extension -o tsv)", err)
	case errors.Is(err, mgmt.ErrUnauthorized):
		return nil, fmt.Errorf("%w; put the app's durabletask_extension system key in an environment variable and name it with --key-env", err)
	case errors.Is(err, mgmt.ErrNotFound):
		return nil, fmt.Errorf("%w; check --url (the app's base address) and --task-hub", err)
	}
	return nil, err
}

func (h *hub) redact(s string) string { return mgmt.Redact(s, h.key) }

// protect makes sure that an error on its way to the user does not hold
// the key, whatever produced it; it keeps the error's exit status.
func (h *hub) protect(err error) error {
	if err == nil || h == nil || h.key == "" {
		return err
	}
	msg := h.redact(err.Error())
	if msg == err.Error() {
		return err
	}
	code := 2
	var ec exitCoder
	if errors.As(err, &ec) {
		code = ec.ExitCode()
	}
	return redactedError{msg: msg, code: code}
}

type redactedError struct {
	msg  string
	code int
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) ExitCode() int { return e.code }

// loadApp reads the app's function.json folders, which is all that naming
// instances needs: no Go toolchain, no module, so that status and wait
// work from a deployment artifact.
func loadApp(c *cli.Context) (*manifest.App, error) {
	app, err := manifest.Load(projectOptions(c).AppDir)
	if err != nil {
		return nil, err
	}
	for _, w := range app.Warnings {
		fmt.Fprintf(c.App.ErrWriter, "dfversion: warning: %s\n", w)
	}
	return app, nil
}

// instanceFunction is what the app says an instance runs.
type instanceFunction struct {
	// Function is the function's folder name, or the instance's name when
	// the app has no such function.
	Function string
	Base     string
	Version  int
	// Kind is the function's kind, "unknown" for a name the app does not
	// have, "entity" for any entity instance.
	Kind   string
	Entity bool
}

const unknownKind = "unknown"

// classify finds the function an instance runs: the function whose
// registered name or folder name is the instance's name (ignoring case,
// as the host does).
func classify(app *manifest.App, in mgmt.Instance) instanceFunction {
	name := in.Name
	entity := in.IsEntity()
	if entity {
		name = strings.TrimPrefix(name, "@")
		if name == "" { // "@name@key"
			name, _, _ = strings.Cut(strings.TrimPrefix(in.InstanceID, "@"), "@")
		}
	}
	f := app.Registered(name)
	if f == nil {
		for _, g := range app.Functions {
			if strings.EqualFold(g.Name, name) {
				f = g
				break
			}
		}
	}
	if f != nil {
		entity = entity || f.Kind == manifest.Entity
		return instanceFunction{Function: f.Name, Base: f.Base, Version: f.Version, Kind: string(f.Kind), Entity: entity}
	}
	base, v := manifest.ParseName(name)
	kind := unknownKind
	if entity {
		kind = string(manifest.Entity)
	}
	return instanceFunction{Function: name, Base: base, Version: v, Kind: kind, Entity: entity}
}

// statusView is what status prints, in the shape of its JSON output.
type statusView struct {
	URL     string `json:"url"`
	TaskHub string `json:"taskHub,omitempty"`
	// Total counts the running, pending and suspended orchestration instances,
	// entities left out.
	Total     int           `json:"total"`
	Functions []groupView   `json:"functions"`
	Versions  []versionView `json:"versions"`
}

// counts are the instances of one group.
type counts struct {
	Count   int `json:"count"`
	Running int `json:"running"`
	Pending int `json:"pending"`
	// Suspended instances count as in flight: once resumed, they replay
	// on whatever code is deployed then.
	Suspended int `json:"suspended"`
	// OldestCreatedTime is the creation time of the oldest instance, and
	// OldestAgeSeconds its age; both are left out when no instance of the
	// group had a readable creation time.
	OldestCreatedTime *time.Time `json:"oldestCreatedTime,omitempty"`
	OldestAgeSeconds  *int64     `json:"oldestAgeSeconds,omitempty"`
}

func (c *counts) add(in mgmt.Instance, now time.Time) {
	c.Count++
	switch in.RuntimeStatus {
	case mgmt.Running:
		c.Running++
	case mgmt.Pending:
		c.Pending++
	case mgmt.Suspended:
		c.Suspended++
	}
	if t := in.CreatedTime; !t.IsZero() && (c.OldestCreatedTime == nil || t.Before(*c.OldestCreatedTime)) {
		t = t.UTC()
		age := int64(max(now.Sub(t), 0) / time.Second)
		c.OldestCreatedTime, c.OldestAgeSeconds = &t, &age
	}
}

func (c counts) age() string {
	if c.OldestAgeSeconds == nil {
		return "-"
	}
	return formatAge(time.Duration(*c.OldestAgeSeconds) * time.Second)
}

type groupView struct {
	Function string `json:"function"`
	Base     string `json:"base"`
	Kind     string `json:"kind"`
	Version  int    `json:"version"`
	counts
}

type versionView struct {
	Version int `json:"version"`
	counts
}

func newStatusView(app *manifest.App, h *hub, instances []mgmt.Instance, now time.Time) statusView {
	v := statusView{URL: h.client.URL(), TaskHub: h.query.TaskHub, Functions: []groupView{}, Versions: []versionView{}}
	groups := map[string]*groupView{}
	versions := map[int]*versionView{}
	for _, in := range instances {
		f := classify(app, in)
		key := f.Kind + "\x00" + f.Function
		g := groups[key]
		if g == nil {
			g = &groupView{Function: f.Function, Base: f.Base, Kind: f.Kind, Version: f.Version}
			groups[key] = g
		}
		g.add(in, now)
		if f.Entity {
			continue
		}
		v.Total++
		ver := versions[f.Version]
		if ver == nil {
			ver = &versionView{Version: f.Version}
			versions[f.Version] = ver
		}
		ver.add(in, now)
	}
	for _, g := range groups {
		v.Functions = append(v.Functions, *g)
	}
	sort.Slice(v.Functions, func(i, j int) bool {
		a, b := v.Functions[i], v.Functions[j]
		if a.Function != b.Function {
			return a.Function < b.Function
		}
		return a.Kind < b.Kind
	})
	for _, ver := range versions {
		v.Versions = append(v.Versions, *ver)
	}
	sort.Slice(v.Versions, func(i, j int) bool { return v.Versions[i].Version < v.Versions[j].Version })
	return v
}

func (v statusView) writeText(w io.Writer) error {
	if len(v.Functions) == 0 {
		_, err := fmt.Fprintln(w, "No instances running, pending or suspended.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FUNCTION\tKIND\tVERSION\tRUNNING\tPENDING\tSUSPENDED\tOLDEST")
	entities := false
	for _, g := range v.Functions {
		entities = entities || g.Kind == string(manifest.Entity)
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\n", g.Function, g.Kind, g.Version, g.Running, g.Pending, g.Suspended, g.age())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if len(v.Versions) > 0 {
		fmt.Fprintln(tw, "VERSION\tINSTANCES\tOLDEST")
		for _, ver := range v.Versions {
			fmt.Fprintf(tw, "%d\t%d\t%s\n", ver.Version, ver.Count, ver.age())
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%s running, pending or suspended.\n", plural(v.Total, "orchestration instance"))
	if entities {
		fmt.Fprintln(w, "Entities are not counted: an entity is running for as long as it holds state.")
	}
	return nil
}

// formatAge prints a duration the way people read ages: 45s, 12m30s,
// 5h7m, 3d4h.
func formatAge(d time.Duration) string {
	d = max(d, 0).Truncate(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
