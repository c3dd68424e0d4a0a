package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSampleAppsBuild checks that every sample app is a real Go program:
// it builds and passes go vet against the stand-in SDK. The scripts rely on
// it; a fixture that does not compile would test nothing real.
func TestSampleAppsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every sample app")
	}
	var modules []string
	err := filepath.WalkDir(filepath.Join(repoTestdata, "apps"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "go.mod" {
			modules = append(modules, filepath.Dir(path))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(modules) < 4 {
		t.Fatalf("found %d sample apps, want at least 4", len(modules))
	}
	for _, dir := range modules {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			for _, args := range [][]string{
				{"build", "-o", t.TempDir(), "./..."},
				{"vet", "./..."},
			} {
				cmd := exec.Command("go", args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("go %s: %v\n%s", args[0], err, out)
				}
			}
		})
	}
}
