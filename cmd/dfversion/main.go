// Command dfversion versions Azure Durable Functions apps written as Go
// custom handlers: it copies every durable function under a versioned name,
// rewrites the references between them, and moves the app-setting pointer,
// so that deployments never break orchestrations in flight.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// version is the dfversion release when set at build time with -ldflags
// "-X main.version=..."; otherwise versionString reads it from the build
// information.
var version = ""

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit status: 0 for
// success, 1 when a check found problems, 2 when the command could not do
// its job.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	app.Metadata = map[string]any{argsKey: args}
	err := app.Run(args)
	if err == nil {
		return 0
	}
	code := 2
	if e, ok := err.(exitCoder); ok {
		code = e.ExitCode()
	}
	if code == 3 && strings.HasPrefix(err.Error(), "No help topic for ") {
		// urfave/cli's answer to an unknown command, with its suggestion
		// (see cli.SuggestCommand in usage.go) after ". ".
		code = 2
		unknown, suggestion, _ := strings.Cut(strings.TrimPrefix(err.Error(), "No help topic for "), ". ")
		msg := fmt.Sprintf("unknown command %q", strings.Trim(unknown, "'"))
		if suggestion != "" {
			msg += "; " + suggestion
		}
		err = fmt.Errorf("%s (see 'dfversion --help')", msg)
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintf(stderr, "dfversion: %s\n", msg)
	}
	return code
}

// exitCoder is an error that carries its own exit status.
type exitCoder interface {
	error
	ExitCode() int
}
