package main

// End-to-end tests of dfversion bump on the sample apps: the bump is run by
// a dfversion binary built for the test, on copies of the apps, and its
// result is checked with the Go toolchain, go/packages, git, patch and the
// apps themselves answering invocations over HTTP.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"
)

// btApp is a sample app of testdata/apps as the bump tests run it, from a
// work folder holding apps/ and sdk/.
type btApp struct {
	name     string   // folder under testdata/apps
	root     string   // the app root (host.json), relative to the work folder
	settings []string // --settings files, relative to the work folder
	// dynamic are the activities the app calls by a name built at run
	// time: bump warns about those calls and leaves them as they are, so
	// the new version still calls these.
	dynamic []string
}

var btApps = []btApp{
	{name: "hellocities", root: "apps/hellocities"},
	{name: "orders", root: "apps/orders", settings: []string{"apps/orders/appsettings.azure.json"}},
	{name: "approval", root: "apps/approval/functions"},
	{name: "registry", root: "apps/registry"},
	{name: "ingest", root: "apps/ingest"},
	{name: "pipeline", root: "apps/pipeline", dynamic: []string{"SendEmail"}},
	{name: "styles", root: "apps/styles"},
}

func btAppNamed(t *testing.T, name string) btApp {
	t.Helper()
	for _, a := range btApps {
		if a.name == name {
			return a
		}
	}
	t.Fatalf("no sample app %s", name)
	return btApp{}
}

// args are the global options that select the app.
func (a btApp) args(cmd ...string) []string {
	args := []string{"--app", a.root}
	for _, s := range a.settings {
		args = append(args, "--settings", s)
	}
	return append(args, cmd...)
}

// moduleDir is the folder of the app's go.mod: the only one under
// apps/<name>.
func (a btApp) moduleDir(t *testing.T, work string) string {
	t.Helper()
	var mods []string
	err := filepath.WalkDir(filepath.Join(work, "apps", a.name), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "go.mod" {
			mods = append(mods, filepath.Dir(path))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) != 1 {
		t.Fatalf("app %s: found go.mod in %v, want exactly one", a.name, mods)
	}
	return mods[0]
}

// btGoEnv is the environment of every go command the tests run, and of
// dfversion (which runs go list through go/packages).
func btGoEnv() []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
}

// btBuildDfversion returns a dfversion binary built from the same sources
// as the test: the copy of the test binary that TestMain (testscript.Main)
// puts on $PATH as dfversion, or else a binary built into a temporary
// folder.
func btBuildDfversion(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("dfversion"); err == nil && strings.Contains(filepath.ToSlash(p), "/testscript-main") {
		return p
	}
	bin := filepath.Join(t.TempDir(), "dfversion")
	btGo(t, ".", "build", "-o", bin, ".")
	return bin
}

// btGo runs the go command in dir and fails the test if it fails.
func btGo(t *testing.T, dir string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = btGoEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// btCopyApps copies testdata/apps and testdata/sdk into a new temporary
// work folder, keeping the layout the apps' replace directives need.
func btCopyApps(t *testing.T) string {
	t.Helper()
	work, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"apps", "sdk"} {
		if err := os.CopyFS(filepath.Join(work, dir), os.DirFS(filepath.Join(repoTestdata, dir))); err != nil {
			t.Fatalf("copying %s: %v", dir, err)
		}
	}
	return work
}

// btResult is the outcome of one command.
type btResult struct {
	stdout, stderr string
	code           int
}

// btRun runs a command in dir, with input on its standard input.
func btRun(t *testing.T, dir string, input []byte, name string, args ...string) btResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = btGoEnv()
	if input != nil {
		cmd.Stdin = bytes.NewReader(input)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := btResult{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return res
}

// btMust runs a command that must succeed and returns its standard output.
func btMust(t *testing.T, dir string, input []byte, name string, args ...string) string {
	t.Helper()
	res := btRun(t, dir, input, name, args...)
	if res.code != 0 {
		t.Fatalf("%s %s (in %s): exit status %d\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), dir, res.code, res.stdout, res.stderr)
	}
	return res.stdout
}

// The model dfversion list --json prints.
type btModel struct {
	Version   int           `json:"version"`
	Functions []*btFunction `json:"functions"`
	Pointers  []btPointer   `json:"pointers"`
}

type btFunction struct {
	Name           string `json:"name"`
	Base           string `json:"base"`
	Version        int    `json:"version"`
	Kind           string `json:"kind"`
	RegisteredName string `json:"registeredName"`
	Handler        *btPos `json:"handler"`
	Registration   *btPos `json:"registration"`
}

type btPos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Name   string `json:"name"`
}

type btPointer struct {
	Setting string `json:"setting"`
	File    string `json:"file"`
	Value   string `json:"value"`
	Form    string `json:"form"`
}

func (m *btModel) function(name string) *btFunction {
	for _, f := range m.Functions {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// latest maps each orchestrator or activity base name to its latest
// version.
func (m *btModel) latest() map[string]*btFunction {
	latest := map[string]*btFunction{}
	for _, f := range m.Functions {
		if !btVersioned(f.Kind) {
			continue
		}
		if cur, ok := latest[f.Base]; !ok || f.Version > cur.Version {
			latest[f.Base] = f
		}
	}
	return latest
}

func btVersioned(kind string) bool { return kind == "orchestrator" || kind == "activity" }

func btList(t *testing.T, bin, work string, app btApp) *btModel {
	t.Helper()
	out := btMust(t, work, nil, bin, app.args("list", "--json")...)
	var m btModel
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	return &m
}

// The plan bump --json prints.
type btPlan struct {
	From    int  `json:"from"`
	To      int  `json:"to"`
	DryRun  bool `json:"dryRun"`
	Changes []struct {
		Path    string `json:"path"`
		Action  string `json:"action"`
		Content string `json:"content"`
	} `json:"changes"`
}

// btVersionName splits Name_v<N> into Name and N; other names are version 1.
var btVersionName = regexp.MustCompile(`^(.+)_v([0-9]+)$`)

func btVersionedName(name string, v int) string {
	if m := btVersionName.FindStringSubmatch(name); m != nil {
		name = m[1]
	}
	return name + "_v" + strconv.Itoa(v)
}

// btFile is a file or folder of a snapshot.
type btFile struct {
	mode fs.FileMode
	data string
}

// btSnapshot records every file and folder below root, with its mode, by
// slash-separated path relative to root. .git folders are left out.
func btSnapshot(t *testing.T, root string) map[string]btFile {
	t.Helper()
	snap := map[string]btFile{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path == root {
			return nil
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		f := btFile{mode: info.Mode()}
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f.data = string(data)
		}
		snap[filepath.ToSlash(rel)] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// btSnapshotDiff lists how snapshot b differs from a.
func btSnapshotDiff(a, b map[string]btFile) []string {
	var diffs []string
	for path, fa := range a {
		fb, ok := b[path]
		switch {
		case !ok:
			diffs = append(diffs, path+": removed")
		case fa.mode != fb.mode:
			diffs = append(diffs, fmt.Sprintf("%s: mode %v, was %v", path, fb.mode, fa.mode))
		case fa.data != fb.data:
			diffs = append(diffs, path+": content changed")
		}
	}
	for path := range b {
		if _, ok := a[path]; !ok {
			diffs = append(diffs, path+": added")
		}
	}
	slices.Sort(diffs)
	return diffs
}

func btSameTree(t *testing.T, what string, a, b map[string]btFile) {
	t.Helper()
	if diffs := btSnapshotDiff(a, b); len(diffs) > 0 {
		t.Errorf("%s:\n  %s", what, strings.Join(diffs, "\n  "))
	}
}

// btRel turns a path relative to the app root into a path relative to the
// work folder, as snapshots key them.
func btRel(app btApp, file string) string {
	return filepath.ToSlash(filepath.Clean(filepath.Join(app.root, filepath.FromSlash(file))))
}

// TestBumpApps bumps every sample app twice and checks each bump: files it
// did not report are untouched and existing handlers keep their code, the
// app builds and vets, list sees one new function per orchestrator and
// activity and the pointers at the new version, the new code refers only
// to the new version, and the new function.json files are the sources'
// with the registered name moved.
func TestBumpApps(t *testing.T) {
	bin := btBuildDfversion(t)
	validate := btSchemaValidator(t)
	for _, app := range btApps {
		t.Run(app.name, func(t *testing.T) {
			t.Parallel()
			work := btCopyApps(t)
			modDir := app.moduleDir(t, work)
			for round := 1; round <= 2; round++ {
				before := btList(t, bin, work, app)
				n := before.Version
				snapBefore := btSnapshot(t, work)

				var plan btPlan
				if round == 1 {
					// The real bump, reporting its plan.
					out := btMust(t, work, nil, bin, app.args("bump", "--json")...)
					if err := json.Unmarshal([]byte(out), &plan); err != nil {
						t.Fatalf("bump --json: %v\n%s", err, out)
					}
				} else {
					// The plan of a dry run, then the real bump with its
					// summary: the dry run must write nothing and the bump
					// exactly the plan.
					out := btMust(t, work, nil, bin, app.args("bump", "--dry-run", "--json")...)
					if err := json.Unmarshal([]byte(out), &plan); err != nil {
						t.Fatalf("bump --dry-run --json: %v\n%s", err, out)
					}
					if !plan.DryRun {
						t.Errorf("bump --dry-run --json: dryRun is false")
					}
					btSameTree(t, "bump --dry-run --json changed the tree", snapBefore, btSnapshot(t, work))
					summary := btMust(t, work, nil, bin, app.args("bump")...)
					if want := fmt.Sprintf("from version %d to version %d", n, n+1); !strings.Contains(summary, want) {
						t.Errorf("bump summary does not say %q:\n%s", want, summary)
					}
				}
				if plan.From != n || plan.To != n+1 {
					t.Errorf("round %d: bump planned version %d -> %d, want %d -> %d", round, plan.From, plan.To, n, n+1)
				}
				snapAfter := btSnapshot(t, work)
				btCheckChanges(t, &plan, snapBefore, snapAfter)
				btCheckOutsideUntouched(t, app, &plan, snapBefore, snapAfter)
				btCheckGofmt(t, &plan)
				btCheckOldHandlers(t, app, before, snapBefore, snapAfter)

				btGo(t, modDir, "build", "-o", t.TempDir()+string(filepath.Separator), "./...")
				btGo(t, modDir, "vet", "./...")

				after := btList(t, bin, work, app)
				btCheckModel(t, before, after)
				btCheckHostVersion(t, app, snapBefore, snapAfter, n+1)
				btCheckReferences(t, work, app, modDir, before, after)
				btCheckFunctionJSON(t, work, app, before, after, validate)
				if t.Failed() {
					t.Fatalf("round %d (version %d -> %d) failed; not bumping again", round, n, n+1)
				}
			}
		})
	}
}

// btCheckChanges checks that the tree changed exactly as the plan says:
// created files are new, updated files hold the planned content, and every
// other file and folder is as it was (content and mode).
func btCheckChanges(t *testing.T, plan *btPlan, before, after map[string]btFile) {
	t.Helper()
	planned := map[string]bool{}
	for _, ch := range plan.Changes {
		planned[ch.Path] = true
		got, ok := after[ch.Path]
		_, existed := before[ch.Path]
		switch {
		case ch.Action == "create" && existed:
			t.Errorf("plan creates %s, which existed", ch.Path)
		case ch.Action == "update" && !existed:
			t.Errorf("plan updates %s, which did not exist", ch.Path)
		case ch.Action != "create" && ch.Action != "update":
			t.Errorf("plan %ss %s: a bump only creates and updates files", ch.Action, ch.Path)
		case !ok:
			t.Errorf("%s: planned (%s) but not on disk", ch.Path, ch.Action)
		case got.data != ch.Content:
			t.Errorf("%s: the content on disk is not the planned content", ch.Path)
		}
		if old, ok := before[ch.Path]; ok && got.mode != old.mode {
			t.Errorf("%s: mode %v, was %v", ch.Path, got.mode, old.mode)
		}
	}
	for path, old := range before {
		cur, ok := after[path]
		switch {
		case !ok:
			t.Errorf("%s was removed", path)
		case old.mode != cur.mode:
			t.Errorf("%s: mode %v, was %v", path, cur.mode, old.mode)
		case !planned[path] && old.data != cur.data:
			t.Errorf("%s changed, but the bump did not report it", path)
		}
	}
	for path, cur := range after {
		if _, ok := before[path]; ok || planned[path] {
			continue
		}
		if !cur.mode.IsDir() {
			t.Errorf("%s was created, but the bump did not report it", path)
			continue
		}
		// A folder must hold a planned file.
		holds := false
		for p := range planned {
			holds = holds || strings.HasPrefix(p, path+"/")
		}
		if !holds {
			t.Errorf("folder %s was created, but holds no planned file", path)
		}
	}
}

// btCheckOutsideUntouched checks that a bump planned and made no change
// outside the app's own folder: the stand-in SDK (which the app's module
// replaces with ../../sdk) and the other apps keep every file as it was.
func btCheckOutsideUntouched(t *testing.T, app btApp, plan *btPlan, before, after map[string]btFile) {
	t.Helper()
	own := "apps/" + app.name + "/"
	for _, ch := range plan.Changes {
		if !strings.HasPrefix(ch.Path, own) {
			t.Errorf("the bump plans to %s %s, outside the app's folder %s", ch.Action, ch.Path, own)
		}
	}
	outside := func(snap map[string]btFile) map[string]btFile {
		out := map[string]btFile{}
		for path, f := range snap {
			if !strings.HasPrefix(path+"/", own) {
				out[path] = f
			}
		}
		return out
	}
	btSameTree(t, "the bump changed files outside the app (the SDK, other apps)", outside(before), outside(after))
}

// btCheckGofmt checks that every Go file the bump wrote is gofmt-clean
// (the sample apps are).
func btCheckGofmt(t *testing.T, plan *btPlan) {
	for _, ch := range plan.Changes {
		if !strings.HasSuffix(ch.Path, ".go") {
			continue
		}
		formatted, err := format.Source([]byte(ch.Content))
		switch {
		case err != nil:
			t.Errorf("%s: %v", ch.Path, err)
		case string(formatted) != ch.Content:
			t.Errorf("%s is not gofmt-clean after the bump", ch.Path)
		}
	}
}

// btCheckOldHandlers checks that the handler of every function that existed
// before the bump, except clients (whose fallback names may move), has its
// source unchanged: a declared handler is found by name and receiver in the
// same file, a func literal at its position as list reports it.
func btCheckOldHandlers(t *testing.T, app btApp, before *btModel, snapBefore, snapAfter map[string]btFile) {
	t.Helper()
	for _, f := range before.Functions {
		if f.Kind == "client" || f.Handler == nil {
			continue
		}
		path := btRel(app, f.Handler.File)
		oldSrc, newSrc := snapBefore[path].data, snapAfter[path].data
		oldText, recv, name, err := btNodeAt(path, oldSrc, f.Handler.Line, f.Handler.Column)
		if err != nil {
			t.Errorf("%s: handler of %s: %v", path, f.Name, err)
			continue
		}
		if name == "" {
			// A func literal: it stays where its registration is; compare
			// with every func literal of the new file.
			if !slices.Contains(btFuncLits(t, path, newSrc), oldText) {
				t.Errorf("%s: the func literal handler of %s changed or disappeared:\n%s", path, f.Name, oldText)
			}
			continue
		}
		newText, ok := btFuncDecl(t, path, newSrc, recv, name)
		switch {
		case !ok:
			t.Errorf("%s: the declaration of %s (handler of %s) disappeared", path, btDeclName(recv, name), f.Name)
		case newText != oldText:
			t.Errorf("%s: the declaration of %s (handler of %s) changed:\n--- before\n%s\n--- after\n%s", path, btDeclName(recv, name), f.Name, oldText, newText)
		}
	}
}

func btDeclName(recv, name string) string {
	if recv == "" {
		return name
	}
	return "(" + recv + ")." + name
}

// btNodeAt finds the function declaration or func literal that starts at
// line:col of src and returns its text (from func to the closing brace),
// and for a declaration its receiver type and name.
func btNodeAt(path, src string, line, col int) (text, recv, name string, err error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return "", "", "", err
	}
	var found ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if found != nil || n == nil {
			return false
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			if p := fset.Position(n.Pos()); p.Line == line && p.Column == col {
				found = n
				return false
			}
		}
		return true
	})
	if found == nil {
		return "", "", "", fmt.Errorf("no function declaration or literal at %d:%d", line, col)
	}
	text = src[fset.Position(found.Pos()).Offset:fset.Position(found.End()).Offset]
	if d, ok := found.(*ast.FuncDecl); ok {
		return text, btRecv(fset, src, d), d.Name.Name, nil
	}
	return text, "", "", nil
}

// btRecv is the source of a method's receiver type ("*Approvals"), "" for a
// function.
func btRecv(fset *token.FileSet, src string, d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return ""
	}
	t := d.Recv.List[0].Type
	return src[fset.Position(t.Pos()).Offset:fset.Position(t.End()).Offset]
}

// btFuncDecl returns the text of the declaration of recv.name in src.
func btFuncDecl(t *testing.T, path, src, recv, name string) (string, bool) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		t.Errorf("%s after the bump: %v", path, err)
		return "", false
	}
	for _, decl := range f.Decls {
		d, ok := decl.(*ast.FuncDecl)
		if ok && d.Name.Name == name && btRecv(fset, src, d) == recv {
			return src[fset.Position(d.Pos()).Offset:fset.Position(d.End()).Offset], true
		}
	}
	return "", false
}

// btFuncLits returns the text of every func literal in src.
func btFuncLits(t *testing.T, path, src string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		t.Errorf("%s after the bump: %v", path, err)
		return nil
	}
	var lits []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.FuncLit); ok {
			lits = append(lits, src[fset.Position(lit.Pos()).Offset:fset.Position(lit.End()).Offset])
		}
		return true
	})
	return lits
}

// btCheckModel checks the app model after a bump from version N: version
// N+1; every function still there as it was; one new function <Base>_v<N+1>
// per orchestrator and activity base, of its latest version's kind, under
// the registered name moved the same way; every function with a handler;
// every pointer at version N+1.
func btCheckModel(t *testing.T, before, after *btModel) {
	t.Helper()
	to := before.Version + 1
	if after.Version != to {
		t.Errorf("app version after the bump: %d, want %d", after.Version, to)
	}
	for _, f := range before.Functions {
		g := after.function(f.Name)
		switch {
		case g == nil:
			t.Errorf("function %s disappeared", f.Name)
		case g.Kind != f.Kind || g.Version != f.Version || g.Base != f.Base || g.RegisteredName != f.RegisteredName:
			t.Errorf("function %s changed: %+v, was %+v", f.Name, *g, *f)
		case g.Handler == nil || f.Handler == nil || g.Handler.Name != f.Handler.Name || g.Handler.File != f.Handler.File:
			t.Errorf("function %s: handler %+v, was %+v", f.Name, g.Handler, f.Handler)
		}
	}
	want := map[string]*btFunction{}
	for base, src := range before.latest() {
		want[base+"_v"+strconv.Itoa(to)] = src
	}
	for _, g := range after.Functions {
		if g.Handler == nil {
			t.Errorf("function %s has no handler after the bump", g.Name)
		}
		if before.function(g.Name) != nil {
			continue
		}
		src, ok := want[g.Name]
		if !ok {
			t.Errorf("the bump created function %s (%s), which is no copy of a latest orchestrator or activity", g.Name, g.Kind)
			continue
		}
		delete(want, g.Name)
		wantReg := g.Name
		if src.RegisteredName != src.Name {
			wantReg = btVersionedName(src.RegisteredName, to)
		}
		if g.Kind != src.Kind || g.Base != src.Base || g.Version != to || g.RegisteredName != wantReg {
			t.Errorf("new function %s: kind %s, base %s, version %d, registered as %s; want %s, %s, %d, %s (copy of %s)",
				g.Name, g.Kind, g.Base, g.Version, g.RegisteredName, src.Kind, src.Base, to, wantReg, src.Name)
		}
	}
	for name, src := range want {
		t.Errorf("no function %s after the bump (copy of %s)", name, src.Name)
	}
	if len(after.Pointers) != len(before.Pointers) {
		t.Errorf("%d pointers after the bump, %d before", len(after.Pointers), len(before.Pointers))
	}
	for _, p := range after.Pointers {
		switch p.Form {
		case "name":
			f := after.function(p.Value)
			if f == nil || f.Kind != "orchestrator" || f.Version != to {
				t.Errorf("pointer %s in %s is %q, not an orchestrator at version %d", p.Setting, p.File, p.Value, to)
			}
		default:
			if v := strings.TrimLeft(p.Value, "vV"); v != strconv.Itoa(to) {
				t.Errorf("pointer %s in %s is %q, not version %d", p.Setting, p.File, p.Value, to)
			}
		}
	}
}

// btCheckHostVersion checks that host.json's defaultVersion, when there is
// one, names the new version in the form it had.
func btCheckHostVersion(t *testing.T, app btApp, before, after map[string]btFile, to int) {
	t.Helper()
	path := btRel(app, "host.json")
	var host struct {
		Extensions struct {
			DurableTask struct {
				DefaultVersion *string `json:"defaultVersion"`
			} `json:"durableTask"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal([]byte(before[path].data), &host); err != nil || host.Extensions.DurableTask.DefaultVersion == nil {
		return // not plain JSON, or no defaultVersion
	}
	old := *host.Extensions.DurableTask.DefaultVersion
	host.Extensions.DurableTask.DefaultVersion = nil
	if err := json.Unmarshal([]byte(after[path].data), &host); err != nil {
		t.Errorf("%s after the bump: %v", path, err)
		return
	}
	got := host.Extensions.DurableTask.DefaultVersion
	digits := regexp.MustCompile(`^([vV]?)[0-9]+((\.0)*)$`)
	m := digits.FindStringSubmatch(old)
	if m == nil {
		return
	}
	if want := m[1] + strconv.Itoa(to) + m[2]; got == nil || *got != want {
		t.Errorf("%s: defaultVersion %v after the bump, want %q (was %q)", path, btDeref(got), want, old)
	}
}

func btDeref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// btCode is the app's Go code after a bump, type-checked.
type btCode struct {
	fset  *token.FileSet
	files []btCodeFile
	// handlers maps each declared handler to the functions it serves.
	handlers map[types.Object][]*btFunction
	// nodes maps each function to its handler's declaration or literal.
	nodes map[*btFunction]btNode
}

type btCodeFile struct {
	path string
	file *ast.File
	info *types.Info
}

type btNode struct {
	node ast.Node
	file *btCodeFile
}

func btLoadCode(t *testing.T, work string, app btApp, modDir string, m *btModel) *btCode {
	t.Helper()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
			packages.NeedTypesInfo | packages.NeedImports,
		Dir: modDir,
		Env: btGoEnv(),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatalf("loading %s: %v", modDir, err)
	}
	c := &btCode{handlers: map[types.Object][]*btFunction{}, nodes: map[*btFunction]btNode{}}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Errorf("%s: %v", p.PkgPath, e)
		}
		c.fset = p.Fset
		for _, f := range p.Syntax {
			c.files = append(c.files, btCodeFile{path: filepath.Clean(p.Fset.Position(f.Pos()).Filename), file: f, info: p.TypesInfo})
		}
	}
	for _, fn := range m.Functions {
		if fn.Handler == nil {
			continue
		}
		abs := filepath.Join(work, filepath.FromSlash(btRel(app, fn.Handler.File)))
		found := false
		for i := range c.files {
			cf := &c.files[i]
			if cf.path != abs {
				continue
			}
			ast.Inspect(cf.file, func(n ast.Node) bool {
				if found || n == nil {
					return false
				}
				switch n := n.(type) {
				case *ast.FuncDecl, *ast.FuncLit:
					if p := c.fset.Position(n.Pos()); p.Line == fn.Handler.Line && p.Column == fn.Handler.Column {
						found = true
						c.nodes[fn] = btNode{node: n, file: cf}
						if d, ok := n.(*ast.FuncDecl); ok {
							if obj := cf.info.Defs[d.Name]; obj != nil {
								c.handlers[obj] = append(c.handlers[obj], fn)
							}
						}
						if obj := btVarOfLit(cf, n); obj != nil {
							c.handlers[obj] = append(c.handlers[obj], fn)
						}
						return false
					}
				}
				return true
			})
		}
		if !found {
			t.Errorf("function %s: no handler declaration or literal at %s:%d:%d", fn.Name, abs, fn.Handler.Line, fn.Handler.Column)
		}
	}
	return c
}

// btVarOfLit returns the package-level variable whose declaration holds n
// as its value (var SayHello task.Activity = func(...) {...}), or nil.
func btVarOfLit(cf *btCodeFile, n ast.Node) types.Object {
	lit, ok := n.(*ast.FuncLit)
	if !ok {
		return nil
	}
	for _, decl := range cf.file.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, v := range vs.Values {
				if v == lit && i < len(vs.Names) {
					return cf.info.Defs[vs.Names[i]]
				}
			}
		}
	}
	return nil
}

// registrationNode is the largest expression or statement that starts at
// the function's registration: the registration call's statement, the call
// itself, or the map entry or slice element.
func (c *btCode) registrationNode(t *testing.T, work string, app btApp, fn *btFunction) (btNode, bool) {
	t.Helper()
	if fn.Registration == nil {
		t.Errorf("function %s has no registration", fn.Name)
		return btNode{}, false
	}
	abs := filepath.Join(work, filepath.FromSlash(btRel(app, fn.Registration.File)))
	for i := range c.files {
		cf := &c.files[i]
		if cf.path != abs {
			continue
		}
		var best ast.Node
		ast.Inspect(cf.file, func(n ast.Node) bool {
			if n == nil {
				return false
			}
			switch n.(type) {
			case ast.Stmt, ast.Expr:
				if p := c.fset.Position(n.Pos()); p.Line == fn.Registration.Line && p.Column == fn.Registration.Column {
					if best == nil || n.End() > best.End() {
						best = n
					}
				}
			}
			return true
		})
		if best != nil {
			return btNode{node: best, file: cf}, true
		}
	}
	t.Errorf("function %s: no registration at %s:%d:%d", fn.Name, abs, fn.Registration.Line, fn.Registration.Column)
	return btNode{}, false
}

// btCheckReferences checks every new function's handler and registration:
// each identifier resolving to a function's handler is the handler of a
// function at the new version or of an entity; each string literal or
// string constant naming a function (by folder or registered name, or as a
// route "/Name") names a function at the new version or an entity, client
// or other function. It also checks that each new handler is referenced
// outside handlers (that is, registered) as often as its source's handler:
// a registration copied more than once registers the name twice.
func btCheckReferences(t *testing.T, work string, app btApp, modDir string, before, after *btModel) {
	t.Helper()
	to := after.Version
	c := btLoadCode(t, work, app, modDir, after)
	byName := map[string]*btFunction{}
	for _, f := range after.Functions {
		byName[f.Name] = f
		byName[f.RegisteredName] = f
	}
	okHandler := func(f *btFunction) bool {
		return btVersioned(f.Kind) && f.Version == to || f.Kind == "entity"
	}
	checkName := func(pos token.Pos, what, s string) {
		f, ok := byName[strings.TrimPrefix(s, "/")]
		if !ok || okHandler(f) || f.Kind == "client" || f.Kind == "other" {
			return
		}
		t.Errorf("%s: %s %q names %s, a %s at version %d, not the new version %d", c.fset.Position(pos), what, s, f.Name, f.Kind, f.Version, to)
	}
	check := func(n btNode, in string) {
		ast.Inspect(n.node, func(node ast.Node) bool {
			switch node := node.(type) {
			case *ast.BasicLit:
				if node.Kind == token.STRING {
					if s, err := strconv.Unquote(node.Value); err == nil {
						checkName(node.Pos(), "string in "+in, s)
					}
				}
			case *ast.Ident:
				obj := n.file.info.Uses[node]
				if fn, ok := obj.(*types.Func); ok {
					obj = fn.Origin()
				}
				if fs, ok := c.handlers[obj]; ok && !slices.ContainsFunc(fs, okHandler) {
					t.Errorf("%s: %s in %s refers to the handler of %s (version %d), not the new version %d",
						c.fset.Position(node.Pos()), node.Name, in, fs[0].Name, fs[0].Version, to)
				}
				if k, ok := obj.(*types.Const); ok && k.Val().Kind() == constant.String {
					checkName(node.Pos(), "constant "+node.Name+" in "+in, constant.StringVal(k.Val()))
				}
			}
			return true
		})
	}
	var fresh []*btFunction
	for _, f := range after.Functions {
		if before.function(f.Name) == nil {
			fresh = append(fresh, f)
		}
	}
	for _, f := range fresh {
		if n, ok := c.nodes[f]; ok {
			check(n, "the handler of "+f.Name)
		}
		if n, ok := c.registrationNode(t, work, app, f); ok {
			check(n, "the registration of "+f.Name)
		}
	}

	// Registrations: count the references to each handler outside every
	// handler's code.
	var spans []btNode
	for _, n := range c.nodes {
		spans = append(spans, n)
	}
	uses := map[types.Object]int{}
	for i := range c.files {
		cf := &c.files[i]
		ast.Inspect(cf.file, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := cf.info.Uses[id]
			if fn, ok := obj.(*types.Func); ok {
				obj = fn.Origin()
			}
			if _, ok := c.handlers[obj]; !ok {
				return true
			}
			inside := false
			for _, s := range spans {
				inside = inside || s.file == cf && s.node.Pos() <= id.Pos() && id.End() <= s.node.End()
			}
			if !inside {
				uses[obj]++
			}
			return true
		})
	}
	handlerOf := func(f *btFunction) types.Object {
		if n, ok := c.nodes[f]; ok {
			if d, ok := n.node.(*ast.FuncDecl); ok {
				return n.file.info.Defs[d.Name]
			}
			return btVarOfLit(n.file, n.node)
		}
		return nil
	}
	latest := before.latest()
	for _, f := range fresh {
		src := latest[f.Base]
		if src == nil {
			continue
		}
		newObj, srcObj := handlerOf(f), handlerOf(after.function(src.Name))
		if newObj == nil || srcObj == nil {
			continue
		}
		if got, want := uses[newObj], uses[srcObj]; got != want {
			t.Errorf("the handler %s of %s is referenced %d times outside handlers (in registrations), the handler %s of its source %s %d times",
				newObj.Name(), f.Name, got, srcObj.Name(), src.Name, want)
		}
	}
}

// btCheckFunctionJSON checks every new function.json: the source's document
// with the trigger's orchestration or activity name override moved to the
// new registered name, and valid against the function.json schema when
// package internal/schema exists.
func btCheckFunctionJSON(t *testing.T, work string, app btApp, before, after *btModel, validate func(t *testing.T, files []string)) {
	t.Helper()
	latest := before.latest()
	var files []string
	for _, f := range after.Functions {
		if before.function(f.Name) != nil {
			continue
		}
		src := latest[f.Base]
		if src == nil {
			continue
		}
		newPath := filepath.Join(work, filepath.FromSlash(btRel(app, f.Name+"/function.json")))
		files = append(files, newPath)
		var got, want map[string]any
		for path, v := range map[string]*map[string]any{
			newPath: &got,
			filepath.Join(work, filepath.FromSlash(btRel(app, src.Name+"/function.json"))): &want,
		} {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%v", err)
				return
			}
			if err := json.Unmarshal(data, v); err != nil {
				t.Errorf("%s: not valid JSON: %v", path, err)
				return
			}
		}
		bindings, _ := want["bindings"].([]any)
		for _, b := range bindings {
			b, _ := b.(map[string]any)
			for typ, key := range map[string]string{"orchestrationTrigger": "orchestration", "activityTrigger": "activity"} {
				if b["type"] == typ {
					if _, ok := b[key]; ok {
						b[key] = f.RegisteredName
					}
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Errorf("%s:\n  got  %s\n  want %s (the bindings of %s, registered name moved)", newPath, g, w, src.Name)
		}
	}
	validate(t, files)
}

// btSchemaValidator returns a function validating function.json files with
// package internal/schema when it exists (schema.Validate(schema.Function,
// data)), and a function doing nothing otherwise. The validator is a small
// program built through an overlay, so that nothing is written to the
// repository.
func btSchemaValidator(t *testing.T) func(t *testing.T, files []string) {
	t.Helper()
	none := func(t *testing.T, files []string) {}
	modRoot, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	schemaDir := filepath.Join(modRoot, "internal", "schema")
	entries, err := os.ReadDir(schemaDir)
	if err != nil {
		t.Logf("no package internal/schema: function.json files checked against their sources only")
		return none
	}
	has := false
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			data, err := os.ReadFile(filepath.Join(schemaDir, e.Name()))
			has = has || err == nil && bytes.Contains(data, []byte("func Validate("))
		}
	}
	if !has {
		t.Logf("package internal/schema has no Validate yet: function.json files checked against their sources only")
		return none
	}
	tmp := t.TempDir()
	const prog = `package main

import (
	"fmt"
	"os"

	"github.com/dfversion/dfversion/internal/schema"
)

func main() {
	bad := false
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err == nil {
			var problems []schema.Problem
			problems, err = schema.Validate(schema.Function, data)
			for _, p := range problems {
				fmt.Printf("%s: %+v\n", path, p)
				bad = true
			}
		}
		if err != nil {
			fmt.Printf("%s: %v\n", path, err)
			bad = true
		}
	}
	if bad {
		os.Exit(1)
	}
}
`
	src := filepath.Join(tmp, "main.go")
	if err := os.WriteFile(src, []byte(prog), 0o644); err != nil {
		t.Fatal(err)
	}
	pkgDir := filepath.Join(schemaDir, "zz_bumptest_validate")
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{filepath.Join(pkgDir, "main.go"): src}})
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(tmp, "validate")
	btGo(t, modRoot, "build", "-overlay", overlayFile, "-o", bin, "./internal/schema/zz_bumptest_validate")
	return func(t *testing.T, files []string) {
		t.Helper()
		if len(files) == 0 {
			return
		}
		if res := btRun(t, ".", nil, bin, files...); res.code != 0 {
			t.Errorf("new function.json files fail the schema:\n%s%s", res.stdout, res.stderr)
		}
	}
}

// TestBumpDryRunMatchesReal checks, in a git repository holding the apps,
// that bump --dry-run writes nothing and prints a diff that git apply and
// patch -p1 both turn into exactly the tree the real bump writes; twice,
// with a commit in between.
func TestBumpDryRunMatchesReal(t *testing.T) {
	bin := btBuildDfversion(t)
	for _, app := range btApps {
		t.Run(app.name, func(t *testing.T) {
			t.Parallel()
			repo := btCopyApps(t)
			git := func(dir string, args ...string) {
				t.Helper()
				btMust(t, dir, nil, "git", append([]string{"-c", "user.name=dfversion test", "-c", "user.email=test@dfversion.invalid", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"}, args...)...)
			}
			git(repo, "init", "-q")
			git(repo, "add", "-A")
			git(repo, "commit", "-q", "-m", "apps")
			dirs := map[string]string{}
			for _, name := range []string{"git-apply", "patch", "bump"} {
				dirs[name] = filepath.Join(t.TempDir(), name)
				git(repo, "clone", "-q", repo, dirs[name])
			}
			// Bump, commit, and bump again.
			for round := 1; round <= 2; round++ {
				if round > 1 {
					for _, dir := range dirs {
						git(dir, "add", "-A")
						git(dir, "commit", "-q", "-m", "bump")
					}
				}
				clean := btSnapshot(t, dirs["git-apply"])
				dry := btRun(t, dirs["git-apply"], nil, bin, app.args("bump", "--dry-run")...)
				if dry.code != 0 {
					t.Fatalf("round %d: bump --dry-run: exit status %d\n%s", round, dry.code, dry.stderr)
				}
				if !strings.HasPrefix(dry.stdout, "diff --git a/") {
					t.Fatalf("round %d: bump --dry-run printed no git diff:\n%s", round, dry.stdout)
				}
				btSameTree(t, fmt.Sprintf("round %d: bump --dry-run changed the tree", round), clean, btSnapshot(t, dirs["git-apply"]))

				btMust(t, dirs["git-apply"], []byte(dry.stdout), "git", "apply")
				btMust(t, dirs["patch"], []byte(dry.stdout), "patch", "-p1", "--batch", "--fuzz=0", "--quiet")
				btMust(t, dirs["bump"], nil, bin, app.args("bump")...)

				bumped := btSnapshot(t, dirs["bump"])
				btSameTree(t, fmt.Sprintf("round %d: git apply of the dry run vs the real bump", round), bumped, btSnapshot(t, dirs["git-apply"]))
				btSameTree(t, fmt.Sprintf("round %d: patch -p1 of the dry run vs the real bump", round), bumped, btSnapshot(t, dirs["patch"]))
				if len(btSnapshotDiff(clean, bumped)) == 0 {
					t.Errorf("round %d: the real bump changed nothing", round)
				}
				if t.Failed() {
					t.FailNow()
				}
			}
		})
	}
}

// btCall is one durable call an orchestrator made, as the stand-in SDK
// reports it.
type btCall struct {
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
}

// btAnswer is an orchestrator's answer to one invocation.
type btAnswer struct {
	Calls []btCall
	Error string
}

// btInputs are the orchestration triggers sent to every orchestrator: the
// out-of-process state with no input, and an input that takes the larger
// branches of the sample orchestrators (unknown fields are ignored).
var btInputs = []string{
	`{"instanceId": "bumptest-1", "input": null, "isReplaying": false, "history": []}`,
	`{"id": "bumptest-2", "total": 100000000, "amount": 100000000, "currency": "EUR",
	  "items": [{"sku": "A-1", "quantity": 2}], "lines": [{"sku": "A-1", "quantity": 2, "price": 100}],
	  "approver": "ann@contoso.example", "manager": "max@contoso.example", "feed": "products", "cursor": "0"}`,
}

// btServer is a running app.
type btServer struct {
	base   string
	client *http.Client
	exited <-chan struct{}
	output *bytes.Buffer
}

// btStart builds the app's main package and starts it on a free loopback
// port; the process is killed when stop is called or the test ends.
func btStart(t *testing.T, modDir string) (srv *btServer, stop func()) {
	t.Helper()
	mains := strings.Fields(btGo(t, modDir, "list", "-f", `{{if eq .Name "main"}}{{.ImportPath}}{{end}}`, "./..."))
	if len(mains) != 1 {
		t.Fatalf("%s: main packages %v, want one", modDir, mains)
	}
	bin := filepath.Join(t.TempDir(), "app")
	btGo(t, modDir, "build", "-o", bin, mains[0])

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	cmd := exec.CommandContext(ctx, bin)
	cmd.Dir = modDir
	cmd.Env = append(os.Environ(), "FUNCTIONS_CUSTOMHANDLER_PORT="+strconv.Itoa(port))
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			_ = cmd.Process.Kill()
			<-exited
			cancel()
		})
	}
	t.Cleanup(stop)

	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-exited:
			t.Fatalf("the app exited before listening:\n%s", output.String())
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("the app did not listen on %s within 30s:\n%s", addr, output.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &btServer{base: "http://" + addr, client: &http.Client{Timeout: 15 * time.Second}, exited: exited, output: &output}, stop
}

// checkAlive fails the test if the app has exited: then whatever answered
// on its port was not the app.
func (s *btServer) checkAlive(t *testing.T) {
	t.Helper()
	select {
	case <-s.exited:
		t.Fatalf("the app exited while it was being invoked:\n%s", s.output.String())
	default:
	}
}

// invoke POSTs a custom-handler invocation to the function's route and
// returns the status and the decoded ReturnValue.
func (s *btServer) invoke(t *testing.T, function, binding, value string) (int, json.RawMessage) {
	t.Helper()
	body := fmt.Sprintf(`{"Data": {%q: %s}, "Metadata": {"sys": {"MethodName": %q}}}`, binding, value, function)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/"+function, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("POST /%s: %v", function, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST /%s: %v", function, err)
	}
	var out struct {
		ReturnValue json.RawMessage `json:"ReturnValue"`
	}
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("POST /%s: answer is not an invocation response: %v\n%s", function, err, data)
	}
	return resp.StatusCode, out.ReturnValue
}

// orchestrate invokes an orchestrator with each of btInputs.
func (s *btServer) orchestrate(t *testing.T, function string) []btAnswer {
	t.Helper()
	var answers []btAnswer
	for _, in := range btInputs {
		status, rv := s.invoke(t, function, "context", in)
		if status != http.StatusOK {
			t.Fatalf("POST /%s: status %d: %s", function, status, rv)
		}
		var a btAnswer
		if err := json.Unmarshal(rv, &a); err != nil || a.Calls == nil {
			t.Fatalf("POST /%s: ReturnValue is no call list (%v): %s", function, err, rv)
		}
		answers = append(answers, a)
	}
	return answers
}

// TestBumpRoutesCallNewVersions runs each app before and after a bump and
// invokes every orchestrator route: old routes must make exactly the calls
// they made before, and each new route the calls of its source version
// with every orchestrator or activity called moved to its new version.
// Every activity's new route must answer with its source's status.
func TestBumpRoutesCallNewVersions(t *testing.T) {
	bin := btBuildDfversion(t)
	for _, app := range btApps {
		t.Run(app.name, func(t *testing.T) {
			t.Parallel()
			work := btCopyApps(t)
			modDir := app.moduleDir(t, work)
			before := btList(t, bin, work, app)

			srv, stop := btStart(t, modDir)
			old := map[string][]btAnswer{}
			for _, f := range before.Functions {
				if f.Kind == "orchestrator" {
					old[f.Name] = srv.orchestrate(t, f.Name)
				}
			}
			srv.checkAlive(t)
			stop()

			sdkBefore := btSnapshot(t, filepath.Join(work, "sdk"))
			res := btRun(t, work, nil, bin, app.args("bump")...)
			if res.code != 0 {
				t.Fatalf("bump: exit status %d\n%s", res.code, res.stderr)
			}
			// A call whose target bump cannot resolve is left as it is,
			// with a warning.
			if got, want := strings.Count(res.stderr, "which bump cannot resolve"), len(app.dynamic); got != want {
				t.Errorf("bump warned about %d unresolved targets, want %d:\n%s", got, want, res.stderr)
			}
			btSameTree(t, "the bump changed the stand-in SDK", sdkBefore, btSnapshot(t, filepath.Join(work, "sdk")))
			after := btList(t, bin, work, app)
			to := after.Version
			// moved maps every registered name of an orchestrator or
			// activity to its new version's registered name.
			newReg := map[string]string{}
			for _, f := range after.Functions {
				if btVersioned(f.Kind) && f.Version == to {
					newReg[f.Base] = f.RegisteredName
				}
			}
			moved := map[string]string{}
			for _, f := range after.Functions {
				if btVersioned(f.Kind) {
					moved[f.RegisteredName] = newReg[f.Base]
				}
			}

			srv, _ = btStart(t, modDir)
			for _, f := range before.Functions {
				if f.Kind != "orchestrator" {
					continue
				}
				if got := srv.orchestrate(t, f.Name); !reflect.DeepEqual(got, old[f.Name]) {
					t.Errorf("/%s after the bump:\n  got  %+v\n  want %+v (as before)", f.Name, got, old[f.Name])
				}
			}
			latest := before.latest()
			for _, f := range after.Functions {
				if before.function(f.Name) != nil || latest[f.Base] == nil {
					continue
				}
				src := latest[f.Base]
				if f.Kind == "activity" {
					for _, in := range btInputs {
						s1, _ := srv.invoke(t, src.Name, "input", in)
						s2, _ := srv.invoke(t, f.Name, "input", in)
						if s1 != s2 {
							t.Errorf("/%s answers status %d, its source /%s %d", f.Name, s2, src.Name, s1)
						}
					}
					continue
				}
				var want []btAnswer
				for _, a := range old[src.Name] {
					w := btAnswer{Calls: []btCall{}}
					for _, c := range a.Calls {
						if (c.Kind == "activity" || c.Kind == "suborchestration") && !slices.Contains(app.dynamic, c.Name) {
							if name, ok := moved[c.Name]; ok {
								c.Name = name
							}
						}
						w.Calls = append(w.Calls, c)
					}
					want = append(want, w)
				}
				got := srv.orchestrate(t, f.Name)
				for i := range got {
					if (got[i].Error == "") != (old[src.Name][i].Error == "") {
						t.Errorf("/%s with input %d: error %q, its source /%s: %q", f.Name, i, got[i].Error, src.Name, old[src.Name][i].Error)
					}
					got[i].Error = ""
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("/%s:\n  got  %+v\n  want %+v (the calls of /%s, moved to version %d)", f.Name, got, want, src.Name, to)
				}
			}
			srv.checkAlive(t)
		})
	}
}

// btCheckFailedBump checks that a bump failed with exit status 2 and one
// line of error, and left the tree as it was.
func btCheckFailedBump(t *testing.T, bin, work string, app btApp, mention string) {
	t.Helper()
	snap := btSnapshot(t, work)
	res := btRun(t, work, nil, bin, app.args("bump")...)
	if res.code != 2 {
		t.Errorf("bump: exit status %d, want 2\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(res.stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "dfversion: ") || strings.HasPrefix(lines[0], "dfversion: warning:") || !strings.HasSuffix(res.stderr, "\n") {
		t.Errorf("bump: stderr is not one line of error starting with \"dfversion: \":\n%s", res.stderr)
	}
	if res.stdout != "" {
		t.Errorf("bump failed but printed on stdout:\n%s", res.stdout)
	}
	if !strings.Contains(res.stderr, mention) {
		t.Errorf("bump: the error does not name %s:\n%s", mention, res.stderr)
	}
	btSameTree(t, "the failed bump changed the tree", snap, btSnapshot(t, work))
}

// TestBumpAllOrNothing checks that a bump that cannot write everything
// writes nothing: a read-only file it must update, or a new function's
// folder taken by a plain file.
func TestBumpAllOrNothing(t *testing.T) {
	bin := btBuildDfversion(t)
	for _, readOnly := range []string{"handler/workflows/names.go", "appsettings.azure.json", "host.json"} {
		t.Run("read-only "+readOnly, func(t *testing.T) {
			t.Parallel()
			app := btAppNamed(t, "orders")
			work := btCopyApps(t)
			path := filepath.Join(work, "apps", "orders", filepath.FromSlash(readOnly))
			if err := os.Chmod(path, 0o444); err != nil {
				t.Fatal(err)
			}
			btCheckFailedBump(t, bin, work, app, filepath.Base(readOnly))
		})
	}
	t.Run("folder taken by a file", func(t *testing.T) {
		t.Parallel()
		app := btAppNamed(t, "hellocities")
		work := btCopyApps(t)
		if err := os.WriteFile(filepath.Join(work, "apps", "hellocities", "SayHello_v2"), []byte("not a function folder\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		btCheckFailedBump(t, bin, work, app, "SayHello_v2")
	})
}

// TestBumpNoDurableFunctions bumps an app with only an HTTP function: there
// is nothing to bump, which is no error, and nothing changes.
func TestBumpNoDurableFunctions(t *testing.T) {
	bin := btBuildDfversion(t)
	work := t.TempDir()
	files := map[string]string{
		"host.json": `{
  "version": "2.0",
  "customHandler": {
    "description": {"defaultExecutablePath": "app", "workingDirectory": "", "arguments": []},
    "enableForwardingHttpRequest": true
  }
}
`,
		"local.settings.json": `{
  "IsEncrypted": false,
  "Values": {"FUNCTIONS_WORKER_RUNTIME": "custom", "GREETING": "Hello"}
}
`,
		"Hello/function.json": `{
  "bindings": [
    {"authLevel": "anonymous", "type": "httpTrigger", "direction": "in", "name": "req", "methods": ["get"]},
    {"type": "http", "direction": "out", "name": "res"}
  ]
}
`,
		"go.mod": "module example.com/hello\n\ngo 1.26\n",
		"main.go": `package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func hello(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "%s, world\n", os.Getenv("GREETING"))
}

func main() {
	http.HandleFunc("/api/Hello", hello)
	log.Fatal(http.ListenAndServe(":"+os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT"), nil))
}
`,
	}
	for name, content := range files {
		path := filepath.Join(work, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := btList(t, bin, work, btApp{root: "."})
	if len(m.Functions) != 1 || m.Functions[0].Kind != "other" {
		t.Fatalf("list: %+v, want one function of kind other", m.Functions)
	}
	for _, args := range [][]string{{"bump"}, {"bump", "--dry-run"}} {
		snap := btSnapshot(t, work)
		res := btRun(t, work, nil, bin, append([]string{"--app", "."}, args...)...)
		if res.code != 0 {
			t.Errorf("%s: exit status %d, want 0\n%s", strings.Join(args, " "), res.code, res.stderr)
		}
		if !strings.Contains(strings.ToLower(res.stdout), "nothing to bump") {
			t.Errorf("%s: stdout does not say there is nothing to bump:\n%s", strings.Join(args, " "), res.stdout)
		}
		if res.stderr != "" {
			t.Errorf("%s: stderr:\n%s", strings.Join(args, " "), res.stderr)
		}
		btSameTree(t, strings.Join(args, " ")+" changed the tree", snap, btSnapshot(t, work))
	}
}
