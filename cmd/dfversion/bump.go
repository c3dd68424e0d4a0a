package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/bump"
)

func bumpCommand() *cli.Command {
	return &cli.Command{
		Name:  "bump",
		Usage: "copy every orchestrator and activity under the next version and point new instances at it",
		Description: "bump moves the app from version N to N+1. Every orchestrator and activity at its latest\n" +
			"version is copied as <Base>_v<N+1>: its function folder, its Go handler (placed right after\n" +
			"the original, doc comment renamed) and its registration. Inside the copies, references to\n" +
			"durable functions (Go identifiers, string literals, string constants) move to version N+1;\n" +
			"nothing else changes, except that clients' literals naming an orchestrator move to the new\n" +
			"one. The pointer settings and host.json's defaultVersion move to N+1.\n\n" +
			"A durable call that names its target through a package-level table or a helper of the\n" +
			"module (a slice of steps, a map of names, a function returning constants) gets versioned\n" +
			"copies of them (stages_v2), placed after the originals. A target bump cannot work out\n" +
			"(fmt.Sprintf, input, a parameter) is left as it is, with a warning at file:line:col.\n\n" +
			"In a git repository, a handler edited since --base (HEAD) goes into the new version and the\n" +
			"old version gets its code at --base back, so you can edit first and bump before committing.\n" +
			"Outside git (or before the first commit) there is no base to restore from, and bump warns.\n\n" +
			"A version that is not at --base was never released: bump refuses to move on from it (edit\n" +
			"it instead of bumping again, or pass --force) and never records it in dfversion.lock.\n\n" +
			"The whole change is planned and type-checked first, then written all or nothing. Code that\n" +
			"does not type-check before the change is an error too (exit 2): bump plans nothing on\n" +
			"partial type information.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Usage: "write nothing; print the change as a unified diff that git apply and patch -p1 accept"},
			&cli.BoolFlag{Name: "json", Usage: "print the plan and the summary as JSON"},
			&cli.BoolFlag{Name: "no-restore", Usage: "keep edits made since --base in the old version too"},
			&cli.StringFlag{Name: "base", Value: "HEAD", Usage: "the git `REF` that edits are measured against and that holds the released versions"},
			&cli.BoolFlag{Name: "force", Usage: "move on from a version that is not at --base yet (bumped but never committed); it is still not locked"},
		},
		Action: runBump,
	}
}

func runBump(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	p, err := loadProject(c)
	if err != nil {
		return err
	}
	res, err := bump.Plan(p, bump.Options{Restore: !c.Bool("no-restore"), BaseRef: c.String("base"), Force: c.Bool("force")})
	if err != nil {
		return err
	}
	w := c.App.Writer
	dryRun := c.Bool("dry-run")
	if res.From == 0 {
		if c.Bool("json") {
			return writeBumpJSON(w, res, dryRun)
		}
		fmt.Fprintln(w, "The app has no orchestrators or activities: nothing to bump.")
		return nil
	}
	if !dryRun {
		if err := applyPlan(res.Plan); err != nil {
			return err
		}
	}
	// Warnings come after the writes: a bump that wrote nothing says only
	// why, in one line.
	for _, warning := range res.Warnings {
		fmt.Fprintf(c.App.ErrWriter, "dfversion: warning: %s\n", warning)
	}
	for _, f := range res.Reformatted {
		fmt.Fprintf(c.App.ErrWriter, "dfversion: warning: %s is not gofmt-clean; the rewrite reformats all of it\n", f)
	}
	switch {
	case c.Bool("json"):
		return writeBumpJSON(w, res, dryRun)
	case dryRun:
		_, err := w.Write(res.Plan.Diff())
		return err
	}
	writeBumpSummary(w, res)
	return nil
}

// writeBumpSummary prints what a bump did.
func writeBumpSummary(w io.Writer, res *bump.Result) {
	fmt.Fprintf(w, "Bumped the app from version %d to version %d.\n", res.From, res.To)
	fmt.Fprintf(w, "\nCloned %d functions:\n", len(res.Cloned))
	for _, c := range res.Cloned {
		fmt.Fprintf(w, "  %-14s %s -> %s\n", c.Kind, c.From, c.To)
	}
	if len(res.References) > 0 {
		fmt.Fprintf(w, "\nReferences rewritten:\n")
		for _, r := range res.References {
			fmt.Fprintf(w, "  %s:%d:%d: %s -> %s (%s, in %s)\n", r.Pos.Filename, r.Pos.Line, r.Pos.Column, r.From, r.To, r.Kind, r.In)
		}
	}
	if len(res.Constants) > 0 {
		fmt.Fprintf(w, "\nConstants declared:\n")
		for _, c := range res.Constants {
			fmt.Fprintf(w, "  %s\n", c)
		}
	}
	if len(res.Copies) > 0 {
		fmt.Fprintf(w, "\nTables and helpers copied:\n")
		for _, c := range res.Copies {
			fmt.Fprintf(w, "  %s\n", c)
		}
	}
	if len(res.Settings) > 0 {
		fmt.Fprintf(w, "\nSettings changed:\n")
		for _, s := range res.Settings {
			fmt.Fprintf(w, "  %s:%d: %s: %s -> %s\n", s.File, s.Line, s.Setting, s.From, s.To)
		}
	}
	if len(res.Locked) > 0 {
		fmt.Fprintf(w, "\nRecorded as released in %s: %s\n", "dfversion.lock", strings.Join(res.Locked, ", "))
	}
	if len(res.Restored) > 0 {
		fmt.Fprintf(w, "\nEdits moved to the new version (the old version got its committed code back):\n")
		for _, name := range res.Restored {
			fmt.Fprintf(w, "  %s\n", name)
		}
	}
	if len(res.EditCopies) > 0 {
		fmt.Fprintf(w, "\nShared code copied for the new version (the copy holds the edit, the original got its committed code back):\n")
		for _, c := range res.EditCopies {
			fmt.Fprintf(w, "  %s -> %s: %s\n", c.From, c.To, c.Why)
		}
	}
}

// bumpJSON is the shape of bump --json.
type bumpJSON struct {
	From       int              `json:"from"`
	To         int              `json:"to"`
	DryRun     bool             `json:"dryRun"`
	Cloned     []clonedJSON     `json:"cloned"`
	References []referenceJSON  `json:"references"`
	Constants  []string         `json:"constants"`
	Copies     []string         `json:"copies"`
	Settings   []settingJSON    `json:"settings"`
	Restored   []string         `json:"restored"`
	EditCopies []editCopyJSON   `json:"editCopies"`
	Locked     []string         `json:"locked"`
	Changes    []fileChangeJSON `json:"changes"`
}

// editCopyJSON is a versioned copy of shared code edited since the base
// revision, or of code on the way to it.
type editCopyJSON struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Why    string `json:"why"`
	Edited bool   `json:"edited"`
}

type clonedJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
	Kind string `json:"kind"`
}

type referenceJSON struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	From   string `json:"from"`
	To     string `json:"to"`
	Kind   string `json:"kind"`
	In     string `json:"in"`
}

type settingJSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Setting string `json:"setting"`
	From    string `json:"from"`
	To      string `json:"to"`
}

// fileChangeJSON is one file of the plan: "create" or "update", with the
// new content.
type fileChangeJSON struct {
	Path    string `json:"path"`
	Action  string `json:"action"`
	Content string `json:"content"`
}

func writeBumpJSON(w io.Writer, res *bump.Result, dryRun bool) error {
	out := bumpJSON{
		From: res.From, To: res.To, DryRun: dryRun,
		Cloned: []clonedJSON{}, References: []referenceJSON{}, Constants: []string{}, Copies: []string{},
		Settings: []settingJSON{}, Restored: []string{}, EditCopies: []editCopyJSON{}, Locked: []string{}, Changes: []fileChangeJSON{},
	}
	for _, c := range res.Cloned {
		out.Cloned = append(out.Cloned, clonedJSON{From: c.From, To: c.To, Kind: string(c.Kind)})
	}
	for _, r := range res.References {
		out.References = append(out.References, referenceJSON{
			File: r.Pos.Filename, Line: r.Pos.Line, Column: r.Pos.Column, From: r.From, To: r.To, Kind: r.Kind, In: r.In,
		})
	}
	out.Constants = append(out.Constants, res.Constants...)
	out.Copies = append(out.Copies, res.Copies...)
	for _, s := range res.Settings {
		out.Settings = append(out.Settings, settingJSON(s))
	}
	out.Restored = append(out.Restored, res.Restored...)
	for _, c := range res.EditCopies {
		out.EditCopies = append(out.EditCopies, editCopyJSON(c))
	}
	out.Locked = append(out.Locked, res.Locked...)
	for _, ch := range res.Plan.Changes {
		action := "update"
		switch {
		case ch.Old == nil:
			action = "create"
		case ch.New == nil:
			action = "delete"
		}
		out.Changes = append(out.Changes, fileChangeJSON{Path: ch.Path, Action: action, Content: string(ch.New)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
