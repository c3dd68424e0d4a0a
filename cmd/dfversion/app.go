package main

import (
	"fmt"
	"io"

	"github.com/dfversion/dfversion/project"
	"github.com/urfave/cli/v2"
)

// Global flags. urfave/cli reads them only before the command name.
var (
	appFlag = &cli.StringFlag{
		Name:  "app",
		Value: ".",
		Usage: "the function app's root: the folder that holds host.json",
	}
	moduleFlag = &cli.StringFlag{
		Name: "module",
		Usage: "the Go module of the custom handler, or the directory of its main package " +
			"(default: go.mod at the app root, the only go.mod below it, or the nearest above it)",
	}
	settingsFlag = &cli.StringSliceFlag{
		Name: "settings",
		Usage: "an extra app-settings `FILE` to find pointer settings in, in local.settings.json " +
			"or Azure CLI (az functionapp config appsettings list) format; repeatable",
	}
)

func newApp(stdout, stderr io.Writer) *cli.App {
	commands := []*cli.Command{listCommand(), bumpCommand(), checkCommand(), lockCommand()}
	for _, c := range commands {
		c.OnUsageError = usageErr
		c.HideHelpCommand = true
	}
	return &cli.App{
		Name:    "dfversion",
		Usage:   "ship changes to Durable Functions orchestrations without breaking the ones in flight",
		Version: version,
		Description: "dfversion reads a Go custom-handler function app (host.json, function.json folders,\n" +
			"app settings and the Go code, with full type information) and versions its durable\n" +
			"functions by name. Global options go before the command: dfversion --app ./app list.",
		Flags:                []cli.Flag{appFlag, moduleFlag, settingsFlag},
		Commands:             commands,
		Writer:               stdout,
		ErrWriter:            stderr,
		HideHelpCommand:      true,
		EnableBashCompletion: false,
		ExitErrHandler:       func(*cli.Context, error) {}, // run maps errors to exit codes
		OnUsageError:         usageErr,
	}
}

// usageErr reports a command line that does not parse in one line, with a
// pointer to the help, instead of printing the whole help text.
func usageErr(c *cli.Context, err error, _ bool) error {
	help := "dfversion --help"
	if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
		help = "dfversion " + c.Command.Name + " --help"
	}
	return usageError{fmt.Errorf("%w (see '%s')", err, help)}
}

// usageError is a command line that dfversion cannot make sense of.
type usageError struct{ error }

func (usageError) ExitCode() int { return 2 }

// noArgs refuses positional arguments, and with them flags written after
// an argument, which urfave/cli would otherwise ignore silently.
func noArgs(c *cli.Context) error {
	if c.Args().Present() {
		return usageError{fmt.Errorf("%s takes no arguments, got %q (flags go before arguments; global flags before the command)", c.Command.Name, c.Args().First())}
	}
	return nil
}

// projectOptions are the load options the global flags give.
func projectOptions(c *cli.Context) project.Options {
	return project.Options{
		AppDir:        c.String(appFlag.Name),
		ModuleDir:     c.String(moduleFlag.Name),
		SettingsFiles: c.StringSlice(settingsFlag.Name),
	}
}

// loadProject loads the app the global flags name and prints its warnings.
func loadProject(c *cli.Context) (*project.Project, error) {
	return loadProjectWith(c, projectOptions(c))
}

// loadProjectWith loads an app and prints its warnings.
func loadProjectWith(c *cli.Context, opts project.Options) (*project.Project, error) {
	p, err := project.Load(opts)
	if err != nil {
		return nil, err
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(c.App.ErrWriter, "dfversion: warning: %s\n", w)
	}
	return p, nil
}
