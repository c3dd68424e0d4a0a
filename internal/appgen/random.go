package appgen

import (
	"fmt"
	"go/format"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// RandomSpec describes a randomly shaped app: how many orchestrators and
// activities, at which versions (some already at _v2 or _v3), which
// orchestrator calls what, how each call names its target and how each
// handler is registered. NewRandom draws one from a seed; Write writes it.
// The code is one gofmt-clean main.go that needs nothing but the standard
// library, and the app passes dfversion check as generated: every
// orchestrator version k calls the newest version at or below k of what it
// calls, and the pointer setting names the newest orchestrator.
type RandomSpec struct {
	Seed int64
	// Module is the Go module path.
	Module string
	// Version is the app's version: the highest version of any function.
	Version int
	// Functions are the orchestrators, then the activities, each by base
	// name and then by version.
	Functions []RandomFunction
	// Pointer is the client's pointer setting.
	Pointer RandomPointer
	// DefaultVersion is host.json's extensions.durableTask.defaultVersion
	// ("" when host.json has none).
	DefaultVersion string
	// LocalMaps puts the registration maps in main instead of at package
	// level; SlashKeys writes their keys as routes ("/Name") instead of
	// names.
	LocalMaps, SlashKeys bool
	// ConstGroup declares the name constants in one parenthesized group
	// instead of one declaration each.
	ConstGroup bool
}

// RandomFunction is one durable function of a random app.
type RandomFunction struct {
	// Name is the function (folder) name, which is also its handler's Go
	// name: Base for version 1, Base_v<Version> otherwise.
	Name    string
	Base    string
	Version int
	Kind    string // "orchestrator" or "activity"
	// Register is how main registers the handler; Handle is true for
	// Handle(route, handler) rather than HandleFunc(route, handler) (for
	// RegisterDirect and RegisterMux).
	Register Registration
	Handle   bool
	// Calls are an orchestrator's durable calls, in order.
	Calls []RandomCall
	// Helper is true when the handler calls the (non-durable) helper
	// function describe.
	Helper bool
	// Registered is the name durable calls use: Name, or the trigger's
	// "orchestration" / "activity" override when Override is set (which
	// may equal Name: an explicit override of the function's own name).
	Registered string
	Override   bool
}

// Registration is a shape of handler registration.
type Registration string

// The registration shapes.
const (
	// RegisterDirect is http.HandleFunc("/Name", mapX(Name)) (or Handle).
	RegisterDirect Registration = "direct"
	// RegisterMap is an entry of a map literal of name to handler that
	// main loops over.
	RegisterMap Registration = "map"
	// RegisterMux is mux.HandleFunc("/Name", mapX(Name)) (or Handle) on an
	// http.ServeMux.
	RegisterMux Registration = "mux"
)

// Reference is a way for a durable call to name its target.
type Reference string

// The reference styles.
const (
	ByValue    Reference = "value"    // ctx.CallActivity(Activity001, ...)
	ByString   Reference = "string"   // ctx.CallActivity("Activity001", ...)
	ByConstant Reference = "constant" // ctx.CallActivity(activity001Name, ...)
)

// RandomCall is one durable call of an orchestrator.
type RandomCall struct {
	// Target is the name of the function called (its folder name);
	// string literals and constants hold its registered name.
	Target string
	// Sub is true for a sub-orchestration, false for an activity.
	Sub bool
	Ref Reference
	// Const is the package-level string constant holding Target's
	// registered name, for ByConstant.
	Const string
	// Registered is Target's registered name.
	Registered string
}

// RandomPointer is the setting that tells the client which orchestrator to
// start.
type RandomPointer struct {
	Setting string
	// Value is the setting's value: the newest orchestrator's name, or a
	// bare version ("v3", "3") that the client joins to Prefix.
	Value string
	// Bare is true for a bare version.
	Bare   bool
	Prefix string
	// Fallback is the orchestrator name the client starts when the setting
	// is empty ("" for none).
	Fallback string
}

// NewRandom draws the spec of an app from seed. The same seed always gives
// the same spec.
func NewRandom(seed int64) RandomSpec {
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	s := RandomSpec{
		Seed:       seed,
		Module:     fmt.Sprintf("example.com/generated/seed%d", seed),
		Version:    1 + r.IntN(3),
		LocalMaps:  r.IntN(2) == 0,
		SlashKeys:  r.IntN(2) == 0,
		ConstGroup: r.IntN(2) == 0,
	}
	nOrch, nAct := 1+r.IntN(3), r.IntN(5)
	versions := func(forceTop bool) []int {
		top := s.Version
		if !forceTop && r.IntN(3) == 0 {
			top = 1 + r.IntN(s.Version)
		}
		var vs []int
		for v := 1; v < top; v++ {
			if r.IntN(2) == 0 {
				vs = append(vs, v)
			}
		}
		return append(vs, top)
	}
	register := func(f *RandomFunction) {
		f.Register = []Registration{RegisterDirect, RegisterMap, RegisterMux}[r.IntN(3)]
		f.Handle = f.Register != RegisterMap && r.IntN(2) == 0
		f.Helper = r.IntN(3) == 0
	}
	// The versions of every base, orchestrators first.
	type base struct {
		name     string
		kind     string
		versions []int
		// constStyle names the constants that hold this base's names.
		constStyle int
		// override is how the trigger names the function: 0 not at all,
		// 1 by its own name, 2 by an alias (Activity001Task_v2).
		override int
	}
	var bases []base
	for i := range nOrch {
		bases = append(bases, base{name: orchestratorName(i), kind: "orchestrator", versions: versions(i == 0), constStyle: r.IntN(2)})
	}
	for i := range nAct {
		bases = append(bases, base{name: activityName(i), kind: "activity", versions: versions(false), constStyle: r.IntN(2)})
	}
	// Overrides come from a stream of their own, so that adding them did
	// not change the apps that seeds gave before. Aliases go on any base
	// but the one the pointer names; an explicit override of a function's
	// own name on at most one base, in about one app in eight.
	ro := rand.New(rand.NewPCG(uint64(seed), 0x5851f42d4c957f2d))
	for i := range bases {
		if i > 0 && ro.IntN(8) == 0 {
			bases[i].override = 2
		}
	}
	if ro.IntN(8) == 0 {
		bases[ro.IntN(len(bases))].override = 1
	}
	registered := func(b base, v int) string {
		if b.override == 2 {
			return versionedName(b.name+"Task", v)
		}
		return versionedName(b.name, v)
	}
	// newestAtMost is the name of the newest version of b at or below k.
	newestAtMost := func(b base, k int) (string, int, bool) {
		best := 0
		for _, v := range b.versions {
			if v <= k {
				best = v
			}
		}
		return versionedName(b.name, best), best, best > 0
	}
	constName := func(b base, v int) string {
		if b.constStyle == 0 {
			// Named like the function: activity001, activity001_v2.
			return lowerFirst(registered(b, v))
		}
		// Named after the base: activity001Name, activity001NameV2.
		name := lowerFirst(b.name) + "Name"
		if v > 1 {
			name += fmt.Sprintf("V%d", v)
		}
		return name
	}
	for bi, b := range bases {
		for _, v := range b.versions {
			f := RandomFunction{Name: versionedName(b.name, v), Base: b.name, Version: v, Kind: b.kind,
				Registered: registered(b, v), Override: b.override > 0}
			register(&f)
			if b.kind == "orchestrator" {
				// Activities, and orchestrators after this one (no cycles),
				// that exist at this version.
				var targets []int
				for ti, t := range bases {
					if _, _, ok := newestAtMost(t, v); ok && (t.kind == "activity" || ti > bi) {
						targets = append(targets, ti)
					}
				}
				for n := r.IntN(4); n > 0 && len(targets) > 0; n-- {
					t := bases[targets[r.IntN(len(targets))]]
					name, tv, _ := newestAtMost(t, v)
					c := RandomCall{Target: name, Registered: registered(t, tv), Sub: t.kind == "orchestrator", Ref: []Reference{ByValue, ByString, ByConstant}[r.IntN(3)]}
					if c.Ref == ByConstant {
						c.Const = constName(t, tv)
					}
					f.Calls = append(f.Calls, c)
				}
			}
			s.Functions = append(s.Functions, f)
		}
	}
	top := versionedName(orchestratorName(0), s.Version)
	s.Pointer = RandomPointer{Setting: "ORCHESTRATOR_NAME", Value: top}
	switch {
	case s.Version > 1 && r.IntN(3) == 0:
		s.Pointer.Setting, s.Pointer.Bare = "ORCHESTRATOR_VERSION", true
		if r.IntN(2) == 0 {
			s.Pointer.Value, s.Pointer.Prefix = fmt.Sprintf("v%d", s.Version), orchestratorName(0)+"_"
		} else {
			s.Pointer.Value, s.Pointer.Prefix = fmt.Sprint(s.Version), orchestratorName(0)+"_v"
		}
	case r.IntN(2) == 0:
		s.Pointer.Fallback = top
	}
	switch r.IntN(4) {
	case 1:
		s.DefaultVersion = fmt.Sprintf("v%d", s.Version)
	case 2:
		s.DefaultVersion = fmt.Sprintf("%d.0", s.Version)
	}
	return s
}

// WriteRandom writes the app drawn from seed into dir, which must exist,
// and returns its spec.
func WriteRandom(dir string, seed int64) (RandomSpec, error) {
	s := NewRandom(seed)
	return s, s.Write(dir)
}

// Function returns the function of the spec with the given name.
func (s RandomSpec) Function(name string) (RandomFunction, bool) {
	for _, f := range s.Functions {
		if f.Name == name {
			return f, true
		}
	}
	return RandomFunction{}, false
}

// Latest returns the newest version of every base, in the order of
// Functions.
func (s RandomSpec) Latest() []RandomFunction {
	idx := map[string]int{}
	var out []RandomFunction
	for _, f := range s.Functions {
		if i, ok := idx[f.Base]; ok {
			if f.Version > out[i].Version {
				out[i] = f
			}
			continue
		}
		idx[f.Base] = len(out)
		out = append(out, f)
	}
	return out
}

// Write writes the app of s into dir, which must exist.
func (s RandomSpec) Write(dir string) error {
	code, err := s.MainGo()
	if err != nil {
		return err
	}
	dt := `{"hubName": "GeneratedHub"}`
	if s.DefaultVersion != "" {
		dt = fmt.Sprintf(`{"hubName": "GeneratedHub", "defaultVersion": %q}`, s.DefaultVersion)
	}
	files := map[string]string{
		"host.json": `{
  "version": "2.0",
  "customHandler": {
    "description": {"defaultExecutablePath": "app", "workingDirectory": "", "arguments": []},
    "enableForwardingHttpRequest": false
  },
  "extensions": {"durableTask": ` + dt + `}
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
`, s.Pointer.Setting, s.Pointer.Value),
		"go.mod":  "module " + s.Module + "\n\ngo 1.26\n",
		"main.go": string(code),
		filepath.Join(ClientName, "function.json"): `{
  "bindings": [
    {"authLevel": "anonymous", "name": "req", "type": "httpTrigger", "direction": "in", "methods": ["post"]},
    {"name": "$return", "type": "http", "direction": "out"},
    {"name": "starter", "type": "durableClient", "direction": "in"}
  ]
}
`,
	}
	for _, f := range s.Functions {
		trigger, name, override := "orchestrationTrigger", "context", "orchestration"
		if f.Kind == "activity" {
			trigger, name, override = "activityTrigger", "input", "activity"
		}
		extra := ""
		if f.Override {
			extra = fmt.Sprintf(", %q: %q", override, f.Registered)
		}
		files[filepath.Join(f.Name, "function.json")] =
			fmt.Sprintf(`{"bindings": [{"name": %q, "type": %q, "direction": "in"%s}]}`+"\n", name, trigger, extra)
	}
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

// randomSDK is the stand-in for a durable SDK that random apps carry.
const randomSDK = `// OrchestrationContext records the durable calls an orchestrator makes.
type OrchestrationContext struct{ calls []string }

// CallActivity calls an activity, named by a string or by its Go function.
func (c *OrchestrationContext) CallActivity(activity any, input any) error {
	c.calls = append(c.calls, "activity "+durableName(activity))
	return nil
}

// CallSubOrchestrator calls an orchestrator, named by a string or by its Go
// function.
func (c *OrchestrationContext) CallSubOrchestrator(orchestrator any, input any) error {
	c.calls = append(c.calls, "suborchestration "+durableName(orchestrator))
	return nil
}

// durableName is the name of a durable function: the string itself, or a
// function's Go name.
func durableName(fn any) string {
	if s, ok := fn.(string); ok {
		return s
	}
	name := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name()
	return name[strings.LastIndex(name, ".")+1:]
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
		out, err := a(&ActivityContext{Input: json.RawMessage(` + "`" + `"input"` + "`" + `)})
		_ = json.NewEncoder(w).Encode(map[string]any{"ReturnValue": out, "error": err})
	}
}

// describe is a helper that handlers call: code that is not durable.
func describe(n int) string { return strings.Repeat("*", n) }
`

// MainGo returns the app's main.go, gofmt-clean.
func (s RandomSpec) MainGo() ([]byte, error) {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("// Command generated is a synthetic custom-handler function app, drawn from\n// seed %d.\npackage main\n\n", s.Seed)
	w("import (\n\t\"encoding/json\"\n\t\"net/http\"\n\t\"os\"\n\t\"reflect\"\n\t\"runtime\"\n\t\"strings\"\n)\n\n")
	w("%s\n", randomSDK)

	// Constants, in order of first use.
	var consts []RandomCall
	seen := map[string]bool{}
	for _, f := range s.Functions {
		for _, c := range f.Calls {
			if c.Ref == ByConstant && !seen[c.Const] {
				seen[c.Const] = true
				consts = append(consts, c)
			}
		}
	}
	sort.SliceStable(consts, func(i, j int) bool { return consts[i].Const < consts[j].Const })
	if len(consts) > 0 {
		if s.ConstGroup {
			w("// Names of the durable functions that orchestrators call by constant.\nconst (\n")
			for _, c := range consts {
				w("\t%s = %q\n", c.Const, c.Registered)
			}
			w(")\n\n")
		} else {
			for _, c := range consts {
				w("// %s names %s.\nconst %s = %q\n\n", c.Const, c.Registered, c.Const, c.Registered)
			}
		}
	}

	for _, f := range s.Functions {
		w("// %s is version %d of a generated %s.\n", f.Name, f.Version, f.Kind)
		if f.Kind == "orchestrator" {
			w("func %s(ctx *OrchestrationContext) (any, error) {\n", f.Name)
			for i, c := range f.Calls {
				method := "CallActivity"
				if c.Sub {
					method = "CallSubOrchestrator"
				}
				var arg string
				switch c.Ref {
				case ByValue:
					arg = c.Target
				case ByString:
					arg = fmt.Sprintf("%q", c.Registered)
				case ByConstant:
					arg = c.Const
				}
				w("\tif err := ctx.%s(%s, \"input %d\"); err != nil {\n\t\treturn nil, err\n\t}\n", method, arg, i)
			}
			if f.Helper {
				w("\treturn describe(%d), nil\n}\n\n", len(f.Calls))
			} else {
				w("\treturn \"done\", nil\n}\n\n")
			}
			continue
		}
		w("func %s(ctx *ActivityContext) (any, error) {\n", f.Name)
		w("\tvar input string\n\tif err := json.Unmarshal(ctx.Input, &input); err != nil {\n\t\treturn nil, err\n\t}\n")
		if f.Helper {
			w("\treturn describe(%d) + input, nil\n}\n\n", f.Version)
		} else {
			w("\treturn \"v%d: \" + input, nil\n}\n\n", f.Version)
		}
	}

	// The client.
	w("// %s starts the orchestrator that the %s setting names.\n", ClientName, s.Pointer.Setting)
	w("func %s(w http.ResponseWriter, r *http.Request) {\n", ClientName)
	if s.Pointer.Bare {
		w("\tname := %q + os.Getenv(%q)\n", s.Pointer.Prefix, s.Pointer.Setting)
	} else {
		w("\tname := os.Getenv(%q)\n", s.Pointer.Setting)
		if s.Pointer.Fallback != "" {
			w("\tif name == \"\" {\n\t\tname = %q\n\t}\n", s.Pointer.Fallback)
		}
	}
	w("\t_ = json.NewEncoder(w).Encode(map[string]string{\"started\": name})\n}\n\n")

	// Registration maps.
	maps := func(indent string, define bool) {
		for _, kind := range []string{"orchestrator", "activity"} {
			var entries []RandomFunction
			for _, f := range s.Functions {
				if f.Kind == kind && f.Register == RegisterMap {
					entries = append(entries, f)
				}
			}
			if len(entries) == 0 {
				continue
			}
			ctx := "*OrchestrationContext"
			if kind == "activity" {
				ctx = "*ActivityContext"
			}
			if define {
				w("%s%s := map[string]func(%s) (any, error){\n", indent, plural(kind), ctx)
			} else {
				w("// %s maps names to the %s that main registers in a loop.\nvar %s = map[string]func(%s) (any, error){\n", plural(kind), plural(kind), plural(kind), ctx)
			}
			for _, f := range entries {
				key := f.Name
				if s.SlashKeys {
					key = "/" + key
				}
				w("%s\t%q: %s,\n", indent, key, f.Name)
			}
			w("%s}\n", indent)
		}
	}
	if !s.LocalMaps {
		maps("", false)
		w("\n")
	}

	w("func main() {\n")
	usesMux := false
	for _, f := range s.Functions {
		usesMux = usesMux || f.Register == RegisterMux
	}
	if usesMux {
		w("\tmux := http.NewServeMux()\n")
	}
	if s.LocalMaps {
		maps("\t", true)
	}
	for _, f := range s.Functions {
		wrap := "mapOrchestrator"
		if f.Kind == "activity" {
			wrap = "mapActivity"
		}
		method := "HandleFunc"
		if f.Handle {
			method = "Handle"
		}
		switch f.Register {
		case RegisterDirect:
			w("\thttp.%s(%q, %s(%s))\n", method, "/"+f.Name, wrap, f.Name)
		case RegisterMux:
			w("\tmux.%s(%q, %s(%s))\n", method, "/"+f.Name, wrap, f.Name)
		}
	}
	for _, kind := range []string{"orchestrator", "activity"} {
		looped := false
		for _, f := range s.Functions {
			looped = looped || f.Kind == kind && f.Register == RegisterMap
		}
		if !looped {
			continue
		}
		wrap := "mapOrchestrator"
		if kind == "activity" {
			wrap = "mapActivity"
		}
		route := `"/" + name`
		if s.SlashKeys {
			route = "name"
		}
		w("\tfor name, fn := range %s {\n\t\thttp.HandleFunc(%s, %s(fn))\n\t}\n", plural(kind), route, wrap)
	}
	w("\thttp.HandleFunc(%q, %s)\n", "/"+ClientName, ClientName)
	if usesMux {
		w("\thttp.Handle(\"/\", mux)\n")
	}
	w("\tport := os.Getenv(\"FUNCTIONS_CUSTOMHANDLER_PORT\")\n\tif port == \"\" {\n\t\tport = \"8080\"\n\t}\n")
	w("\t_ = http.ListenAndServe(\":\"+port, nil)\n}\n")

	out, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("appgen: generated main.go (seed %d) does not parse: %w", s.Seed, err)
	}
	return out, nil
}

// versionedName is the name of version v of base: base itself for version
// 1, base_v<v> otherwise.
func versionedName(base string, v int) string {
	if v <= 1 {
		return base
	}
	return fmt.Sprintf("%s_v%d", base, v)
}

// plural is the plural of a function kind.
func plural(kind string) string {
	if kind == "activity" {
		return "activities"
	}
	return kind + "s"
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
