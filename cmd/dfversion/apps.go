package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

// isPattern reports whether an --app value is a pattern like ./... that
// names every app below a folder, as go's package patterns do.
func isPattern(app string) bool {
	return app == "..." || strings.HasSuffix(filepath.ToSlash(app), "/...")
}

// expandApps turns load options whose --app is a pattern (dir/...) into
// one set of options per folder below dir that holds a host.json, sorted.
// Hidden folders, vendor and node_modules are not searched. Other options
// come back as they are.
func expandApps(opts project.Options) ([]project.Options, error) {
	if !isPattern(opts.AppDir) {
		return []project.Options{opts}, nil
	}
	root := strings.TrimSuffix(strings.TrimSuffix(filepath.ToSlash(opts.AppDir), "..."), "/")
	if root == "" {
		root = "."
	}
	root = filepath.FromSlash(root)
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (strings.HasPrefix(name, ".") || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == manifest.HostFile {
			dirs = append(dirs, filepath.Dir(path))
		}
		return nil
	})
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("--app %s: %s does not exist", opts.AppDir, root)
		}
		return nil, fmt.Errorf("--app %s: %w", opts.AppDir, err)
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("--app %s: no function app (no host.json) below %s", opts.AppDir, root)
	}
	sort.Strings(dirs)
	out := make([]project.Options, len(dirs))
	for i, d := range dirs {
		out[i] = opts
		out[i].AppDir = d
	}
	return out, nil
}
