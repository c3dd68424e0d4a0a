package appgen_test

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/internal/appgen"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

// TestRandomDeterministic checks that a seed always gives the same app.
func TestRandomDeterministic(t *testing.T) {
	for seed := range int64(20) {
		a, b := appgen.NewRandom(seed), appgen.NewRandom(seed)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("seed %d gave two specs:\n%+v\n%+v", seed, a, b)
		}
		ca, err := a.MainGo()
		if err != nil {
			t.Fatal(err)
		}
		cb, _ := b.MainGo()
		if !bytes.Equal(ca, cb) {
			t.Fatalf("seed %d gave two main.go", seed)
		}
	}
}

// TestRandomSpecs checks, over many seeds and without writing anything,
// that the specs are what the generator promises (every orchestrator
// version k calls the newest version at or below k of what it calls, the
// pointer names the newest orchestrator, main.go is gofmt-clean) and that
// they cover every shape: registrations, reference styles, versions,
// pointer forms.
func TestRandomSpecs(t *testing.T) {
	seen := map[string]bool{}
	for seed := range int64(300) {
		s := appgen.NewRandom(seed)
		versions := map[string][]int{}
		for _, f := range s.Functions {
			versions[f.Base] = append(versions[f.Base], f.Version)
			if f.Version > s.Version || f.Name != nameAt(f.Base, f.Version) || !manifest.ValidName(f.Name) {
				t.Fatalf("seed %d: function %+v in an app at version %d", seed, f, s.Version)
			}
			seen["register "+string(f.Register)] = true
			seen[fmt.Sprintf("handle %v", f.Handle)] = true
			seen[fmt.Sprintf("version %d", f.Version)] = true
			switch {
			case !f.Override && f.Registered == f.Name:
				seen["override none"] = true
			case f.Override && f.Registered == f.Name:
				seen["override own name"] = true
			case f.Override && f.Registered == nameAt(f.Base+"Task", f.Version):
				seen["override alias"] = true
			default:
				t.Fatalf("seed %d: %s registers %q (override %v)", seed, f.Name, f.Registered, f.Override)
			}
		}
		for _, f := range s.Functions {
			for _, c := range f.Calls {
				seen["ref "+string(c.Ref)] = true
				seen[fmt.Sprintf("sub %v", c.Sub)] = true
				target, ok := s.Function(c.Target)
				if !ok {
					t.Fatalf("seed %d: %s calls %s, which does not exist", seed, f.Name, c.Target)
				}
				for _, v := range versions[target.Base] {
					if v <= f.Version && v > target.Version {
						t.Fatalf("seed %d: %s (v%d) calls %s, not the newest version at or below v%d", seed, f.Name, f.Version, c.Target, f.Version)
					}
				}
				if target.Version > f.Version || c.Sub != (target.Kind == "orchestrator") || (c.Ref == appgen.ByConstant) != (c.Const != "") || c.Registered != target.Registered {
					t.Fatalf("seed %d: call %+v of %s", seed, c, f.Name)
				}
			}
		}
		var top int
		for _, f := range s.Functions {
			if f.Base == "Orchestrator000" {
				top = max(top, f.Version)
			}
		}
		if top != s.Version {
			t.Fatalf("seed %d: the pointer's orchestrator is at v%d, the app at v%d", seed, top, s.Version)
		}
		code, err := s.MainGo()
		if err != nil {
			t.Fatal(err)
		}
		if clean, err := format.Source(code); err != nil || !bytes.Equal(clean, code) {
			t.Fatalf("seed %d: main.go is not gofmt-clean (%v)", seed, err)
		}
		seen[fmt.Sprintf("bare %v", s.Pointer.Bare)] = true
		seen[fmt.Sprintf("fallback %v", s.Pointer.Fallback != "")] = true
		seen[fmt.Sprintf("local maps %v", s.LocalMaps)] = true
		seen[fmt.Sprintf("slash keys %v", s.SlashKeys)] = true
		seen[fmt.Sprintf("const group %v", s.ConstGroup)] = true
		seen[fmt.Sprintf("default version %v", s.DefaultVersion != "")] = true
	}
	for _, want := range []string{
		"register direct", "register map", "register mux", "handle true", "handle false",
		"ref value", "ref string", "ref constant", "sub true", "sub false",
		"version 1", "version 2", "version 3", "override none", "override own name", "override alias", "bare true", "bare false", "fallback true",
		"local maps true", "local maps false", "slash keys true", "slash keys false",
		"const group true", "const group false", "default version true", "default version false",
	} {
		if !seen[want] {
			t.Errorf("no seed gives %s", want)
		}
	}
}

func nameAt(base string, v int) string {
	if v == 1 {
		return base
	}
	return fmt.Sprintf("%s_v%d", base, v)
}

// TestRandomApps writes a few apps and checks that dfversion reads them as
// specified (every function, its kind and version, served by the handler
// of its name) and that they build and vet with the standard library
// alone.
func TestRandomApps(t *testing.T) {
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOPROXY", "off")
	root := t.TempDir()
	var pkgs, uses []string
	for seed := range int64(3) {
		dir := filepath.Join(root, fmt.Sprint(seed))
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		s, err := appgen.WriteRandom(dir, seed)
		if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, s.Module)
		uses = append(uses, "\t"+dir+"\n")
		p, err := project.Load(project.Options{AppDir: dir})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if got, want := len(p.App.Functions), len(s.Functions)+1; got != want {
			t.Errorf("seed %d: %d functions, want %d", seed, got, want)
		}
		if p.App.Version() != s.Version {
			t.Errorf("seed %d: app version %d, want %d", seed, p.App.Version(), s.Version)
		}
		for _, f := range s.Functions {
			mf := p.App.Function(f.Name)
			if mf == nil || string(mf.Kind) != f.Kind || mf.Version != f.Version || mf.Base != f.Base || mf.RegisteredName != f.Registered {
				t.Errorf("seed %d: function %s read as %+v", seed, f.Name, mf)
				continue
			}
			if h := p.Handler(f.Name); h == nil || h.GoName != f.Name {
				t.Errorf("seed %d: %s is served by %+v", seed, f.Name, h)
			}
		}
		if len(p.Pointers) != 1 || p.Pointers[0].Setting != s.Pointer.Setting || p.Pointers[0].Value != s.Pointer.Value {
			t.Errorf("seed %d: pointers %+v, want %s=%s", seed, p.Pointers, s.Pointer.Setting, s.Pointer.Value)
		}
	}
	// One workspace holding every app, so that one go command compiles
	// and vets them all.
	work := filepath.Join(t.TempDir(), "go.work")
	if err := os.WriteFile(work, []byte("go 1.26\n\nuse (\n"+strings.Join(uses, "")+")\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"list", "-export", "-e=false", "-f", "{{.Export}}"}, {"vet"}} {
		cmd := exec.Command("go", append(args, pkgs...)...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOWORK="+work, "GOFLAGS=", "GOPROXY=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s: %v\n%s", args[0], err, out)
		}
	}
}
