package appsettings

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dfversion/dfversion/manifest"
)

// PointerForm says how a pointer setting names the orchestrator that new
// instances start on.
type PointerForm string

// The forms of pointer: the orchestrator's full name ("HelloCities_v2"), or
// a bare version ("v2", "2") that the client's code joins to a base name.
const (
	FullName    PointerForm = "name"
	BareVersion PointerForm = "version"
)

// Pointer is an app setting that tells a client function which orchestrator
// to start: moving it to a new version is how new instances move there.
type Pointer struct {
	Setting string
	File    *File
	Value   string
	Form    PointerForm
	// Base and Version are the orchestrator base name and the version the
	// value points at. Base is "" for a bare version when the client's code
	// joins it to more than one base name.
	Base    string
	Version int
	// BareV is true for a bare version written with a leading 'v'.
	BareV bool
	// Line and Col are the position of the value in File.
	Line, Col int
}

// Reader is what one client function's code (its handler and the module
// code it calls) tells about the settings it reads.
type Reader struct {
	// Settings are the names read with os.Getenv or os.LookupEnv.
	Settings []string
	// Strings are the constant strings in the code.
	Strings map[string]bool
}

var bareVersion = regexp.MustCompile(`^(v?)([1-9][0-9]{0,8})$`)

// FindPointers returns the settings, in any of files, that a client reads
// and whose value names an orchestrator of app: by its full name (a base of
// an orchestrator with any version suffix, so a stale pointer is still
// found), or by a bare version when the client's code holds an orchestrator
// base name to join it to. Pointers come sorted by setting, then by file in
// the order given.
func FindPointers(files []*File, readers []Reader, app *manifest.App) []Pointer {
	bases := map[string]bool{}
	for _, f := range app.Functions {
		if f.Kind == manifest.Orchestrator {
			bases[f.Base] = true
		}
	}
	var out []Pointer
	seen := map[string]bool{}
	for _, r := range readers {
		for _, name := range r.Settings {
			for fi, file := range files {
				key := strconv.Itoa(fi) + "\x00" + name
				s, ok := file.Lookup(name)
				if !ok || seen[key] {
					continue
				}
				if p, ok := classify(s, r, bases); ok {
					seen[key] = true
					p.File = file
					out = append(out, p)
				}
			}
		}
	}
	order := map[*File]int{}
	for i, f := range files {
		order[f] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Setting != out[j].Setting {
			return out[i].Setting < out[j].Setting
		}
		return order[out[i].File] < order[out[j].File]
	})
	return out
}

// classify decides whether a setting read by r is a pointer.
func classify(s Setting, r Reader, bases map[string]bool) (Pointer, bool) {
	p := Pointer{Setting: s.Name, Value: s.Value, Line: s.Line, Col: s.Col}
	if base, version := manifest.ParseName(s.Value); bases[base] {
		p.Form, p.Base, p.Version = FullName, base, version
		return p, true
	}
	m := bareVersion.FindStringSubmatch(s.Value)
	if m == nil {
		return p, false
	}
	var joined []string
	for base := range bases {
		for str := range r.Strings {
			if str == base || strings.HasPrefix(str, base+"_") {
				joined = append(joined, base)
				break
			}
		}
	}
	if len(joined) == 0 {
		return p, false
	}
	p.Form, p.BareV = BareVersion, m[1] == "v"
	p.Version, _ = strconv.Atoi(m[2])
	if len(joined) == 1 {
		p.Base = joined[0]
	}
	return p, true
}
