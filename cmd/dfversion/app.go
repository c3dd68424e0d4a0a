package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/project"
)

// The flags that say where the app is. They are defined both at the top
// level and on every command, so that they may be written before or after
// the command name (urfave/cli reads a flag only at the level that
// defines it); projectOptions takes the one given.
var (
	appFlag = &cli.StringFlag{
		Name:  "app",
		Value: ".",
		Usage: "the function app's root: the `DIR` that holds host.json",
	}
	moduleFlag = &cli.StringFlag{
		Name: "module",
		Usage: "the Go module (its `DIR`) of the custom handler, or the directory of its main package " +
			"(default: go.mod at the app root, the only go.mod below it, or the nearest above it)",
	}
	settingsFlag = &cli.StringSliceFlag{
		Name: "settings",
		Usage: "an extra app-settings `FILE` to find pointer settings in, in local.settings.json " +
			"or Azure CLI (az functionapp config appsettings list) format; repeatable",
	}
)

// appFlags returns new copies of the app flags, for one level of the
// command line.
func appFlags() []cli.Flag {
	a, m, s := *appFlag, *moduleFlag, *settingsFlag
	return []cli.Flag{&a, &m, &s}
}

func newApp(stdout, stderr io.Writer) *cli.App {
	commands := []*cli.Command{listCommand(), bumpCommand(), checkCommand(), lockCommand(), pruneCommand(), hookCommand(), statusCommand(), waitCommand(), replayCommand()}
	setUpCommands(commands)
	commands = append(commands, helpCommand())
	app := &cli.App{
		Name:    "dfversion",
		Usage:   "ship changes to Durable Functions orchestrations without breaking the ones in flight",
		Version: versionString(),
		Description: "dfversion reads a Go custom-handler function app (host.json, function.json folders,\n" +
			"app settings and the Go code, with full type information) and versions its durable\n" +
			"functions by name. The options that say where the app is (--app, --module, --settings)\n" +
			"may be written before or after the command: dfversion --app ./app list.",
		Flags:                appFlags(),
		Commands:             commands,
		Writer:               stdout,
		ErrWriter:            stderr,
		Suggest:              true,
		HideHelpCommand:      true, // dfversion's own, helpCommand, takes subcommands too
		EnableBashCompletion: false,
		ExitErrHandler:       func(*cli.Context, error) {}, // run maps errors to exit codes
		OnUsageError:         usageErr,
	}
	quietBooleans(app.Flags)
	return app
}

// helpCommand is 'dfversion help [COMMAND [SUBCOMMAND]]', which shows the
// same help as 'dfversion COMMAND [SUBCOMMAND] --help'. (urfave/cli's own
// help command shows a subcommand's parent instead of the subcommand.)
func helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Aliases:   []string{"h"},
		Usage:     "show the help of dfversion, or of a command: dfversion help bump",
		ArgsUsage: "[COMMAND [SUBCOMMAND]]",
		Action: func(c *cli.Context) error {
			if !c.Args().Present() {
				return cli.ShowAppHelp(c)
			}
			args := append([]string{c.App.Name}, c.Args().Slice()...)
			return c.App.RunContext(c.Context, append(args, "--help"))
		},
	}
}

// setUpCommands gives every command, subcommands included, the app flags
// and dfversion's way of reporting usage errors.
func setUpCommands(commands []*cli.Command) {
	for _, c := range commands {
		c.OnUsageError = usageErr
		c.HideHelpCommand = true
		if len(c.Subcommands) > 0 {
			setUpCommands(c.Subcommands)
			documentCommand(c)
			continue
		}
		c.Flags = append(c.Flags, appFlags()...)
		documentCommand(c)
	}
}

// usageErr reports a command line that does not parse in one line, with a
// pointer to the help, instead of printing the whole help text.
func usageErr(c *cli.Context, err error, _ bool) error {
	help := "dfversion --help"
	flags := c.App.Flags
	if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
		help = c.Command.HelpName + " --help"
		flags = c.Command.Flags
	}
	args, _ := c.App.Metadata[argsKey].([]string)
	return usageError{fmt.Errorf("%s (see '%s')", describeFlagError(err, args, flags), help)}
}

// argsKey holds, in the app's Metadata, the command line as typed: flag
// errors name flags the way the user wrote them.
const argsKey = "args"

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

// projectOptions are the load options the app flags give.
func projectOptions(c *cli.Context) project.Options {
	opts := project.Options{AppDir: appFlag.Value}
	for _, ctx := range c.Lineage() {
		for _, name := range ctx.LocalFlagNames() {
			switch name {
			case appFlag.Name:
				if opts.AppDir == appFlag.Value {
					opts.AppDir = ctx.String(name)
				}
			case moduleFlag.Name:
				if opts.ModuleDir == "" {
					opts.ModuleDir = ctx.String(name)
				}
			case settingsFlag.Name:
				if opts.SettingsFiles == nil {
					opts.SettingsFiles = ctx.StringSlice(name)
				}
			}
		}
	}
	return opts
}

// loadProject loads the one app the flags name, for bump, lock or prune,
// and prints its warnings. Those commands need complete type information:
// code that does not type-check is an error.
func loadProject(c *cli.Context) (*project.Project, error) {
	opts := projectOptions(c)
	opts.RequireTypes = true
	if isPattern(opts.AppDir) {
		return nil, usageError{fmt.Errorf("--app %s: patterns are for list and check; %s works on one app at a time, so name it with --app", opts.AppDir, c.Command.Name)}
	}
	return loadProjectWith(c, opts)
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
