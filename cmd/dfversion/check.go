package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/check"
	"github.com/dfversion/dfversion/internal/gitx"
	"github.com/dfversion/dfversion/project"
)

// informationURI is where dfversion's documentation lives, for SARIF logs.
const informationURI = "https://github.com/dfversion/dfversion"

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "fail when a released version changed in a way that breaks instances in flight (--app ./... checks every app below)",
		Description: "check compares the app with its released versions and checks that its versions are\n" +
			"consistent. Released versions are the ones in dfversion.lock (record them with 'dfversion\n" +
			"lock'; bump records the versions it moves on from), or with --against REF every function\n" +
			"version in the code at that git revision (the CI gate; the lock at REF must not lose or\n" +
			"change entries either, and a version the lock now marks retired, by 'dfversion prune', may\n" +
			"be gone). Comments and formatting never count as changes.\n\n" +
			"A released orchestrator is judged by its durable slice: the code that decides which durable\n" +
			"calls it makes, with which targets, in which order (conditions, loops, early returns, error\n" +
			"checks, target names). A change inside it, or to its ordered durable calls, is an error; a\n" +
			"change outside it (input values, the output, log messages, error text, names of locals) is\n" +
			"the note released-value-changed, since replay does not compare them (an error with\n" +
			"--strict). Where the analysis is not sure, a change counts as inside. A changed activity or\n" +
			"entity input or output type, changed bindings and a removed function are errors; an\n" +
			"activity whose code changed but whose types did not is a note (an error with --strict). Determinism hazards in code that orchestrators reach are errors; silence one with\n" +
			"a comment '//dfversion:ignore <rule> <reason>' on its line, the line above, or the doc\n" +
			"comment of the function that holds it. A durable call whose target is not known statically\n" +
			"(built at run time, read from input, a parameter) is a note, reference-dynamic (an error\n" +
			"with --strict).\n\n" +
			"check gives no verdict on partial information: when a package the handlers need does not\n" +
			"type-check (a replace directory missing, a module not downloaded, a go.sum entry missing,\n" +
			"a type error), it names the first error and exits 2.\n\n" +
			"Text findings read 'path:line:col: message [rule]'; the rule is what //dfversion:ignore names.\n\n" +
			"Exit status: 0 when clean (notes allowed), 1 when an error was found, 2 when the check\n" +
			"could not run.\n\n" +
			"Rules:\n" + rulesHelp(check.Rules()),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "against", Usage: "treat every function version at the git `REF` as released (for CI: origin/main)"},
			&cli.BoolFlag{Name: "strict", Usage: "make every change to a released version an error"},
			&cli.BoolFlag{Name: "staged", Usage: "check the staged content (what the next commit holds), not the work tree: for pre-commit hooks"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output `FORMAT`: text (path:line:col: message [rule]), json (one object per line), github (workflow annotations) or sarif (SARIF 2.1.0, for GitHub code scanning)"},
		},
		Action: runCheck,
	}
}

// findingsError is the exit status 1 of a check that found errors; its
// message goes to standard error after the findings.
type findingsError struct{ errors, notes int }

func (e findingsError) Error() string {
	return fmt.Sprintf("%d %s, %d %s", e.errors, pluralWord(e.errors, "error"), e.notes, pluralWord(e.notes, "note"))
}

func (findingsError) ExitCode() int { return 1 }

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func runCheck(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	format := c.String("format")
	if !isOneOf(format, check.Formats) {
		return usageError{fmt.Errorf("--format %q: want one of %s", format, strings.Join(check.Formats, ", "))}
	}
	apps, err := expandApps(projectOptions(c))
	if err != nil {
		return err
	}
	var errs, notes int
	var all []check.Finding // for sarif: one log for every app
	cwd, _ := os.Getwd()
	for _, opts := range apps {
		opts.AllowMissingHandlers = true
		res, err := checkApp(c, opts)
		if err != nil {
			return err
		}
		if format == "sarif" {
			all = append(all, res.Findings...)
		} else if err := check.Write(c.App.Writer, format, res.Findings, cwd); err != nil {
			return err
		}
		for _, f := range res.Findings {
			if f.Severity == check.Error {
				errs++
			} else {
				notes++
			}
		}
	}
	if format == "sarif" {
		// Code scanning locates results relative to the repository root.
		root := cwd
		if repo, err := gitx.Open(cwd); err == nil {
			root = repo.Root
		}
		tool := check.Tool{Name: "dfversion", Version: versionString(), InformationURI: informationURI}
		if err := check.WriteSARIF(c.App.Writer, all, tool, root); err != nil {
			return err
		}
	}
	if errs > 0 {
		return findingsError{errs, notes}
	}
	return nil
}

// checkApp checks one app, in the work tree or, with --staged, in the
// staged content.
func checkApp(c *cli.Context, opts project.Options) (*check.Result, error) {
	load := opts
	var staged *check.StagedTree
	if c.Bool("staged") {
		var err error
		if staged, err = check.Staged(opts); err != nil {
			return nil, err
		}
		defer staged.Close()
		load = staged.Load
	}
	return checkCached(c, opts, load, staged)
}

// checkCached runs the check, or takes its result from the cache when
// nothing it depends on changed since an identical run.
func checkCached(c *cli.Context, named, load project.Options, staged *check.StagedTree) (*check.Result, error) {
	// No verdict on partial type information, here or at --against.
	named.RequireTypes, load.RequireTypes = true, true
	options := check.Options{Strict: c.Bool("strict"), Against: c.String("against"), Load: named}
	cache := check.OpenCache()
	key := ""
	if cache != nil && options.Against == "" {
		tree, _ := os.Getwd()
		if staged != nil {
			tree = staged.Dir()
		}
		var err error
		key, err = check.Key(tree, named, load, fmt.Sprint(options.Strict), fmt.Sprint(staged != nil))
		if err != nil {
			cache, key = nil, "" // an unreadable input: the load says what is wrong
		}
		if hit, ok := cache.Load(key); ok {
			for _, w := range hit.Warnings {
				fmt.Fprintf(c.App.ErrWriter, "dfversion: warning: %s\n", w)
			}
			return &check.Result{Findings: hit.Findings, Released: hit.Released}, nil
		}
	}
	p, err := loadProjectWith(c, load)
	if err != nil {
		return nil, err
	}
	res, err := check.Run(p, options)
	if err != nil {
		return nil, err
	}
	if staged != nil {
		for i := range res.Findings {
			res.Findings[i].Pos.Filename = staged.Back(res.Findings[i].Pos.Filename)
			if res.Findings[i].End.Filename != "" {
				res.Findings[i].End.Filename = staged.Back(res.Findings[i].End.Filename)
			}
		}
	}
	if key != "" {
		var warnings []string
		for _, w := range p.Warnings {
			warnings = append(warnings, w.Error())
		}
		cache.Store(key, &check.Cached{Findings: res.Findings, Released: res.Released, Warnings: warnings})
	}
	return res, nil
}

func isOneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}
