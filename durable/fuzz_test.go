package durable_test

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/internal/fuzzclock"
)

// tokenSeeds are Go sources for FuzzTokenHash to start from, besides the
// sample apps' files.
var tokenSeeds = []string{
	"package p\n\nfunc f() { x := []int{1, 2,}; _ = x }\n",
	"package p\nvar s = `a\r\nb`\n",
	"package p\n\nconst x = 0x1F + 1e3 + 0o17 + 0b1 + 0x1p-2 + 1_000\n",
	"package p\n\nfunc f(a ...int) {\n\tf(\n\t\t1,\n\t\t2,\n\t)\n}\n",
	"package p; func f() { if true { return }; for {} }",
	"package p\n\n/* c */ func /* c */ f() {} // c\n",
	"package p\n\ntype T struct {\n\tA int `json:\"a\"`\n\tB, C string\n}\n",
	"\uFEFFpackage p\n",
	"package p\n\nvar r = 'x' + '\\n'\nvar s = \"\\u00e9\"\n",
}

// FuzzTokenHash checks that TokenHash never panics and that it is stable
// under gofmt: for a source go/format accepts, the formatted source hashes
// alike.
func FuzzTokenHash(f *testing.F) {
	for _, s := range tokenSeeds {
		f.Add([]byte(s))
	}
	for _, dir := range []string{"../testdata/apps/hellocities", "../testdata/apps/orders/handler/workflows", "testdata/hazards"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		defer fuzzclock.Start(t, src)()
		h := durable.TokenHash(src)
		if !strings.HasPrefix(h, "sha256:") || h != durable.TokenHash(src) {
			t.Fatalf("TokenHash(%q) = %q, unstable or malformed", src, h)
		}
		formatted, err := format.Source(src)
		if err != nil {
			return
		}
		if durable.TokenHash(formatted) == h {
			return
		}
		// gofmt sorts imports, and import declarations are never part of
		// a fingerprint: the rest must hash alike.
		if durable.TokenHash(blankImports(src)) != durable.TokenHash(blankImports(formatted)) {
			t.Errorf("gofmt changed the token hash:\n%s\n-- formatted --\n%s", src, formatted)
		}
	})
}

// blankImports returns src with its import declarations blanked out; src
// itself when it does not parse as a file.
func blankImports(src []byte) []byte {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly|parser.SkipObjectResolution)
	if err != nil {
		return src
	}
	out := bytes.Clone(src)
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			for i := fset.Position(gd.Pos()).Offset; i < fset.Position(gd.End()).Offset; i++ {
				if out[i] != '\n' {
					out[i] = ' '
				}
			}
		}
	}
	return out
}
