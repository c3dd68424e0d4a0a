package main

import (
	"fmt"
	"strings"

	"github.com/dfversion/dfversion/check"

	"github.com/urfave/cli/v2"
)

// commandDocs are the parts of a command's help that urfave/cli has no
// field for: examples to copy, and what each exit status means.
type commandDocs struct {
	examples []string // "command line  # what it does"
	exit     []string // "N  meaning"
}

// exitUsual is the exit status of commands that either do their job or
// say why not.
var exitUsual = []string{
	"0  done",
	"2  the command could not do its job: the message says why and what to do; nothing was changed",
}

// exitWrites adds, for the commands that write files, the status of an
// interrupted write.
var exitWrites = append(append([]string{}, exitUsual...),
	"130  interrupted (SIGINT or SIGTERM) while writing: the write was completed first")

var docs = map[string]commandDocs{
	"list": {
		examples: []string{
			"dfversion list                     # the app in the current folder",
			"dfversion --app functions list --json",
			"dfversion --app ./... list         # every app below the current folder",
		},
		exit: exitUsual,
	},
	"bump": {
		examples: []string{
			"dfversion --app functions bump --dry-run   # show the change as a diff",
			"dfversion --app functions bump             # edit first, then bump, then commit",
			"dfversion --app functions bump --base origin/main",
		},
		exit: exitWrites,
	},
	"check": {
		examples: []string{
			"dfversion --app functions check                          # against dfversion.lock",
			"dfversion --app functions check --against origin/main    # the CI gate",
			"dfversion --app functions check --staged                 # what the next commit holds",
			"dfversion --app functions check --format github --strict",
		},
		exit: []string{
			"0  clean (notes allowed)",
			"1  an error was found",
			"2  the check could not run (the message says why)",
		},
	},
	"lock": {
		examples: []string{
			"dfversion --app functions lock && git add functions/dfversion.lock && git commit -m 'Record released versions'",
			"dfversion --app functions lock --rewrite SayHello   # the released code really is what is there",
		},
		exit: exitWrites,
	},
	"prune": {
		examples: []string{
			"dfversion --app functions prune --keep 2 --dry-run",
			"dfversion --app functions prune --version 1 --url https://APP.azurewebsites.net --key-env DF_KEY",
		},
		exit: exitWrites,
	},
	"hook": {
		examples: []string{"dfversion --app functions hook install"},
		exit:     exitUsual,
	},
	"install": {
		examples: []string{
			"dfversion --app functions hook install",
			"dfversion --app functions hook install --force   # replace the hook there is",
		},
		exit: exitUsual,
	},
	"status": {
		examples: []string{
			"dfversion --app functions status --url https://APP.azurewebsites.net --key-env DF_KEY",
			"dfversion --app functions status --url http://localhost:7071 --key-env DF_KEY --json",
		},
		exit: exitUsual,
	},
	"replay": {
		examples: []string{
			"dfversion --app functions replay --url https://APP.azurewebsites.net --key-env DF_KEY",
			"dfversion --app functions replay --url https://APP.azurewebsites.net --key-env DF_KEY --save histories",
			"dfversion --app functions replay --history histories --format github   # in CI, on every pull request",
		},
		exit: []string{
			"0  no instance diverges (notes allowed)",
			"1  an instance diverges, or runs an orchestrator the code no longer has",
			"2  the check could not run (bad flags, code that does not type-check, a refused key, the app unreachable after retries)",
		},
	},
	"wait": {
		examples: []string{
			"dfversion --app functions wait --url https://APP.azurewebsites.net --key-env DF_KEY --version 1",
			"dfversion --app functions wait --url https://APP.azurewebsites.net --key-env DF_KEY --all --timeout 1h",
		},
		exit: []string{
			"0  no instance of those versions is running, pending or suspended",
			"1  --timeout passed first",
			"2  the wait could not run (bad flags, a refused key, the app unreachable after retries)",
		},
	},
}

// helpTemplate is urfave/cli's help of a command followed by its examples
// and exit statuses.
func helpTemplate(base string, d commandDocs) string {
	var b strings.Builder
	b.WriteString(strings.TrimRight(base, "\n"))
	if len(d.examples) > 0 {
		b.WriteString("\n\nEXAMPLES:\n")
		for _, e := range d.examples {
			b.WriteString("   " + escapeTemplate(e) + "\n")
		}
	}
	if len(d.exit) > 0 {
		b.WriteString("\nEXIT STATUS:\n")
		for _, e := range d.exit {
			code, meaning, _ := strings.Cut(e, "  ")
			b.WriteString(fmt.Sprintf("   %-4s %s\n", code, escapeTemplate(meaning)))
		}
	}
	return b.String()
}

// escapeTemplate keeps text/template from reading "{{" in literal text.
func escapeTemplate(s string) string {
	return strings.ReplaceAll(s, "{{", `{{"{{"}}`)
}

// documentCommand gives c its examples and exit statuses, and makes its
// flags' help read well: no "(default: false)" after a boolean flag.
func documentCommand(c *cli.Command) {
	base := cli.CommandHelpTemplate
	if len(c.Subcommands) > 0 {
		base = cli.SubcommandHelpTemplate
	}
	if d, ok := docs[c.Name]; ok {
		c.CustomHelpTemplate = helpTemplate(base, d)
	}
	quietBooleans(c.Flags)
}

// quietBooleans drops "(default: false)" from boolean flags' help.
func quietBooleans(flags []cli.Flag) {
	for _, f := range flags {
		if b, ok := f.(*cli.BoolFlag); ok && !b.Value {
			b.DisableDefaultText = true
		}
	}
}

// rulesHelp lists rules for a command's help, one a line, their
// descriptions in a column after the longest id.
func rulesHelp(rules []check.Rule) string {
	width := 0
	for _, r := range rules {
		width = max(width, len(r.ID))
	}
	var b strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&b, "   %-*s %s\n", width+1, r.ID, r.Description)
	}
	return b.String()
}
