package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("u", false, "update testscript files in place with the output they produce")

// TestMain lets testscript run this binary as the dfversion command.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"dfversion": func() { os.Exit(run(os.Args, os.Stdout, os.Stderr)) },
	})
}

// repoTestdata is the repository's testdata folder: the sample apps and the
// stand-in durable SDK they build against.
const repoTestdata = "../../testdata"

// TestScripts runs the end-to-end scripts in testdata/script against the
// real binary. Each script starts with the sample apps in $WORK/apps and
// the stand-in SDK in $WORK/sdk, so that the apps' replace directives hold.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join(repoTestdata, "script"),
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Setup:               setupScript,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":      cmdExits,
			"jsonsubset": cmdJSONSubset,
			"decl":       cmdDecl,
			"fakehub":    cmdFakeHub,
			"replace":    cmdReplace,
			"routes":     cmdRoutes,
		},
	})
}

func setupScript(env *testscript.Env) error {
	for _, dir := range []string{"apps", "sdk"} {
		if err := os.CopyFS(filepath.Join(env.WorkDir, dir), os.DirFS(filepath.Join(repoTestdata, dir))); err != nil {
			return fmt.Errorf("copying %s: %w", dir, err)
		}
	}
	// go/packages runs the go command: share the build and module caches,
	// or every script rebuilds the standard library's export data.
	for _, key := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", key).Output()
		if err != nil {
			return fmt.Errorf("go env %s: %w", key, err)
		}
		env.Setenv(key, strings.TrimSpace(string(out)))
	}
	env.Setenv("GOPROXY", "off")
	env.Setenv("GOFLAGS", "-mod=mod")
	env.Setenv("GOTOOLCHAIN", "local")
	return nil
}

// cmdExits runs a command and checks its exit status:
//
//	exits 2 dfversion list
//
// Its output is kept for stdout and stderr checks, as exec's is.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("exits: %v", err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// cmdDecl prints the source of a function or method declaration, from
// its doc comment to its closing brace, so scripts can compare one
// function across versions of a file:
//
//	decl main.go HelloCities
//	decl approvals.go Approvals.Approve
func cmdDecl(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: decl FILE [RECV.]NAME")
	}
	src := ts.ReadFile(args[0])
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, args[0], src, parser.ParseComments)
	if err != nil {
		ts.Fatalf("%v", err)
	}
	recv, name, ok := strings.Cut(args[1], ".")
	if !ok {
		recv, name = "", args[1]
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != name || declRecv(fd) != recv {
			continue
		}
		start := fd.Pos()
		if fd.Doc != nil {
			start = fd.Doc.Pos()
		}
		fmt.Fprintln(ts.Stdout(), src[fset.Position(start).Offset:fset.Position(fd.End()).Offset])
		return
	}
	ts.Fatalf("%s: no declaration of %s", args[0], args[1])
}

// declRecv is the receiver type name of a method, "" for a function.
func declRecv(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// cmdJSONSubset checks that the JSON in the first file holds everything the
// JSON in the second holds: objects may have extra keys, arrays must have
// the same length, and all else must be equal.
//
//	jsonsubset stdout apps/hellocities/expect.json
func cmdJSONSubset(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: jsonsubset ACTUAL EXPECTED")
	}
	var actual, expected any
	for i, v := range []*any{&actual, &expected} {
		text := ts.ReadFile(args[i])
		if err := json.Unmarshal([]byte(text), v); err != nil {
			ts.Fatalf("%s: %v", args[i], err)
		}
	}
	diffs := jsonSubset("$", actual, expected)
	switch {
	case neg && len(diffs) == 0:
		ts.Fatalf("%s holds all of %s", args[0], args[1])
	case !neg && len(diffs) > 0:
		ts.Fatalf("%s does not match %s:\n%s", args[0], args[1], strings.Join(diffs, "\n"))
	}
}

// jsonSubset lists where actual does not hold expected.
func jsonSubset(path string, actual, expected any) []string {
	switch e := expected.(type) {
	case map[string]any:
		a, ok := actual.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %v, want an object", path, actual)}
		}
		var diffs []string
		for k, ev := range e {
			av, ok := a[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			diffs = append(diffs, jsonSubset(path+"."+k, av, ev)...)
		}
		return diffs
	case []any:
		a, ok := actual.([]any)
		if !ok || len(a) != len(e) {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, actual, expected)}
		}
		var diffs []string
		for i := range e {
			diffs = append(diffs, jsonSubset(fmt.Sprintf("%s[%d]", path, i), a[i], e[i])...)
		}
		return diffs
	}
	if !reflect.DeepEqual(actual, expected) {
		return []string{fmt.Sprintf("%s: got %v, want %v", path, actual, expected)}
	}
	return nil
}

// TestJSONSubset checks the comparison the scripts use for list --json:
// extra keys are fine, everything expected must be there and equal.
func TestJSONSubset(t *testing.T) {
	actual := map[string]any{"version": 2.0, "extra": true, "functions": []any{map[string]any{"name": "A", "line": 3.0}}}
	for _, tt := range []struct {
		expected any
		diffs    int
	}{
		{map[string]any{"version": 2.0}, 0},
		{map[string]any{"functions": []any{map[string]any{"name": "A"}}}, 0},
		{map[string]any{"version": 3.0}, 1},
		{map[string]any{"missing": 1.0}, 1},
		{map[string]any{"functions": []any{}}, 1},
		{map[string]any{"functions": []any{map[string]any{"name": "B", "line": 4.0}}}, 2},
	} {
		if got := jsonSubset("$", actual, tt.expected); len(got) != tt.diffs {
			t.Errorf("jsonSubset(%v) = %v, want %d differences", tt.expected, got, tt.diffs)
		}
	}
}
