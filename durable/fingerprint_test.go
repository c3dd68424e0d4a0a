package durable

import (
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/goapp"
)

// fingerprintOf loads a one-file module with src as main.go and returns
// the fingerprint of its function root.
func fingerprintOf(t *testing.T, src, root string) *Fingerprint {
	t.Helper()
	dir := t.TempDir()
	for name, content := range map[string]string{"go.mod": "module example.com/app\n\ngo 1.22\n", "main.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, err := goapp.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	fn, ok := m.Packages[0].Types.Scope().Lookup(root).(*types.Func)
	if !ok {
		t.Fatalf("no function %s", root)
	}
	d, _ := m.DeclOf(fn)
	fp, err := FingerprintOf(m, m.HandlerOfDecl(fn, d), func(*types.Func) (string, bool) { return "", false }, "")
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// TestFingerprintConstantsByPlace checks that a constant whose value
// depends on its place in a parenthesized declaration (iota, an implicit
// repetition) changes its hash when a constant is inserted above it, its
// own tokens unchanged; and that one with a value of its own does not.
func TestFingerprintConstantsByPlace(t *testing.T) {
	const released = `package main

const base = 1

type Kind int

const (
	Small = iota
	Large
)

const (
	Low Kind = base + iota
	High
)

const (
	Hello = "hello"
	Bye   = "bye"
)

var bound = Large

var limit = High

func Root() int {
	n := 0
	for i := 0; i < bound+int(limit); i++ {
		n++
	}
	return n + len(Bye)
}

func main() {}
`
	edited := strings.Replace(released, "\tSmall = iota\n", "\tSmall = iota\n\tMedium\n", 1)
	edited = strings.Replace(edited, "\tHello = \"hello\"\n", "\tHello = \"hello\"\n\tHi = \"hi\"\n", 1)
	before, after := fingerprintOf(t, released, "Root"), fingerprintOf(t, edited, "Root")
	if before.Code["Large"] == "" || before.Code["Bye"] == "" {
		t.Fatalf("the fingerprint does not reach Large and Bye: %v", before.Code)
	}
	if before.Code["Large"] == after.Code["Large"] {
		t.Error("Large went from 1 to 2, but its hash did not change")
	}
	if before.Code["Bye"] != after.Code["Bye"] {
		t.Error("Bye kept its value, but its hash changed")
	}
	// High repeats Low's expression, base + iota: it uses base.
	if _, ok := before.Code["base"]; !ok {
		t.Errorf("High repeats base + iota, but the fingerprint does not reach base: %v", keysOf(before.Code))
	}
}
