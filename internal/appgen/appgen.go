// Package appgen writes synthetic function apps for benchmarks and property
// tests: a host.json, local.settings.json, one folder per function, and a
// self-contained Go module (no dependencies) whose handlers are registered
// the way real apps register them.
package appgen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"text/template"
)

// Spec describes an app to generate.
type Spec struct {
	// Orchestrators and Activities are how many of each to write. Each
	// orchestrator calls ActivitiesPerOrchestrator activities, chosen in
	// turn, by Go function value.
	Orchestrators             int
	Activities                int
	ActivitiesPerOrchestrator int
}

// Names returns the function names an app of spec has, in the order
// Write creates them: orchestrators, activities, then the client.
func (s Spec) Names() []string {
	var names []string
	for i := range s.Orchestrators {
		names = append(names, orchestratorName(i))
	}
	for i := range s.Activities {
		names = append(names, activityName(i))
	}
	return append(names, ClientName)
}

// ClientName is the generated client function, which starts the
// orchestrator named by the PointerSetting app setting.
const (
	ClientName     = "HttpStart"
	PointerSetting = "ORCHESTRATOR_NAME"
)

func orchestratorName(i int) string { return fmt.Sprintf("Orchestrator%03d", i) }
func activityName(i int) string     { return fmt.Sprintf("Activity%03d", i) }

// Write writes the app of spec into dir, which must exist.
func Write(dir string, spec Spec) error {
	files := map[string]string{
		"host.json": `{
  "version": "2.0",
  "customHandler": {
    "description": {"defaultExecutablePath": "app", "workingDirectory": "", "arguments": []},
    "enableForwardingHttpRequest": false
  },
  "extensions": {"durableTask": {"hubName": "GeneratedHub"}}
}
`,
		"local.settings.json": fmt.Sprintf(`{
  "IsEncrypted": false,
  "Values": {
    "FUNCTIONS_WORKER_RUNTIME": "custom",
    "AzureWebJobsStorage": "UseDevelopmentStorage=true",
    %q: %q
  }
}
`, PointerSetting, orchestratorName(0)),
		"go.mod": "module example.com/generated\n\ngo 1.26\n",
		filepath.Join(ClientName, "function.json"): `{
  "bindings": [
    {"authLevel": "anonymous", "name": "req", "type": "httpTrigger", "direction": "in", "methods": ["post"]},
    {"name": "$return", "type": "http", "direction": "out"},
    {"name": "starter", "type": "durableClient", "direction": "in"}
  ]
}
`,
	}
	for i := range spec.Orchestrators {
		files[filepath.Join(orchestratorName(i), "function.json")] =
			`{"bindings": [{"name": "context", "type": "orchestrationTrigger", "direction": "in"}]}` + "\n"
	}
	for i := range spec.Activities {
		files[filepath.Join(activityName(i), "function.json")] =
			`{"bindings": [{"name": "input", "type": "activityTrigger", "direction": "in"}]}` + "\n"
	}
	var code bytes.Buffer
	if err := mainTemplate.Execute(&code, templateData(spec)); err != nil {
		return fmt.Errorf("generating main.go: %w", err)
	}
	files["main.go"] = code.String()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

type orchestratorData struct {
	Name  string
	Calls []string
}

type data struct {
	Orchestrators []orchestratorData
	Activities    []string
	Client        string
	Setting       string
}

func templateData(spec Spec) data {
	d := data{Client: ClientName, Setting: PointerSetting}
	for i := range spec.Activities {
		d.Activities = append(d.Activities, activityName(i))
	}
	for i := range spec.Orchestrators {
		o := orchestratorData{Name: orchestratorName(i)}
		for j := range spec.ActivitiesPerOrchestrator {
			if len(d.Activities) > 0 {
				o.Calls = append(o.Calls, d.Activities[(i+j)%len(d.Activities)])
			}
		}
		d.Orchestrators = append(d.Orchestrators, o)
	}
	return d
}

var mainTemplate = template.Must(template.New("main.go").Parse(`// Command generated is a synthetic custom-handler function app.
package main

import (
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"runtime"
	"strings"
)

// OrchestrationContext records the activities an orchestrator calls.
type OrchestrationContext struct{ calls []string }

// CallActivity calls the activity fn, named by reflection.
func (c *OrchestrationContext) CallActivity(fn any, input any) error {
	name := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name()
	c.calls = append(c.calls, name[strings.LastIndex(name, ".")+1:])
	return nil
}

// ActivityContext is an activity's input.
type ActivityContext struct{ Input json.RawMessage }

func mapOrchestrator(o func(*OrchestrationContext) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := &OrchestrationContext{}
		out, err := o(ctx)
		_ = json.NewEncoder(w).Encode(map[string]any{"ReturnValue": out, "calls": ctx.calls, "error": err})
	}
}

func mapActivity(a func(*ActivityContext) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		out, err := a(&ActivityContext{})
		_ = json.NewEncoder(w).Encode(map[string]any{"ReturnValue": out, "error": err})
	}
}
{{range .Orchestrators}}
// {{.Name}} is a generated orchestrator.
func {{.Name}}(ctx *OrchestrationContext) (any, error) {
{{- range .Calls}}
	if err := ctx.CallActivity({{.}}, "input"); err != nil {
		return nil, err
	}
{{- end}}
	return "done", nil
}
{{end}}
{{- range .Activities}}
// {{.}} is a generated activity.
func {{.}}(ctx *ActivityContext) (any, error) {
	return "{{.}} done", nil
}
{{end}}
// {{.Client}} starts the orchestrator that the {{.Setting}} setting names.
func {{.Client}}(w http.ResponseWriter, r *http.Request) {
	name := os.Getenv("{{.Setting}}")
	_ = json.NewEncoder(w).Encode(map[string]string{"started": name})
}

func main() {
{{- range .Orchestrators}}
	http.HandleFunc("/{{.Name}}", mapOrchestrator({{.Name}}))
{{- end}}
{{- range .Activities}}
	http.HandleFunc("/{{.}}", mapActivity({{.}}))
{{- end}}
	http.HandleFunc("/{{.Client}}", {{.Client}})
	port := os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT")
	if port == "" {
		port = "8080"
	}
	_ = http.ListenAndServe(":"+port, nil)
}
`))
