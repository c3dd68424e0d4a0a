package goapp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// NoModuleError is returned by FindModule when no go.mod is at, under or
// above the app root.
type NoModuleError struct{ AppRoot string }

func (e *NoModuleError) Error() string {
	return fmt.Sprintf("no go.mod at, under or above %s: the Go handler's module was not found; name it with --module", e.AppRoot)
}

// FindModule returns the directory of the Go module that holds an app's
// handler, for the layouts real apps use, in this order: go.mod at the app
// root; a single go.mod in a subfolder of the app root (handler/, cmd/app/);
// the nearest go.mod above the app root (function folders kept in a
// subfolder of the repository).
func FindModule(appRoot string) (string, error) {
	if exists(filepath.Join(appRoot, "go.mod")) {
		return appRoot, nil
	}
	var found []string
	err := filepath.WalkDir(appRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != appRoot && skipDir(d.Name()) {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Name() == "go.mod" {
			found = append(found, filepath.Dir(path))
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("looking for go.mod under %s: %w", appRoot, err)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
	default:
		sort.Strings(found)
		return "", fmt.Errorf("found %d Go modules under %s (%s); name the handler's with --module",
			len(found), appRoot, strings.Join(found, ", "))
	}
	abs, err := filepath.Abs(appRoot)
	if err != nil {
		return "", fmt.Errorf("finding the Go module: %w", err)
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if exists(filepath.Join(dir, "go.mod")) {
			return relativeTo(appRoot, abs, dir), nil
		}
		if dir == filepath.Dir(dir) {
			break
		}
	}
	return "", &NoModuleError{AppRoot: appRoot}
}

// ModuleRoot returns the directory of the go.mod that governs dir: dir
// itself or the nearest folder above it with a go.mod.
func ModuleRoot(dir string) (string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("module directory %s does not exist; --module takes the folder of the handler's Go module or of its main package", dir)
		}
		return "", fmt.Errorf("reading module directory: %w", err)
	}
	if !info.IsDir() {
		return "", fmt.Errorf("module directory %s is not a directory; --module takes the folder of the handler's Go module or of its main package", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("finding the Go module: %w", err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		if exists(filepath.Join(d, "go.mod")) {
			return relativeTo(dir, abs, d), nil
		}
		if d == filepath.Dir(d) {
			return "", fmt.Errorf("no go.mod at or above %s; --module takes the folder of the handler's Go module (go mod init makes one)", dir)
		}
	}
}

// skipDir reports whether a folder cannot hold the app's module: hidden
// folders, vendored and downloaded code, and test fixtures.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
		name == "vendor" || name == "node_modules" || name == "testdata"
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// relativeTo expresses target, an absolute path, relative to the user's
// path given as given (whose absolute form is abs), so messages show paths
// in the user's terms. It falls back to target.
func relativeTo(given, abs, target string) string {
	rel, err := filepath.Rel(abs, target)
	if err != nil {
		return target
	}
	return filepath.Join(given, rel)
}
