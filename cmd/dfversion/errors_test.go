package main

// TestErrorMessages lists every error message a user can hit, with the
// input that causes it. Each one must be a single line on standard error
// ("dfversion: ..."), exit status 2 (1 for check findings), name the file
// (with line and column where the problem has a position) and say what to
// do.

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// emCase is one row of TestErrorMessages.
type emCase struct {
	name  string
	files map[string]string // the input tree, written into a fresh folder that is the current directory
	setup func(t *testing.T, dir string)
	args  []string // after "dfversion"
	// status is the expected exit status: 2 for errors, 1 for check
	// findings.
	status int
	// want matches the whole message (after "dfversion: ") for status 2,
	// or one line of standard output (the finding) for status 1.
	want string
	// where matches the part of the message that names the offending file,
	// with :line:col when the problem has a position; "" when the problem
	// is not in a file (a bad flag).
	where string
	// advice matches the part of the message that says what to do.
	advice string
	// server, when not nil, answers for the app's management API; "{url}"
	// in args is replaced with its address.
	server http.HandlerFunc
}

// Inputs shared by the rows: a minimal Go custom-handler app with one
// orchestrator served by net/http, so that loading it needs nothing but
// the standard library.
const (
	emHost         = `{"version": "2.0", "customHandler": {"description": {"defaultExecutablePath": "app"}}}` + "\n"
	emOrchestrator = `{"bindings": [{"name": "context", "type": "orchestrationTrigger", "direction": "in"}]}` + "\n"
	emActivity     = `{"bindings": [{"name": "input", "type": "activityTrigger", "direction": "in"}]}` + "\n"
	emGoMod        = "module example.com/app\n\ngo 1.26\n"
	emMain         = `package main

import "net/http"

// Hello is an orchestrator.
func Hello(w http.ResponseWriter, r *http.Request) {}

func main() {
	http.HandleFunc("/Hello", Hello)
	_ = http.ListenAndServe(":8080", nil)
}
`
	// emMainChanged is emMain with Hello's code changed.
	emMainChanged = `package main

import "net/http"

// Hello is an orchestrator.
func Hello(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusAccepted)
}

func main() {
	http.HandleFunc("/Hello", Hello)
	_ = http.ListenAndServe(":8080", nil)
}
`
	// emMainV2 serves Hello and Hello_v2: an app at version 2.
	emMainV2 = `package main

import "net/http"

// Hello is an orchestrator.
func Hello(w http.ResponseWriter, r *http.Request) {}

// Hello_v2 is version 2 of Hello.
func Hello_v2(w http.ResponseWriter, r *http.Request) {}

func main() {
	http.HandleFunc("/Hello", Hello)
	http.HandleFunc("/Hello_v2", Hello_v2)
	_ = http.ListenAndServe(":8080", nil)
}
`
)

// emApp returns the files of the minimal app at root, with extra files
// added or replaced (paths relative to the folder that holds root).
func emApp(root string, extra map[string]string) map[string]string {
	files := map[string]string{
		root + "/host.json":           emHost,
		root + "/Hello/function.json": emOrchestrator,
		root + "/go.mod":              emGoMod,
		root + "/main.go":             emMain,
	}
	for name, content := range extra {
		if content == "" {
			delete(files, name)
			continue
		}
		files[name] = content
	}
	return files
}

// emConfig returns the files of an app that has configuration files only:
// dfversion stops at them before it looks for Go code.
func emConfig(root string, extra map[string]string) map[string]string {
	files := map[string]string{root + "/host.json": emHost}
	for name, content := range extra {
		files[name] = content
	}
	return files
}

func TestErrorMessages(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is needed to load Go code: %v", err)
	}
	for _, kv := range [][2]string{
		{"DFVERSION_CACHE", "off"},
		{"GOPROXY", "off"},
		{"GOFLAGS", "-mod=mod"},
		{"GOTOOLCHAIN", "local"},
		{"GIT_CONFIG_NOSYSTEM", "1"},
		{"GIT_CONFIG_GLOBAL", os.DevNull},
		{"GIT_AUTHOR_NAME", "t"}, {"GIT_AUTHOR_EMAIL", "t@example.com"},
		{"GIT_COMMITTER_NAME", "t"}, {"GIT_COMMITTER_EMAIL", "t@example.com"},
		{"DF_KEY_UNSET", ""},
	} {
		t.Setenv(kv[0], kv[1])
	}

	cases := []emCase{
		// --- The app root and host.json ---
		{
			name:   "app root missing",
			args:   []string{"--app", "nowhere", "list"},
			status: 2,
			want:   `app root nowhere does not exist; name the folder that holds host\.json with --app`,
			where:  `nowhere`,
			advice: `--app`,
		},
		{
			name:   "app root not a directory",
			files:  map[string]string{"app": emHost},
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app root app is not a directory; name the folder that holds host\.json with --app`,
			where:  `app`,
			advice: `--app`,
		},
		{
			name:   "no host.json",
			files:  map[string]string{"app/README.md": "My functions.\n"},
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/host\.json: no host\.json: app is not a function app root \(use --app to name one\)`,
			where:  `app/host\.json`,
			advice: `use --app`,
		},
		{
			name:   "host.json unreadable",
			files:  map[string]string{"app/host.json/README.md": "not a file\n"},
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/host\.json is a directory; host\.json must be a file`,
			where:  `app/host\.json`,
			advice: `(?i)move it|remove|must be a file`,
		},
		{
			name: "host.json malformed",
			files: map[string]string{"app/host.json": `{
  "version": "2.0"
  "customHandler": {"description": {"defaultExecutablePath": "app"}}
}
`},
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/host\.json:3:3: invalid JSON: invalid character '"' after object key:value pair; a ',' between members \(or the closing '\}'\) is missing before it`,
			where:  `app/host\.json:3:3`,
			advice: `(?i)\b(missing|expected|add|insert)\b`,
		},
		{
			name:   "host.json version 1.0",
			files:  map[string]string{"app/host.json": `{"version": "1.0"}` + "\n"},
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/host\.json:1:13: version is "1\.0"; custom handlers need host\.json version "2\.0"`,
			where:  `app/host\.json:1:13`,
			advice: `need host\.json version "2\.0"`,
		},
		{
			name:   "host.json without version",
			files:  map[string]string{"app/host.json": `{"customHandler": {"description": {"defaultExecutablePath": "app"}}}` + "\n"},
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/host\.json:1:1: no "version": custom handlers need host\.json version "2\.0"`,
			where:  `app/host\.json:1:1`,
			advice: `need host\.json version "2\.0"`,
		},

		// --- function.json ---
		{
			name: "function.json malformed",
			files: emConfig("app", map[string]string{"app/Hello/function.json": `{"bindings": [
  {"name": "context", "type": "orchestrationTrigger", "direction": "in"}
  {"name": "input", "type": "activityTrigger", "direction": "in"}
]}
`}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/Hello/function\.json:3:3: invalid JSON: invalid character '\{' after array element; a ',' between elements \(or the closing '\]'\) is missing before it`,
			where:  `app/Hello/function\.json:3:3`,
			advice: `(?i)\b(missing|expected|add|insert)\b`,
		},
		{
			name:   "function.json without bindings",
			files:  emConfig("app", map[string]string{"app/Hello/function.json": `{"bindings": []}` + "\n"}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/Hello/function\.json:1:14: function Hello has no bindings; every function needs a trigger binding`,
			where:  `app/Hello/function\.json:1:14`,
			advice: `every function needs a trigger binding`,
		},
		{
			name:   "binding without type",
			files:  emConfig("app", map[string]string{"app/Hello/function.json": `{"bindings": [{"name": "context", "direction": "in"}]}` + "\n"}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/Hello/function\.json:1:15: binding has no "type"; every binding needs a "type", such as orchestrationTrigger, activityTrigger or httpTrigger`,
			where:  `app/Hello/function\.json:1:15`,
			advice: `(?i)needs a "type"|add|such as`,
		},
		{
			name:   "binding type misspelt",
			files:  emConfig("app", map[string]string{"app/Hello/function.json": `{"bindings": [{"name": "context", "type": "orchestrationTriger", "direction": "in"}]}` + "\n"}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/Hello/function\.json:1:43: binding type "orchestrationTriger" is not one the Functions host knows; did you mean "orchestrationTrigger"\? \(fix the spelling: the host would not run Hello\)`,
			where:  `app/Hello/function\.json:1:43`,
			advice: `did you mean "orchestrationTrigger"\? \(fix the spelling`,
		},
		{
			name:   "code that does not type-check, for check",
			files:  emApp("app", map[string]string{"app/extra.go": "package main\n\nvar n int = \"one\"\n"}),
			args:   []string{"--app", "app", "check"},
			status: 2,
			want:   `app/extra\.go:3:13: package example\.com/app does not type-check: cannot use "one" \(untyped string constant\) as int value in variable declaration; fix it \(go build shows the same error\) \(dfversion gives no verdict on partial type information\)`,
			where:  `app/extra\.go:3:13`,
			advice: `fix it \(go build shows the same error\)`,
		},
		{
			name:   "a replace directory missing, for bump",
			files:  emApp("app", map[string]string{"app/go.mod": emGoMod + "\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n", "app/extra.go": "package main\n\nimport _ \"example.com/lib\"\n"}),
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `app/extra\.go:3:10: package example\.com/app does not type-check: example\.com/lib@v0\.0\.0: replacement directory \.\./lib does not exist; fix the replace directive in app/go\.mod, or create that directory \(dfversion gives no verdict on partial type information\)`,
			where:  `app/extra\.go:3:10`,
			advice: `fix the replace directive in app/go\.mod, or create that directory`,
		},
		{
			name:   "bindings not an array",
			files:  emConfig("app", map[string]string{"app/Hello/function.json": `{"bindings": {"name": "context", "type": "orchestrationTrigger", "direction": "in"}}` + "\n"}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/Hello/function\.json:1:14: bindings must be an array, not object`,
			where:  `app/Hello/function\.json:1:14`,
			advice: `must be an array`,
		},
		{
			name: "duplicate registered name",
			files: emConfig("app", map[string]string{
				"app/First/function.json":  emOrchestrator,
				"app/Second/function.json": `{"bindings": [{"name": "context", "type": "orchestrationTrigger", "direction": "in", "orchestration": "First"}]}` + "\n",
			}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/Second/function\.json:1:103: function Second registers the name "First", which function First already has; rename the override or remove one of the functions`,
			where:  `app/Second/function\.json:1:103`,
			advice: `(?i)rename|remove|change`,
		},

		// --- App settings ---
		{
			name: "local.settings.json malformed",
			files: emConfig("app", map[string]string{"app/local.settings.json": `{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "custom"
    "HELLO_ORCHESTRATOR": "Hello"
  }
}
`}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/local\.settings\.json:5:5: invalid JSON: invalid character '"' after object key:value pair; a ',' between members \(or the closing '\}'\) is missing before it`,
			where:  `app/local\.settings\.json:5:5`,
			advice: `(?i)\b(missing|expected|add|insert)\b`,
		},
		{
			name: "--settings file malformed (Azure CLI)",
			files: emConfig("app", map[string]string{"appsettings.json": `[
  {"name": "FUNCTIONS_WORKER_RUNTIME", "value": "custom", "slotSetting": false},
  {"name": "HELLO_ORCHESTRATOR", "value": "Hello", "slotSetting": false}
`}),
			args:   []string{"--app", "app", "--settings", "appsettings.json", "list"},
			status: 2,
			want:   `appsettings\.json:4:1: invalid JSON: unexpected end of JSON input; the file ends early: a closing '\}' or '\]' \(or a quote\) is missing`,
			where:  `appsettings\.json:4:1`,
			advice: `(?i)\b(missing|expected|add|insert)\b`,
		},
		{
			name:   "--settings file missing",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "--settings", "appsettings.json", "list"},
			status: 2,
			want:   `settings file appsettings\.json does not exist; check the --settings path`,
			where:  `appsettings\.json`,
			advice: `(?i)--settings|check the path`,
		},
		{
			name: "setting value is an object",
			files: emConfig("app", map[string]string{"app/local.settings.json": `{
  "Values": {
    "HELLO_ORCHESTRATOR": {"name": "Hello"}
  }
}
`}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/local\.settings\.json:3:27: setting "HELLO_ORCHESTRATOR" must be a string, not an object`,
			where:  `app/local\.settings\.json:3:27`,
			advice: `must be a string`,
		},
		{
			name: "Values not an object",
			files: emConfig("app", map[string]string{"app/local.settings.json": `{
  "Values": ["HELLO_ORCHESTRATOR=Hello"]
}
`}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/local\.settings\.json:2:13: "Values" must be an object, not an array`,
			where:  `app/local\.settings\.json:2:13`,
			advice: `must be an object`,
		},
		{
			name: "duplicate setting (Azure CLI)",
			files: emConfig("app", map[string]string{"appsettings.json": `[
  {"name": "HELLO_ORCHESTRATOR", "value": "Hello", "slotSetting": false},
  {"name": "HELLO_ORCHESTRATOR", "value": "Hello_v2", "slotSetting": false}
]
`}),
			args:   []string{"--app", "app", "--settings", "appsettings.json", "list"},
			status: 2,
			want:   `appsettings\.json:3:12: duplicate setting "HELLO_ORCHESTRATOR" \(the first is at line 2, column 12\); remove one of them`,
			where:  `appsettings\.json:3:12`,
			advice: `(?i)remove|keep one|delete`,
		},
		{
			name: "setting without a name (Azure CLI)",
			files: emConfig("app", map[string]string{"appsettings.json": `[
  {"value": "Hello", "slotSetting": false}
]
`}),
			args:   []string{"--app", "app", "--settings", "appsettings.json", "list"},
			status: 2,
			want:   `appsettings\.json:2:3: app setting has no "name"; every element needs a "name" and a "value"`,
			where:  `appsettings\.json:2:3`,
			advice: `(?i)needs a "name"|must have|add`,
		},

		// --- Finding the Go module and its main package ---
		{
			// Assumes no go.mod above the test's temporary folder.
			name:   "no go.mod anywhere",
			files:  emApp("app", map[string]string{"app/go.mod": ""}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `no go\.mod at, under or above app: the Go handler's module was not found; name it with --module \(host\.json runs "app" as the custom handler; if that is not a Go program, dfversion cannot version this app\)`,
			where:  `\bapp\b`,
			advice: `name it with --module`,
		},
		{
			name: "several go.mod below the app root",
			files: emApp("app", map[string]string{
				"app/go.mod":          "",
				"app/main.go":         "",
				"app/handler/go.mod":  emGoMod,
				"app/handler/main.go": emMain,
				"app/tools/go.mod":    "module example.com/tools\n\ngo 1.26\n",
				"app/tools/tools.go":  "package tools\n",
			}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `found 2 Go modules under app \(app/handler, app/tools\); name the handler's with --module`,
			where:  `app/handler, app/tools`,
			advice: `with --module`,
		},
		{
			name:   "--module folder missing",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "--module", "handler", "list"},
			status: 2,
			want:   `module directory handler does not exist; --module takes the folder of the handler's Go module or of its main package`,
			where:  `handler`,
			advice: `(?i)--module|check the path`,
		},
		{
			name:   "--module names a file",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "--module", "app/main.go", "list"},
			status: 2,
			want:   `module directory app/main\.go is not a directory; --module takes the folder of the handler's Go module or of its main package`,
			where:  `app/main\.go`,
			advice: `(?i)--module takes|name the folder|the folder that holds`,
		},
		{
			name:   "--module outside any Go module",
			files:  emApp("app", map[string]string{"app/go.mod": "", "handler/main.go": emMain, "app/main.go": ""}),
			args:   []string{"--app", "app", "--module", "handler", "list"},
			status: 2,
			want:   `no go\.mod at or above handler; --module takes the folder of the handler's Go module \(go mod init makes one\)`,
			where:  `handler`,
			advice: `(?i)--module|go mod init`,
		},
		{
			name:   "--module names a module without Go code",
			files:  emApp("app", map[string]string{"tools/go.mod": "module example.com/tools\n\ngo 1.26\n"}),
			args:   []string{"--app", "app", "--module", "tools", "list"},
			status: 2,
			want:   `tools: no Go packages in the module; name the handler's module with --module`,
			where:  `^tools:`,
			advice: `(?i)--module|name the handler`,
		},
		{
			name:   "no main package",
			files:  emApp("app", map[string]string{"app/main.go": "package handler\n\nimport \"net/http\"\n\n// Hello is an orchestrator.\nfunc Hello(w http.ResponseWriter, r *http.Request) {}\n"}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app: no main package: a custom handler is a Go program \(package main\)`,
			where:  `^app:`,
			advice: `a custom handler is a Go program \(package main\)`,
		},
		{
			name: "two main packages tied",
			files: emApp("app", map[string]string{
				"app/main.go":       "",
				"app/cmd/a/main.go": emMain,
				"app/cmd/b/main.go": emMain,
			}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `2 main packages \(app/cmd/a, app/cmd/b\) register the app's functions equally well; name the handler's with --module`,
			where:  `app/cmd/a, app/cmd/b`,
			advice: `name the handler's with --module`,
		},

		// --- Go code ---
		{
			name:   "Go file does not parse",
			files:  emApp("app", map[string]string{"app/main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/Hello\", nil\n}\n"}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/main\.go:6:31: Go file does not parse: missing ',' before newline in argument list`,
			where:  `app/main\.go:6:31`,
			advice: `missing ','`,
		},
		{
			name:   "function with no handler",
			files:  emApp("app", map[string]string{"app/Goodbye/function.json": emActivity}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/Goodbye/function\.json: no Go handler found for function Goodbye: nothing in package main at app \(or the packages it imports\) registers "/Goodbye"; register it, or remove the folder`,
			where:  `app/Goodbye/function\.json`,
			advice: `register it, or remove the folder`,
		},
		{
			name: "two handlers for one function",
			files: emApp("app", map[string]string{"app/main.go": `package main

import "net/http"

// Hello is an orchestrator.
func Hello(w http.ResponseWriter, r *http.Request) {}

func hello2(w http.ResponseWriter, r *http.Request) {}

func main() {
	http.HandleFunc("/Hello", Hello)
	http.HandleFunc("/Hello", hello2)
	_ = http.ListenAndServe(":8080", nil)
}
`}),
			args:   []string{"--app", "app", "list"},
			status: 2,
			want:   `app/main\.go:12:2: function Hello is registered twice, with different handlers: hello2 here and Hello at app/main\.go:11:2; remove one of the registrations`,
			where:  `app/main\.go:12:2`,
			advice: `(?i)\b(remove|delete|keep one)\b`,
		},

		// --- The command line ---
		{
			name:   "unknown command",
			args:   []string{"lst"},
			status: 2,
			want:   `unknown command "lst"; did you mean "list"\? \(see 'dfversion --help'\)`,
			advice: `see 'dfversion --help'`,
		},
		{
			name:   "unknown flag",
			args:   []string{"list", "--jsn"},
			status: 2,
			want:   `unknown flag --jsn; did you mean --json\? \(see 'dfversion list --help'\)`,
			advice: `see 'dfversion list --help'`,
		},
		{
			name:   "flag after an argument",
			files:  emApp("app", nil),
			args:   []string{"bump", "app", "--dry-run"},
			status: 2,
			want:   `bump takes no arguments, got "app" \(flags go before arguments; global flags before the command\)`,
			advice: `flags go before arguments`,
		},
		{
			name:   "stray argument",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "list", "Hello"},
			status: 2,
			want:   `list takes no arguments, got "Hello" \(flags go before arguments; global flags before the command\)`,
			advice: `takes no arguments`,
		},
		{
			name:   "flag without its value",
			args:   []string{"prune", "--keep"},
			status: 2,
			want:   `flag --keep needs a value \(see 'dfversion prune --help'\)`,
			advice: `see 'dfversion prune --help'`,
		},
		{
			name:   "check --format bad",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "check", "--format", "xml"},
			status: 2,
			want:   `--format "xml": want one of text, json, github, sarif`,
			advice: `want one of text, json, github, sarif`,
		},
		{
			name:   "prune --keep 0",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "prune", "--keep", "0"},
			status: 2,
			want:   `--keep must be at least 1, got 0`,
			advice: `must be at least 1`,
		},
		{
			name:   "prune without --keep or --version",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "prune"},
			status: 2,
			want:   `prune needs exactly one of --keep N and --version N`,
			advice: `needs exactly one of --keep N and --version N`,
		},
		{
			name:   "wait without --version or --all",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "wait", "--url", "https://app.azurewebsites.net"},
			status: 2,
			want:   `wait needs --version N \(repeatable\) or --all`,
			advice: `needs --version N \(repeatable\) or --all`,
		},
		{
			name:   "wait with --version and --all",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "wait", "--url", "https://app.azurewebsites.net", "--version", "1", "--all"},
			status: 2,
			want:   `give either --version or --all, not both`,
			advice: `give either --version or --all`,
		},
		{
			name:   "wait --interval 0",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "wait", "--url", "https://app.azurewebsites.net", "--all", "--interval", "0s"},
			status: 2,
			want:   `--interval must be positive, got 0s`,
			advice: `must be positive`,
		},
		{
			name:   "status without --url",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "status"},
			status: 2,
			want:   `status needs --url, the function app's base URL`,
			advice: `needs --url`,
		},
		{
			name:   "--key-env given the key itself",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "status", "--url", "https://app.azurewebsites.net", "--key-env", "c2VjcmV0a2V5Cg=="},
			status: 2,
			want:   `--key-env takes the name of an environment variable that holds the key, not the key itself`,
			advice: `takes the name of an environment variable`,
		},
		{
			name:   "--key-env names an unset variable",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "status", "--url", "https://app.azurewebsites.net", "--key-env", "DF_KEY_NEVER_SET_BY_ANYONE"},
			status: 2,
			want:   `--key-env DF_KEY_NEVER_SET_BY_ANYONE: the environment variable DF_KEY_NEVER_SET_BY_ANYONE is not set; put the app's durabletask_extension system key in it \(export DF_KEY_NEVER_SET_BY_ANYONE=\.\.\.\)`,
			where:  `DF_KEY_NEVER_SET_BY_ANYONE`,
			advice: `(?i)\b(set it|export|put the)\b`,
		},
		{
			name:   "--key-env names an empty variable",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "status", "--url", "https://app.azurewebsites.net", "--key-env", "DF_KEY_UNSET"},
			status: 2,
			want:   `--key-env DF_KEY_UNSET: the environment variable DF_KEY_UNSET is empty; put the app's durabletask_extension system key in it`,
			where:  `DF_KEY_UNSET`,
			advice: `(?i)\b(set it|export|put the)\b`,
		},
		{
			name:   "wait --version that is no version",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "wait", "--url", "https://app.azurewebsites.net", "--version", "one"},
			status: 2,
			want:   `--version "one": want a version number of 1 or more, such as 2 or v2`,
			advice: `such as 2 or v2`,
		},
		{
			name:   "prune a version above the newest",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "prune", "--version", "7"},
			status: 2,
			want:   `the app has no version 7: its newest is 1, and prune never removes the newest version`,
			advice: `its newest is 1`,
		},
		{
			name:   "a mistyped flag",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "bump", "--dryrun"},
			status: 2,
			want:   `unknown flag --dryrun; did you mean --dry-run\? \(see 'dfversion bump --help'\)`,
			advice: `did you mean --dry-run`,
		},
		{
			name:   "a flag's value of the wrong kind",
			args:   []string{"wait", "--timeout", "5"},
			status: 2,
			want:   `invalid value "5" for flag --timeout: not a duration \(30s, 5m, 1h\) \(see 'dfversion wait --help'\)`,
			advice: `not a duration \(30s, 5m, 1h\)`,
		},
		{
			name:   "plain http:// to another host",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "status", "--url", "http://app.azurewebsites.net"},
			status: 2,
			want:   `--url: insecure URL: refusing plain http:// to app\.azurewebsites\.net, which would send the key in clear text; use https://, or pass --insecure to allow it`,
			advice: `use https://, or pass --insecure`,
		},
		{
			name:   "--url with the key in its query",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "status", "--url", "https://app.azurewebsites.net/?code=c2VjcmV0"},
			status: 2,
			want:   `--url: the app's URL must not hold a query; the key goes in an environment variable`,
			advice: `the key goes in an environment variable`,
		},
		{
			name:   "--url without a scheme",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "status", "--url", "app.azurewebsites.net"},
			status: 2,
			want:   `--url: the app's URL "app\.azurewebsites\.net" has no scheme: add https:// \(https://app\.azurewebsites\.net\), or http:// for localhost`,
			advice: `add https://`,
		},
		{
			name:   "--request-timeout 0",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "status", "--url", "https://app.azurewebsites.net", "--request-timeout", "0s"},
			status: 2,
			want:   `--request-timeout must be positive, got 0s`,
			advice: `must be positive`,
		},
		{
			name:   "management API refuses: no key",
			files:  emConfig("app", nil),
			server: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "", http.StatusUnauthorized) },
			args:   []string{"--app", "app", "status", "--url", "{url}"},
			status: 2,
			want:   `listing instances: http://127\.0\.0\.1:\d+/runtime/webhooks/durabletask/instances requires a key \(HTTP 401 Unauthorized\): no key was sent; put the app's durabletask_extension system key in an environment variable and name it with --key-env`,
			advice: `name it with --key-env`,
		},
		{
			name:   "management API not found",
			files:  emConfig("app", nil),
			server: http.NotFound,
			args:   []string{"--app", "app", "status", "--url", "{url}"},
			status: 2,
			want:   `listing instances: no Durable Functions management endpoint at http://127\.0\.0\.1:\d+/runtime/webhooks/durabletask/instances for the app's default task hub \(HTTP 404 Not Found\): 404 page not found; check --url \(the app's base address\) and --task-hub`,
			advice: `check --url`,
		},

		// --- bump ---
		{
			name:   "bump: target folder exists",
			files:  emApp("app", map[string]string{"app/Hello_v2/notes.md": "Ideas for version 2.\n"}),
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `app/Hello_v2 already exists; a bump to version 2 would make it a function folder: move it away first`,
			where:  `app/Hello_v2`,
			advice: `move it away first`,
		},
		{
			name:   "bump: Go name taken",
			files:  emApp("app", map[string]string{"app/taken.go": "package main\n\n// Hello_v2 is something else altogether.\nfunc Hello_v2() {}\n"}),
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `app/main\.go:6:1: cannot clone Hello as Hello_v2: Hello_v2 is already declared at app/taken\.go:4:6; rename it or remove it`,
			where:  `app/taken\.go:4:6`,
			advice: `rename it or remove it`,
		},
		{
			name: "bump: Go name of a constant's copy taken",
			files: emApp("app", map[string]string{
				"app/SayHello/function.json": emActivity,
				"app/main.go": `package main

import "net/http"

const target = "SayHello"

// Hello is an orchestrator.
func Hello(w http.ResponseWriter, r *http.Request) { _ = target }

// SayHello is an activity.
func SayHello(w http.ResponseWriter, r *http.Request) {}

const target_v2 = "unrelated"

func main() {
	http.HandleFunc("/Hello", Hello)
	http.HandleFunc("/SayHello", SayHello)
	_ = http.ListenAndServe(":8080", nil)
}
`,
			}),
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `app/main\.go:5:7: cannot declare target_v2 for the new version of target: target_v2 is already declared at app/main\.go:13:7; rename it or remove it`,
			where:  `app/main\.go:13:7`,
			advice: `rename it or remove it`,
		},
		{
			name: "bump: registration outside a statement list",
			files: emApp("app", map[string]string{"app/main.go": `package main

import "net/http"

// Hello is an orchestrator.
func Hello(w http.ResponseWriter, r *http.Request) {}

func register(route string, h http.HandlerFunc) bool {
	http.HandleFunc(route, h)
	return true
}

var _ = register("/Hello", Hello)

func main() {
	_ = http.ListenAndServe(":8080", nil)
}
`}),
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `app/main\.go:13:9: the registration of Hello is not inside a statement list, so dfversion cannot copy or remove it; do it by hand`,
			where:  `app/main\.go:13:9`,
			advice: `do it by hand`,
		},
		{
			name: "bump: pointer in encrypted settings",
			files: emApp("app", map[string]string{
				"app/HttpStart/function.json": `{"bindings": [{"name": "req", "type": "httpTrigger", "direction": "in"}, {"name": "$return", "type": "http", "direction": "out"}, {"name": "starter", "type": "durableClient", "direction": "in"}]}` + "\n",
				"app/local.settings.json":     "{\n  \"IsEncrypted\": true,\n  \"Values\": {\n    \"HELLO_ORCHESTRATOR\": \"Hello\"\n  }\n}\n",
				"app/main.go": `package main

import (
	"net/http"
	"os"
)

// Hello is an orchestrator.
func Hello(w http.ResponseWriter, r *http.Request) {}

// HttpStart starts the orchestrator that HELLO_ORCHESTRATOR names.
func HttpStart(w http.ResponseWriter, r *http.Request) {
	_, _ = w.Write([]byte(os.Getenv("HELLO_ORCHESTRATOR")))
}

func main() {
	http.HandleFunc("/Hello", Hello)
	http.HandleFunc("/HttpStart", HttpStart)
	_ = http.ListenAndServe(":8080", nil)
}
`,
			}),
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `app/local\.settings\.json: moving HELLO_ORCHESTRATOR: setting "HELLO_ORCHESTRATOR" in app/local\.settings\.json: values are encrypted \("IsEncrypted": true\); run ` + "`func settings decrypt`" + ` first`,
			where:  `app/local\.settings\.json`,
			advice: "run `func settings decrypt` first",
		},
		{
			name: "bump: registered name taken",
			files: emApp("app", map[string]string{
				"app/Other/function.json": `{"bindings": [{"name": "context", "type": "orchestrationTrigger", "direction": "in", "orchestration": "Hello_v2"}]}` + "\n",
				"app/main.go": `package main

import "net/http"

// Hello is an orchestrator.
func Hello(w http.ResponseWriter, r *http.Request) {}

// Other is an orchestrator registered as Hello_v2.
func Other(w http.ResponseWriter, r *http.Request) {}

func main() {
	http.HandleFunc("/Hello", Hello)
	http.HandleFunc("/Other", Other)
	_ = http.ListenAndServe(":8080", nil)
}
`,
			}),
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `app/Other/function\.json: function Other already registers the name Hello_v2, which the copy of Hello would take; rename or remove that override`,
			where:  `app/Other/function\.json`,
			advice: `(?i)\b(rename|remove|change)\b`,
		},
		{
			name: "bump: copy of the registration would not compile",
			files: emApp("app", map[string]string{"app/main.go": `package main

import (
	"log"
	"net/http"
)

// Hello is an orchestrator.
func Hello(w http.ResponseWriter, r *http.Request) {}

func register(mux *http.ServeMux, route string, h http.HandlerFunc) error {
	mux.HandleFunc(route, h)
	return nil
}

func main() {
	mux := http.NewServeMux()
	err := register(mux, "/Hello", Hello)
	if err != nil {
		log.Fatal(err)
	}
	_ = http.ListenAndServe(":8080", mux)
}
`}),
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `the rewritten code would not compile, so nothing was written: app/main\.go \(rewritten\):\d+:\d+: no new variables on left side of :=; change the code around it so that a copy compiles, or make the copy by hand`,
			where:  `app/main\.go \(rewritten\):\d+:\d+`,
			advice: `(?i)by hand|instead|rewrite it`,
		},
		{
			name:   "bump: read-only file",
			files:  emApp("app", nil),
			setup:  func(t *testing.T, dir string) { emChmod(t, filepath.Join(dir, "app", "main.go"), 0o444) },
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `app/main\.go is read-only \(mode -r--r--r--\); make it writable to let it be changed; nothing written`,
			where:  `app/main\.go`,
			advice: `make it writable`,
		},
		{
			name:   "bump --base unknown ref",
			files:  emApp("app", nil),
			setup:  emGitCommit,
			args:   []string{"--app", "app", "bump", "--base", "origin/main"},
			status: 2,
			want:   `--base: git revision "origin/main" not found in .*`,
			advice: `(?i)git fetch|fetch it|name another`,
		},
		{
			name:  "bump from a version not committed",
			files: emApp("app", nil),
			setup: func(t *testing.T, dir string) {
				emGitCommit(t, dir)
				emWrite(t, dir, map[string]string{"app/Hello_v2/function.json": emOrchestrator, "app/main.go": emMainV2})
			},
			args:   []string{"--app", "app", "bump"},
			status: 2,
			want:   `Hello_v2 is not committed yet, so no instance can run it: edit it instead of bumping again, or pass --force`,
			where:  `Hello_v2`,
			advice: `edit it instead of bumping again, or pass --force`,
		},

		// --- lock ---
		{
			name:   "dfversion.lock malformed",
			files:  emApp("app", map[string]string{"app/dfversion.lock": "{\n  \"lockVersion\": 1,\n  \"functions\": {\n<<<<<<< HEAD\n  }\n}\n"}),
			args:   []string{"--app", "app", "lock"},
			status: 2,
			want:   `app/dfversion\.lock:4:1: invalid JSON: invalid character '<' looking for beginning of object key string; keys must be quoted strings \(a merge-conflict marker or a stray character\?\); restore the lock from git, or delete it and run 'dfversion lock' again`,
			where:  `app/dfversion\.lock:4:1`,
			advice: `(?i)restore|git checkout|rerun|dfversion lock`,
		},
		{
			name:   "dfversion.lock from a newer dfversion",
			files:  emApp("app", map[string]string{"app/dfversion.lock": `{"lockVersion": 99, "functions": {}}` + "\n"}),
			args:   []string{"--app", "app", "lock"},
			status: 2,
			want:   `app/dfversion\.lock:1:1: lockVersion 99 is not one this dfversion reads \(\d+ to \d+\); upgrade dfversion`,
			where:  `app/dfversion\.lock:1:1`,
			advice: `upgrade dfversion`,
		},
		{
			name:   "lock refuses a changed released version",
			files:  emApp("app", nil),
			setup:  emLockThen("app/main.go", emMainChanged),
			args:   []string{"--app", "app", "lock"},
			status: 2,
			want:   `app/dfversion\.lock: released version changed since it was recorded in the lock: Hello \(app/main\.go:6:1\); that breaks instances in flight, so move the change to a new version with 'dfversion bump' \(or, if the released code really is what is there now, rerun with --rewrite NAME\)`,
			where:  `app/main\.go:\d+:\d+|app/dfversion\.lock`,
			advice: `'dfversion bump' \(or, .* rerun with --rewrite NAME\)`,
		},
		{
			name:   "lock --rewrite unknown function",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "lock", "--rewrite", "Helo"},
			status: 2,
			want:   `app/dfversion\.lock: --rewrite Helo: no durable function of that name; the app has Hello`,
			advice: `(?i)one of|did you mean|Hello`,
		},

		// --- check ---
		{
			name:   "check finds a changed released orchestrator",
			files:  emApp("app", nil),
			setup:  emLockThen("app/main.go", emMainChanged),
			args:   []string{"--app", "app", "check"},
			status: 1,
			want:   `app/main\.go:6:1: Hello \(v1, released\) changed; move this change to a new version with 'dfversion bump'`,
			where:  `app/main\.go:6:1`,
			advice: `move this change to a new version with 'dfversion bump'`,
		},
		{
			name:   "check finds a function with no handler",
			files:  emApp("app", map[string]string{"app/Goodbye/function.json": emActivity}),
			args:   []string{"--app", "app", "check"},
			status: 1,
			want:   `app/Goodbye/function\.json:1:1: no Go handler found for function Goodbye: nothing in package main at app \(or the packages it imports\) registers "/Goodbye"; register it, or remove the folder`,
			where:  `app/Goodbye/function\.json:1:1`,
			advice: `register it, or remove the folder`,
		},
		{
			name:   "check --against unknown ref",
			files:  emApp("app", nil),
			setup:  emGitCommit,
			args:   []string{"--app", "app", "check", "--against", "origin/main"},
			status: 2,
			want:   `--against: git revision "origin/main" not found in .*`,
			advice: `(?i)git fetch|fetch it|fetch-depth`,
		},
		{
			name:   "check --against outside git",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "check", "--against", "origin/main"},
			status: 2,
			want:   `--against origin/main: app is not in a git repository; run it in a git checkout, or drop --against`,
			where:  `\bapp\b`,
			advice: `(?i)without --against|git clone|git init|checkout`,
		},
		{
			name:   "check --staged outside git",
			files:  emApp("app", nil),
			args:   []string{"--app", "app", "check", "--staged"},
			status: 2,
			want:   `--staged: app is not in a git repository; run it in a git checkout, or drop --staged`,
			where:  `\bapp\b`,
			advice: `(?i)without --staged|git init|checkout`,
		},

		// --- hook ---
		{
			name:  "hook install over an existing hook",
			files: emConfig("app", map[string]string{".git/hooks/pre-commit": "#!/bin/sh\nmake lint\n"}),
			setup: func(t *testing.T, dir string) {
				emGit(t, dir, "init", "-q")
				emChmod(t, filepath.Join(dir, ".git", "hooks", "pre-commit"), 0o755)
			},
			args:   []string{"--app", "app", "hook", "install"},
			status: 2,
			want:   `.*/\.git/hooks/pre-commit already exists; dfversion will not replace it without --force \(or call 'dfversion check --staged' from it\)`,
			where:  `\.git/hooks/pre-commit`,
			advice: `without --force`,
		},
		{
			name:   "hook install outside git",
			files:  emConfig("app", nil),
			args:   []string{"--app", "app", "hook", "install"},
			status: 2,
			want:   `app is not in a git repository: there is no hook to install \(run git init, or name the app inside your repository with --app\)`,
			where:  `\bapp\b`,
			advice: `(?i)git init|--app`,
		},
		{
			name:   "hook install without host.json",
			files:  map[string]string{"functions/README.md": "The app.\n"},
			setup:  func(t *testing.T, dir string) { emGit(t, dir, "init", "-q") },
			args:   []string{"--app", "functions", "hook", "install"},
			status: 2,
			want:   `functions has no host\.json: name the app with --app`,
			where:  `functions`,
			advice: `name the app with --app`,
		},

		// --- prune ---
		{
			name:   "prune the newest version",
			files:  emApp("app", map[string]string{"app/Hello_v2/function.json": emOrchestrator, "app/main.go": emMainV2}),
			args:   []string{"--app", "app", "prune", "--version", "2"},
			status: 2,
			want:   `version 2 is the app's newest: prune never removes the newest version`,
			advice: `prune never removes the newest version`,
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			emWrite(t, dir, tc.files)
			t.Chdir(dir)
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			args := tc.args
			if tc.server != nil {
				srv := httptest.NewServer(tc.server)
				defer srv.Close()
				args = nil
				for _, a := range tc.args {
					args = append(args, strings.ReplaceAll(a, "{url}", srv.URL))
				}
			}
			tc.args = args
			before := emSnapshot(t, dir)
			var stdout, stderr bytes.Buffer
			code, panicked := emRun(tc.args, &stdout, &stderr)
			if panicked != nil {
				t.Fatalf("dfversion %s panicked: %v", strings.Join(tc.args, " "), panicked)
			}
			emCheck(t, tc, code, stdout.String(), stderr.String())
			if after := emSnapshot(t, dir); code == 2 && after != before {
				t.Errorf("the tree changed although dfversion failed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// emRun runs the command line in-process, turning a panic into a value.
func emRun(args []string, stdout, stderr *bytes.Buffer) (code int, panicked any) {
	defer func() { panicked = recover() }()
	return run(append([]string{"dfversion"}, args...), stdout, stderr), nil
}

// emCheck checks one row's outcome.
func emCheck(t *testing.T, tc emCase, code int, stdout, stderr string) {
	t.Helper()
	cmd := "dfversion " + strings.Join(tc.args, " ")
	if code != tc.status {
		t.Errorf("%s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", cmd, code, tc.status, stdout, stderr)
	}
	if !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 {
		t.Fatalf("%s: stderr is not exactly one line:\n%s", cmd, stderr)
	}
	line := strings.TrimSuffix(stderr, "\n")
	msg, ok := strings.CutPrefix(line, "dfversion: ")
	if !ok {
		t.Fatalf("%s: stderr does not start with \"dfversion: \": %q", cmd, line)
	}
	for _, bad := range []string{"panic", "goroutine ", "warning:"} {
		if strings.Contains(line, bad) {
			t.Errorf("%s: stderr holds %q: %q", cmd, bad, line)
		}
	}
	// The message to judge: the error itself, or for check findings the
	// finding on standard output that matches want.
	subject := msg
	want := regexp.MustCompile(`^(?:` + tc.want + `)$`)
	if tc.status == 1 {
		// A finding ends with its rule id.
		want = regexp.MustCompile(`^(?:` + tc.want + `) \[[a-z-]+\]$`)
		if !regexp.MustCompile(`^\d+ errors?, \d+ notes?$`).MatchString(msg) {
			t.Errorf("%s: stderr is %q, want the count of findings", cmd, line)
		}
		subject = ""
		for _, l := range strings.Split(stdout, "\n") {
			if want.MatchString(l) {
				subject = l
				break
			}
		}
		if subject == "" {
			t.Fatalf("%s: no finding on stdout matches %q:\n%s", cmd, tc.want, stdout)
		}
	} else if !want.MatchString(subject) {
		t.Errorf("%s: message\n\t%s\ndoes not match\n\t%s", cmd, subject, tc.want)
	}
	if tc.where != "" && !regexp.MustCompile(tc.where).MatchString(subject) {
		t.Errorf("%s: message does not name the offending file (want %q):\n\t%s", cmd, tc.where, subject)
	}
	if tc.advice == "" {
		t.Errorf("%s: the row gives no advice to look for; every message must say what to do", cmd)
	} else if !regexp.MustCompile(tc.advice).MatchString(subject) {
		t.Errorf("%s: message does not say what to do (want %q):\n\t%s", cmd, tc.advice, subject)
	}
}

// emWrite writes files (slash-separated paths relative to dir) into dir.
func emWrite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// emSnapshot describes every file under dir but .git, with its mode and
// content, to tell whether a command changed anything.
func emSnapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%s %s", filepath.ToSlash(rel), info.Mode())
		if !d.IsDir() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %q", data)
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func emChmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// emGit runs git in dir.
func emGit(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// emGitCommit makes dir a git repository with everything in it committed.
func emGitCommit(t *testing.T, dir string) {
	t.Helper()
	emGit(t, dir, "init", "-q")
	emGit(t, dir, "add", "-A")
	emGit(t, dir, "commit", "-q", "-m", "The app")
}

// emLockThen returns a setup that records the app at ./app as released
// with dfversion lock, then replaces file with content.
func emLockThen(file, content string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run([]string{"dfversion", "--app", "app", "lock"}, &stdout, &stderr); code != 0 {
			t.Fatalf("dfversion --app app lock: exit status %d\n%s%s", code, stdout.String(), stderr.String())
		}
		emWrite(t, dir, map[string]string{file: content})
	}
}
