package appsettings

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "local.settings.json")
	content := "{\n  \"Values\": {\n    \"A\": \"1\"\n  }\n}\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Read(path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if f.Path != path || string(f.Data) != content || f.Format != LocalSettings {
		t.Errorf("Read = %+v", f)
	}
	if s, ok := f.Lookup("A"); !ok || s.Value != "1" || s.Line != 3 || s.Col != 10 {
		t.Errorf("Lookup(A) = %+v, %v", s, ok)
	}
}

func TestReadMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "local.settings.json")
	f, err := Read(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Read = %v, %v; want an error satisfying fs.ErrNotExist", f, err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
}

func TestReadMalformed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "appsettings.json")
	if err := os.WriteFile(path, []byte("[\n  {\"value\": \"1\"}\n]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Read(path)
	var jerr *jsonfile.Error
	if !errors.As(err, &jerr) || jerr.File != path || jerr.Line != 2 || jerr.Col != 3 {
		t.Fatalf("Read error = %v, want a *jsonfile.Error at %s:2:3", err, path)
	}
}
