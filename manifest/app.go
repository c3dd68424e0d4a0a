package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"unicode"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

// App is a function app as its configuration files describe it.
type App struct {
	// Root is the app root (the folder holding host.json) as the user gave
	// it; paths in messages are joined to it.
	Root      string
	Host      *Host
	Functions []*Function // sorted by Name
	// Warnings are problems that do not stop dfversion from working on the
	// app, such as a function name the host would refuse.
	Warnings []error
	// registered indexes Functions by the case folding of their
	// registered names (foldKey), the first of each, for Registered; it
	// holds the first indexed of Functions. Load builds it; an App made
	// otherwise has none, or one that no longer covers Functions, and
	// Registered then looks through Functions.
	registered map[string]*Function
	indexed    int
}

// Load reads the app rooted at root: host.json and every immediate
// subfolder that holds a function.json. Folders whose names start with '.'
// are skipped, as the host skips them.
func Load(root string) (*App, error) {
	info, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("app root %s does not exist; name the folder that holds host.json with --app", root)
	case err != nil:
		return nil, fmt.Errorf("reading app root: %w", err)
	case !info.IsDir():
		return nil, fmt.Errorf("app root %s is not a directory; name the folder that holds host.json with --app", root)
	}

	hostPath := filepath.Join(root, HostFile)
	data, err := os.ReadFile(hostPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: no host.json: %s is not a function app root (use --app to name one)", hostPath, root)
	case err != nil:
		if info, serr := os.Stat(hostPath); serr == nil && info.IsDir() {
			return nil, fmt.Errorf("%s is a directory; host.json must be a file", hostPath)
		}
		return nil, fmt.Errorf("reading host.json: %w", err)
	}
	host, err := ParseHost(hostPath, data)
	if err != nil {
		return nil, err
	}
	app := &App{Root: root, Host: host}
	if host.CustomHandler == nil {
		app.Warnings = append(app.Warnings, fmt.Errorf("%s: no customHandler section; dfversion reads Go custom-handler apps", hostPath))
	}

	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("reading app root: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		configPath := filepath.Join(root, name, FunctionFile)
		data, err := os.ReadFile(configPath)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", configPath, err)
		}
		f, err := ParseFunction(name, configPath, data)
		if err != nil {
			return nil, err
		}
		if problem := NameProblem(name); problem != "" {
			app.Warnings = append(app.Warnings, fmt.Errorf("%s: %q is not a valid function name: %s; rename the folder", configPath, name, problem))
		}
		app.Functions = append(app.Functions, f)
	}
	sort.Slice(app.Functions, func(i, j int) bool { return app.Functions[i].Name < app.Functions[j].Name })
	if err := app.checkRegisteredNames(); err != nil {
		return nil, err
	}
	app.indexRegistered()
	return app, nil
}

// checkRegisteredNames refuses two functions that register one durable
// name: the host would not know which one a call means.
func (a *App) checkRegisteredNames() error {
	seen := map[string]*Function{}
	for _, f := range a.Functions {
		key := strings.ToLower(f.RegisteredName) // the host's names are case-insensitive
		if other, ok := seen[key]; ok {
			return jsonfile.At(a.Path(f.ConfigPath), f.Config, f.NameOffset,
				"function %s registers the name %q, which function %s already has; rename the override or remove one of the functions", f.Name, f.RegisteredName, other.Name)
		}
		seen[key] = f
	}
	return nil
}

// Path joins a slash-separated path relative to the app root to the root as
// the user gave it, for messages.
func (a *App) Path(rel string) string { return filepath.Join(a.Root, filepath.FromSlash(rel)) }

// Function returns the function with the given folder name, or nil.
func (a *App) Function(name string) *Function {
	i := sort.Search(len(a.Functions), func(i int) bool { return a.Functions[i].Name >= name })
	if i < len(a.Functions) && a.Functions[i].Name == name {
		return a.Functions[i]
	}
	return nil
}

// Registered returns the function that registers the durable name, or nil.
func (a *App) Registered(name string) *Function {
	if a.registered != nil && a.indexed == len(a.Functions) {
		return a.registered[foldKey(name)]
	}
	for _, f := range a.Functions {
		if strings.EqualFold(f.RegisteredName, name) {
			return f
		}
	}
	return nil
}

// indexRegistered builds the index Registered looks names up in: checks
// of thousands of functions look up a name for each durable call.
func (a *App) indexRegistered() {
	a.registered = make(map[string]*Function, len(a.Functions))
	for _, f := range a.Functions {
		key := foldKey(f.RegisteredName)
		if _, ok := a.registered[key]; !ok {
			a.registered[key] = f
		}
	}
	a.indexed = len(a.Functions)
}

// foldKey maps every rune of s to the least rune it equals under Unicode
// simple case folding, so that two strings have the same key exactly when
// strings.EqualFold says they are equal.
func foldKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// Version is the app's version: the highest version among its orchestrators
// and activities, or 0 when it has none.
func (a *App) Version() int {
	v := 0
	for _, f := range a.Functions {
		if f.Kind.Versioned() {
			v = max(v, f.Version)
		}
	}
	return v
}
