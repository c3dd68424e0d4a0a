package main

import (
	"os"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdReplace edits a file in place, replacing the one occurrence of OLD with
// NEW, so scripts can make small, precise edits to the sample apps:
//
//	replace apps/hellocities/main.go 'WithActivityInput("Tokyo")' 'WithActivityInput("Paris")'
//	replace -q apps/hellocities/main.go '"return nil, err\n"' '"return nil, err // why\n"'
//
// OLD and NEW are taken literally; with -q both are Go string literals
// (double-quoted or back-quoted), for newlines and tabs. It fails if OLD
// occurs zero or several times in the file, or if OLD is empty, so an
// edit never lands somewhere unexpected.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: replace [-q] FILE OLD NEW"
	if neg {
		ts.Fatalf("replace does not support negation")
	}
	quoted := len(args) > 0 && args[0] == "-q"
	if quoted {
		args = args[1:]
	}
	if len(args) != 3 {
		ts.Fatalf(usage)
	}
	file, old, repl := args[0], args[1], args[2]
	if quoted {
		var err error
		if old, err = strconv.Unquote(old); err != nil {
			ts.Fatalf("replace: OLD %s is not a Go string literal: %v", args[1], err)
		}
		if repl, err = strconv.Unquote(repl); err != nil {
			ts.Fatalf("replace: NEW %s is not a Go string literal: %v", args[2], err)
		}
	}
	if old == "" {
		ts.Fatalf("replace: OLD is empty")
	}
	content := ts.ReadFile(file)
	switch n := strings.Count(content, old); n {
	case 1:
	case 0:
		ts.Fatalf("replace: %s does not contain %q", file, old)
	default:
		ts.Fatalf("replace: %s contains %q %d times, want once", file, old, n)
	}
	path := ts.MkAbs(file)
	info, err := os.Stat(path)
	ts.Check(err)
	ts.Check(os.WriteFile(path, []byte(strings.Replace(content, old, repl, 1)), info.Mode().Perm()))
}
