package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/internal/gitx"
	"github.com/dfversion/dfversion/plan"
)

func hookCommand() *cli.Command {
	return &cli.Command{
		Name:  "hook",
		Usage: "manage the git pre-commit hook that runs dfversion check on every commit",
		Subcommands: []*cli.Command{{
			Name:  "install",
			Usage: "write a git pre-commit hook that runs 'dfversion check --staged' on the staged content",
			Description: "install writes the repository's pre-commit hook (.git/hooks/pre-commit, or under\n" +
				"core.hooksPath): before each commit it runs 'dfversion check --staged' with the --app,\n" +
				"--module and --settings given here, so a commit that breaks a released version is refused.\n" +
				"It refuses to replace an existing hook unless --force is given. With the pre-commit\n" +
				"framework, use the hook 'dfversion-check' from this repository's .pre-commit-hooks.yaml.",
			Flags: []cli.Flag{
				&cli.BoolFlag{Name: "force", Usage: "replace an existing pre-commit hook"},
			},
			Action: runHookInstall,
		}},
	}
}

func runHookInstall(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	opts := projectOptions(c)
	repo, err := gitx.Open(opts.AppDir)
	if errors.Is(err, gitx.ErrNotRepository) {
		return fmt.Errorf("%s is not in a git repository: there is no hook to install (run git init, or name the app inside your repository with --app)", opts.AppDir)
	}
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(opts.AppDir, "host.json")); err != nil {
		return fmt.Errorf("%s has no host.json: name the app with --app", opts.AppDir)
	}
	hookPath, err := repo.HookPath("pre-commit")
	if err != nil {
		return err
	}
	args := []string{"dfversion"}
	rel := func(p string) (string, error) {
		r, err := repo.Rel(p)
		return filepath.ToSlash(r), err
	}
	app, err := rel(opts.AppDir)
	if err != nil {
		return err
	}
	args = append(args, "--app", shellQuote(app))
	if opts.ModuleDir != "" {
		m, err := rel(opts.ModuleDir)
		if err != nil {
			return err
		}
		args = append(args, "--module", shellQuote(m))
	}
	for _, s := range opts.SettingsFiles {
		r, err := rel(s)
		if err != nil {
			return err
		}
		args = append(args, "--settings", shellQuote(r))
	}
	args = append(args, "check", "--staged")
	script := "#!/bin/sh\n" +
		"# Installed by 'dfversion hook install': refuses a commit that changes a released\n" +
		"# Durable Functions version in a way that breaks instances in flight.\n" +
		"command -v dfversion >/dev/null 2>&1 || {\n" +
		"\techo 'pre-commit: dfversion is not on PATH (go install github.com/dfversion/dfversion/cmd/dfversion@latest)' >&2\n" +
		"\texit 1\n" +
		"}\n" +
		"cd \"$(git rev-parse --show-toplevel)\" || exit 1\n" +
		"exec " + strings.Join(args, " ") + "\n"

	root := filepath.Dir(hookPath)
	pl := plan.New(root)
	name := filepath.Base(hookPath)
	old, err := os.ReadFile(hookPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(root, 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", root, err)
		}
		err = pl.Create(name, []byte(script))
		if err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("reading the existing hook: %w", err)
	case string(old) == script:
		fmt.Fprintf(c.App.Writer, "The pre-commit hook %s is already installed.\n", hookPath)
		return nil
	case !c.Bool("force"):
		return fmt.Errorf("%s already exists; dfversion will not replace it without --force (or call 'dfversion check --staged' from it)", hookPath)
	default:
		if err := pl.Update(name, old, []byte(script)); err != nil {
			return err
		}
	}
	if err := applyPlan(pl); err != nil {
		return err
	}
	if err := os.Chmod(hookPath, 0o755); err != nil {
		return fmt.Errorf("making the hook executable: %w", err)
	}
	fmt.Fprintf(c.App.Writer, "Installed the pre-commit hook %s: it runs %s.\n", hookPath, strings.Join(args, " "))
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
