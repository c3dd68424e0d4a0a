package check

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/google/renameio/v2"
	"golang.org/x/mod/modfile"

	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/internal/parallel"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

// cacheFormat changes whenever what check finds for the same input may
// change: a new rule, a new fingerprint.
const cacheFormat = "dfversion-check-4"

// Cache keeps the results of checks by the content of everything a result
// depends on, so that a check of an unchanged tree (a pre-commit hook run
// again, an amended commit message) costs the reading of its files, as
// gofmt -l does, instead of a load of the module. Set DFVERSION_CACHE=off
// to turn it off.
type Cache struct {
	dir string
}

// OpenCache opens the cache in the user's cache directory; nil when there
// is none or it is turned off.
func OpenCache() *Cache {
	if os.Getenv("DFVERSION_CACHE") == "off" {
		return nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	return &Cache{dir: filepath.Join(base, "dfversion", "check")}
}

// Cached is a stored check result.
type Cached struct {
	Findings []Finding
	Released int
	// Warnings are the load's warnings, printed again on a cache hit.
	Warnings []string
}

// Key hashes what a check of the app depends on: the command line and the
// directory it ran in (findings hold paths as given), the environment the
// go command reads, and the content of every input file: the module's Go
// files and go.mod, those of modules it replaces with local directories,
// and the app's host.json, function.json files, settings and lock file.
// tree is where the files are read (the work tree, or the exported index
// for --staged); names in the key are relative to it, so a staged tree
// exported to another temporary directory keys alike.
//
// named is the load as the user gave it (it goes into the key); read is
// the same load moved into tree, where the files are read.
func Key(tree string, named, read project.Options, flags ...string) (string, error) {
	h := sha256.New()
	cwd, _ := os.Getwd()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%q\x00%q\x00%q\n", cacheFormat, runtime.Version(), executableID(), cwd,
		[]string{named.AppDir, named.ModuleDir}, named.SettingsFiles, flags)
	for _, k := range []string{"GOFLAGS", "GOOS", "GOARCH", "GOWORK", "CGO_ENABLED", "GOEXPERIMENT", "GOPROXY", "GOTOOLCHAIN"} {
		fmt.Fprintf(h, "%s=%s\n", k, os.Getenv(k))
	}
	w := &treeHasher{h: h, root: tree}
	if err := w.app(read); err != nil {
		return "", err
	}
	if err := w.module(read); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// executableID identifies the running dfversion binary by its path, size
// and modification time, cheaply: a rebuilt dfversion (a new release, or a
// development build) may find other things in the same input, so it does
// not take results cached by another build.
func executableID() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	info, err := os.Stat(exe)
	if err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%s\x00%d\x00%d", exe, info.Size(), info.ModTime().UnixNano())
}

// Load returns the result stored under key.
func (c *Cache) Load(key string) (*Cached, bool) {
	if c == nil {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(c.dir, key+".json"))
	if err != nil {
		return nil, false
	}
	var r Cached
	if json.Unmarshal(data, &r) != nil {
		return nil, false
	}
	return &r, true
}

// Store keeps a result under key; failing to is not an error.
func (c *Cache) Store(key string, r *Cached) {
	if c == nil {
		return
	}
	data, err := json.Marshal(r)
	if err != nil || os.MkdirAll(c.dir, 0o755) != nil {
		return
	}
	_ = renameio.WriteFile(filepath.Join(c.dir, key+".json"), data, 0o644)
}

// treeHasher hashes files by their path relative to root and content.
// Files are queued (file, optional) and read by flush, several at once, then
// hashed in the order queued.
type treeHasher struct {
	h     hash.Hash
	root  string
	queue []queuedFile
}

// queuedFile is a file to hash; an optional one that cannot be stat'ed is
// left out, where a missing one that is not optional is hashed as missing.
type queuedFile struct {
	path     string
	optional bool
}

func (w *treeHasher) file(path string) {
	w.queue = append(w.queue, queuedFile{path: path})
}

// hashChunk is how many queued files flush reads before hashing them: it
// bounds the content held at once.
const hashChunk = 256

// flush reads the queued files on as many goroutines as there are
// processors and hashes them in the order queued, as "file <rel>\n" and the
// content, or "missing <rel>\n"; the error is that of the first file, in
// that order, that could not be read.
func (w *treeHasher) flush() error {
	type read struct {
		rel     string
		data    []byte
		skip    bool
		missing bool
		err     error
	}
	for start := 0; start < len(w.queue); start += hashChunk {
		chunk := w.queue[start:min(start+hashChunk, len(w.queue))]
		reads := make([]read, len(chunk))
		parallel.For(len(chunk), 0, func(i int) {
			q, r := chunk[i], &reads[i]
			if q.optional {
				if _, err := os.Stat(q.path); err != nil {
					r.skip = true
					return
				}
			}
			r.rel = w.rel(q.path)
			r.data, r.err = os.ReadFile(q.path)
			if errors.Is(r.err, fs.ErrNotExist) {
				r.missing, r.err = true, nil
			}
		})
		for _, r := range reads {
			switch {
			case r.err != nil:
				return r.err
			case r.skip:
			case r.missing:
				fmt.Fprintf(w.h, "missing %s\n", r.rel)
			default:
				fmt.Fprintf(w.h, "file %s\n", r.rel)
				w.h.Write(r.data)
			}
		}
	}
	w.queue = nil
	return nil
}

func (w *treeHasher) rel(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(w.root, abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return abs
}

// app hashes the app's configuration files.
func (w *treeHasher) app(load project.Options) error {
	root := load.AppDir
	for _, name := range []string{manifest.HostFile, project.LocalSettingsFile, manifest.LockFile} {
		w.file(filepath.Join(root, name))
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			w.queue = append(w.queue, queuedFile{path: filepath.Join(root, e.Name(), manifest.FunctionFile), optional: true})
		}
	}
	for _, s := range load.SettingsFiles {
		w.file(s)
	}
	return w.flush()
}

// module hashes the Go files of the app's module and of the modules its
// go.mod replaces with local directories.
func (w *treeHasher) module(load project.Options) error {
	var dir string
	var err error
	if load.ModuleDir != "" {
		dir, err = goapp.ModuleRoot(load.ModuleDir)
	} else {
		dir, err = goapp.FindModule(load.AppDir)
	}
	if err != nil {
		return err
	}
	dirs := []string{dir}
	gomod := filepath.Join(dir, "go.mod")
	if data, err := os.ReadFile(gomod); err == nil {
		if mf, err := modfile.ParseLax(gomod, data, nil); err == nil {
			for _, r := range mf.Replace {
				if r.New.Version == "" { // a directory
					p := r.New.Path
					if !filepath.IsAbs(p) {
						p = filepath.Join(dir, p)
					}
					dirs = append(dirs, p)
				}
			}
		}
	}
	for _, d := range dirs {
		if err := w.goFiles(d); err != nil {
			return err
		}
	}
	return nil
}

// goFiles hashes the Go sources and module files below dir, in order.
func (w *treeHasher) goFiles(dir string) error {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.sum" || name == "go.work" {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir, err)
	}
	sort.Strings(files)
	for _, f := range files {
		w.file(f)
	}
	return w.flush()
}
