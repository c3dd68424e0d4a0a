// Package project loads a whole function app: its configuration files
// (package manifest), its app settings (package appsettings) and its Go
// code (package goapp), and joins them: each function to its Go handler,
// each client to the settings that point it at an orchestrator.
//
// Every command starts from a Project; none of them reads the app again.
package project

import (
	"errors"
	"fmt"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dfversion/dfversion/appsettings"
	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/manifest"
)

// LocalSettingsFile is the settings file every app root may hold.
const LocalSettingsFile = "local.settings.json"

// Options says where an app and its code are.
type Options struct {
	// AppDir is the app root, the folder holding host.json.
	AppDir string
	// ModuleDir, when not "", is the Go module's directory, or the
	// directory of the main package inside it; otherwise the module is
	// found from AppDir.
	ModuleDir string
	// SettingsFiles are extra settings files (local.settings.json or Azure
	// CLI format) to look for pointers in, besides local.settings.json.
	SettingsFiles []string
	// AllowMissingHandlers records functions that no Go code serves in
	// Project.Unserved instead of failing: dfversion check reports them as
	// findings.
	AllowMissingHandlers bool
	// RequireTypes makes the load fail when a package the handlers' main
	// package needs does not type-check (a goapp.TypeProblem), instead
	// of warning: check, lock, bump and prune give no verdict on partial
	// type information.
	RequireTypes bool
}

// Project is a function app with its Go code and settings, joined.
type Project struct {
	App       *manifest.App
	Module    *goapp.Module
	Discovery *goapp.Discovery
	// Settings are local.settings.json (when the app has one) and then the
	// extra settings files, in the order given.
	Settings []*appsettings.File
	Pointers []appsettings.Pointer
	// Unserved are the functions no Go handler serves (only with
	// Options.AllowMissingHandlers).
	Unserved []*manifest.Function
	// Warnings are problems that did not stop the load.
	Warnings []error

	absRoot     string
	moduleGiven bool // --module named the module
}

// Load reads the app that opts describe.
func Load(opts Options) (*Project, error) { return load(opts, nil) }

// LoadWithModule reads the app that opts describe with its Go module
// already loaded (opts.ModuleDir is then not used): a module that
// goapp's TypeCheck made from another, with files changed in memory, is
// loaded without running the go command again, which is what a fuzz
// target needs to try many versions of a file cheaply.
func LoadWithModule(opts Options, m *goapp.Module) (*Project, error) { return load(opts, m) }

func load(opts Options, m *goapp.Module) (*Project, error) {
	app, err := manifest.Load(opts.AppDir)
	if err != nil {
		return nil, err
	}
	absRoot, err := filepath.Abs(opts.AppDir)
	if err != nil {
		return nil, fmt.Errorf("reading app root: %w", err)
	}
	p := &Project{App: app, absRoot: absRoot}
	p.Warnings = append(p.Warnings, app.Warnings...)

	if err := p.loadSettings(opts.SettingsFiles); err != nil {
		return nil, err
	}
	if err := p.loadCode(opts.ModuleDir, opts.RequireTypes, m); err != nil {
		return nil, err
	}
	if err := p.checkHandlers(opts.AllowMissingHandlers); err != nil {
		return nil, err
	}
	p.findPointers()
	return p, nil
}

func (p *Project) loadSettings(extra []string) error {
	local, err := appsettings.Read(p.App.Path(LocalSettingsFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		p.Settings = append(p.Settings, local)
	}
	for _, path := range extra {
		f, err := appsettings.Read(path)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("settings file %s does not exist; check the --settings path", path)
		}
		if err != nil {
			return err
		}
		p.Settings = append(p.Settings, f)
	}
	for _, f := range p.Settings {
		for _, w := range f.Warnings {
			p.Warnings = append(p.Warnings, errors.New(w))
		}
	}
	return nil
}

func (p *Project) loadCode(moduleDir string, requireTypes bool, loaded *goapp.Module) error {
	var dir, mainDir string
	var err error
	switch {
	case loaded != nil:
		dir = loaded.Dir
	case moduleDir != "":
		p.moduleGiven = true
		dir, err = goapp.ModuleRoot(moduleDir)
		mainDir = moduleDir
	default:
		dir, err = goapp.FindModule(p.App.Root)
		var noModule *goapp.NoModuleError
		isNoModule := errors.As(err, &noModule)
		if isNoModule && p.App.Host.CustomHandler == nil {
			return fmt.Errorf("%s has no customHandler section and no Go module was found: dfversion works on apps whose functions a Go custom handler serves (%v)", p.App.Host.Path, err)
		}
		if isNoModule && p.App.Host.CustomHandler.ExecutablePath != "" {
			return fmt.Errorf("%v (host.json runs %q as the custom handler; if that is not a Go program, dfversion cannot version this app)", err, p.App.Host.CustomHandler.ExecutablePath)
		}
	}
	if err != nil {
		return err
	}
	if p.Module = loaded; loaded == nil {
		if p.Module, err = goapp.Load(dir); err != nil {
			return err
		}
	}
	if mainDir != "" && sameDir(mainDir, dir) {
		mainDir = "" // the module itself was named: choose among its mains
	}
	p.Discovery, err = p.Module.Discover(p.App, mainDir)
	if requireTypes {
		// Discovery on partial types may fail for want of the types: the
		// type problem is then the error to report.
		if err != nil {
			if prob := p.Module.FirstTypeProblem(); prob != nil {
				return prob
			}
			return err
		}
		if err := p.Module.CompleteTypes(p.Discovery.Main); err != nil {
			return err
		}
	}
	p.Warnings = append(p.Warnings, p.Module.Warnings...)
	return err
}

// checkHandlers refuses an app with a function that no Go code serves: the
// host would POST its invocations into the void.
func (p *Project) checkHandlers(allow bool) error {
	for _, f := range p.App.Functions {
		if _, ok := p.Discovery.Registrations[f.Name]; ok {
			continue
		}
		if allow {
			p.Unserved = append(p.Unserved, f)
			continue
		}
		if u, ok := p.Discovery.Unfollowed[f.Name]; ok {
			// Registered, but with a value dfversion cannot follow to
			// code: no guess at the handler.
			return fmt.Errorf("%s: %s", u.Pos, u.Message())
		}
		return fmt.Errorf("%s: %s", p.App.Path(f.ConfigPath), p.MissingHandlerMessage(f))
	}
	return nil
}

// findPointers finds the settings that clients read to choose an
// orchestrator.
func (p *Project) findPointers() {
	var readers []appsettings.Reader
	for _, f := range p.App.Functions {
		reg, ok := p.Discovery.Registrations[f.Name]
		if f.Kind != manifest.Client || !ok {
			continue
		}
		reach := durable.ReachOf(p.Module, reg.Handler)
		r := appsettings.Reader{Strings: reach.Strings}
		for _, e := range reach.EnvReads {
			r.Settings = append(r.Settings, e.Setting)
		}
		readers = append(readers, r)
	}
	p.Pointers = appsettings.FindPointers(p.Settings, readers, p.App)
}

// MissingHandlerMessage says, for a function no Go code serves, what was
// looked for and where; for one registered with a handler value that
// cannot be followed to code, why not.
func (p *Project) MissingHandlerMessage(f *manifest.Function) string {
	if u, ok := p.Discovery.Unfollowed[f.Name]; ok {
		return fmt.Sprintf("%s: %s", u.Pos, u.Message())
	}
	where := "/" + f.Name
	if route, ok := f.HTTPRoute(); ok && p.App.Host.Forwarding() {
		where += `" or "` + p.App.Host.HTTPPath(strings.TrimPrefix(route, "/"))
	}
	mainDir := filepath.Dir(p.Module.Position(p.Discovery.Main.Syntax[0].Package).Filename)
	msg := fmt.Sprintf("no Go handler found for function %s: nothing in package main at %s (or the packages it imports) registers %q; register it, or remove the folder", f.Name, mainDir, where)
	if ch := p.App.Host.CustomHandler; !p.moduleGiven && len(p.Discovery.Registrations) == 0 && ch != nil && ch.ExecutablePath != "" {
		msg += fmt.Sprintf(" (no function at all is registered there: host.json runs %q as the custom handler; if that is not a Go program, dfversion cannot version this app; otherwise name the handler's module with --module)", ch.ExecutablePath)
	}
	return msg
}

// Handler returns the Go handler of the named function, or nil.
func (p *Project) Handler(name string) *goapp.Handler {
	if r, ok := p.Discovery.Registrations[name]; ok {
		return r.Handler
	}
	return nil
}

// Rel returns path (as the user would write it) relative to the app root,
// slash-separated: the form dfversion prints file names in.
func (p *Project) Rel(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	rel, err := filepath.Rel(p.absRoot, abs)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// RelPos is Rel for a position's file.
func (p *Project) RelPos(pos token.Position) string { return p.Rel(pos.Filename) }

func sameDir(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// PlanRoot is the folder that plans of changes to the app are relative to:
// the current directory when it holds the app and its module (so diffs
// apply there), else the closest folder holding both.
func (p *Project) PlanRoot() (string, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the current directory: %w", err)
	}
	mod, err := filepath.Abs(p.Module.Dir)
	if err != nil {
		return "", err
	}
	if within(cwd, p.absRoot) && within(cwd, mod) {
		return cwd, nil
	}
	common := p.absRoot
	for !within(common, mod) {
		common = filepath.Dir(common)
	}
	return common, nil
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}
