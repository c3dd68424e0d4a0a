package goapp_test

import (
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/goapp"
)

// writeModule writes a module of files (name to content) into a new
// directory and returns it.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var indexApp = map[string]string{
	"go.mod": "module example.com/app\n\ngo 1.22\n",
	"main.go": `package main

import "example.com/app/store"

var cities = []string{"Tokyo"}

const greeting = "Hello"

func init() { cities = append(cities, "Seattle") }

func init() {}

func main() { _ = store.New().Get(greeting) }
`,
	"store/store.go": "package store\r\n\r\ntype Store struct{}\r\n\r\nfunc New() *Store { return &Store{} }\r\n\r\nfunc (s *Store) Get(k string) string { return k }\r\n",
}

func lookup[T types.Object](t *testing.T, m *goapp.Module, pkg, name string) T {
	t.Helper()
	for _, p := range m.Packages {
		if p.PkgPath != pkg {
			continue
		}
		if obj, ok := p.Types.Scope().Lookup(name).(T); ok {
			return obj
		}
	}
	t.Fatalf("no %s.%s of the wanted kind", pkg, name)
	panic("unreachable")
}

func TestLoadIndexesDeclarations(t *testing.T) {
	dir := writeModule(t, indexApp)
	m, err := goapp.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Path != "example.com/app" || len(m.Packages) != 2 || m.Packages[0].PkgPath != "example.com/app" {
		t.Fatalf("loaded module %q with %d packages, want example.com/app with main and store, sorted", m.Path, len(m.Packages))
	}

	newStore := lookup[*types.Func](t, m, "example.com/app/store", "New")
	storeType := lookup[*types.TypeName](t, m, "example.com/app/store", "Store")
	get, _, _ := types.LookupFieldOrMethod(types.NewPointer(storeType.Type()), true, storeType.Pkg(), "Get")
	cities := lookup[*types.Var](t, m, "example.com/app", "cities")
	greeting := lookup[*types.Const](t, m, "example.com/app", "greeting")

	if d, ok := m.DeclOf(get.(*types.Func)); !ok || d.Decl.Name.Name != "Get" || d.Pkg.Name != "store" {
		t.Errorf("DeclOf(Get) = %v, %v; want the method's declaration in store", d, ok)
	}
	if s, ok := m.SpecOf(cities); !ok || s.Pkg.Name != "main" || len(s.Decl.Specs) != 1 {
		t.Errorf("SpecOf(cities) = %v, %v; want its var declaration in main", s, ok)
	}
	inits := m.InitsOf(cities.Pkg())
	if len(inits) != 2 {
		t.Fatalf("InitsOf(main) has %d functions, want 2", len(inits))
	}
	keys := map[string]types.Object{
		"store.New":         newStore,
		"store.(Store).Get": get,
		"cities":            cities,
		"greeting":          greeting,
		"init":              inits[0],
		"init#2":            inits[1],
	}
	for want, obj := range keys {
		if got := m.DeclKey(obj); got != want {
			t.Errorf("DeclKey(%s) = %q, want %q", obj.Name(), got, want)
		}
	}
	var funcs, specs int
	for range m.FuncDecls() {
		funcs++
	}
	for range m.SpecDecls() {
		specs++
	}
	if funcs != 5 || specs != 3 {
		t.Errorf("the index holds %d functions and %d specs, want 5 (main, 2 inits, New, Get) and 3 (cities, greeting, Store)", funcs, specs)
	}

	// store.go has CRLF line endings: parsed with LF ones, and kept.
	storeFile := filepath.Join(dir, "store", "store.go")
	if disk, ok := m.CRLFSource(storeFile); !ok || !strings.Contains(string(disk), "\r\n") {
		t.Errorf("CRLFSource(store.go) = %q, %v; want the file's CRLF content", disk, ok)
	}
	if src, err := m.Source(storeFile); err != nil || strings.Contains(string(src), "\r") {
		t.Errorf("Source(store.go) = %q, %v; want the content parsed, with LF endings", src, err)
	}
}

func TestMemoKeepsValuesByKey(t *testing.T) {
	m, err := goapp.Load(writeModule(t, indexApp))
	if err != nil {
		t.Fatal(err)
	}
	type keyA struct{}
	type keyB struct{ dir string }
	if v := m.Memo(keyA{}); v != nil {
		t.Fatalf("Memo before SetMemo = %v, want nil", v)
	}
	m.SetMemo(keyA{}, 1)
	m.SetMemo(keyB{"x"}, 2)
	if m.Memo(keyA{}) != 1 || m.Memo(keyB{"x"}) != 2 || m.Memo(keyB{"y"}) != nil {
		t.Errorf("Memo = %v, %v, %v; want 1, 2, nil", m.Memo(keyA{}), m.Memo(keyB{"x"}), m.Memo(keyB{"y"}))
	}
}

func TestTypeCheckChangedFiles(t *testing.T) {
	dir := writeModule(t, indexApp)
	m, err := goapp.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	storeFile := filepath.Join(dir, "store", "store.go")
	mainFile := filepath.Join(dir, "main.go")
	src, _ := m.Source(storeFile)
	added := strings.Replace(string(src), "func New()", "func NewV2() *Store { return &Store{} }\n\nfunc New()", 1)

	rewritten, err := m.TypeCheck(map[string][]byte{storeFile: []byte(added)})
	if err != nil {
		t.Fatalf("TypeCheck of a change that compiles: %v", err)
	}
	// The importing package was checked again against the new types.
	newV2 := lookup[*types.Func](t, rewritten, "example.com/app/store", "NewV2")
	if _, ok := rewritten.DeclOf(newV2); !ok {
		t.Error("the rewritten module does not index the added function")
	}
	if got, _ := rewritten.Source(storeFile); string(got) != added {
		t.Error("the rewritten module's source of store.go is not the new content")
	}

	mainSrc, _ := m.Source(mainFile)
	broken := strings.Replace(string(mainSrc), "store.New()", "store.Missing()", 1)
	_, err = m.TypeCheck(map[string][]byte{mainFile: []byte(broken)})
	if err == nil || !strings.Contains(err.Error(), "would not compile") || !strings.Contains(err.Error(), "Missing") {
		t.Errorf("TypeCheck of a change that does not compile: %v; want an error naming Missing", err)
	}
}
