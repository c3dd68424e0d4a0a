package rewrite

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"

	"golang.org/x/tools/go/packages"
)

// TypeCheck type-checks the packages that edits change, with the edits
// applied in memory, and returns the first error that the original code
// did not already have: a rewrite that would not compile must not be
// written.
func (m *Module) TypeCheck(edits []FileEdit) error {
	if len(edits) == 0 {
		return nil
	}
	abs, err := filepath.Abs(m.Dir)
	if err != nil {
		return fmt.Errorf("type-checking the result: %w", err)
	}
	overlay := map[string][]byte{}
	dirs := map[string]bool{}
	for _, e := range edits {
		overlay[e.Path] = e.New
		dirs[filepath.Dir(e.Path)] = true
	}
	var patterns []string
	for dir := range dirs {
		rel, err := filepath.Rel(abs, dir)
		if err != nil {
			return fmt.Errorf("type-checking the result: %w", err)
		}
		patterns = append(patterns, "./"+filepath.ToSlash(rel))
	}
	sort.Strings(patterns)
	cfg := &packages.Config{
		Mode:    packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedTypes | packages.NeedSyntax,
		Dir:     abs,
		Fset:    nil,
		Overlay: overlay,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return fmt.Errorf("type-checking the result: %w", err)
	}
	known := map[string]bool{}
	for _, p := range m.Packages {
		for _, e := range p.Errors {
			known[p.PkgPath+"\x00"+e.Msg] = true
		}
	}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if known[p.PkgPath+"\x00"+e.Msg] {
				continue
			}
			pos := overlayName(m.displayPos(e.Pos, abs), edits, m)
			if pos != "" {
				pos += ": "
			}
			return fmt.Errorf("the rewritten code would not compile, so nothing was written: %s%s", pos, oneLine(overlayName(m.displayMsg(e.Msg, abs), edits, m)))
		}
	}
	return nil
}

// overlayFile matches the temporary copies the go command type-checks
// overlaid files under.
var overlayFile = regexp.MustCompile(`\S*gocommand-[0-9]+/[0-9]+-([^:\s]+)`)

// overlayName puts the names of the edited files back in messages about
// their temporary copies, marked as the rewritten content.
func overlayName(msg string, edits []FileEdit, m *Module) string {
	return overlayFile.ReplaceAllStringFunc(msg, func(s string) string {
		base := overlayFile.FindStringSubmatch(s)[1]
		for _, e := range edits {
			if filepath.Base(e.Path) == base {
				return m.displayFile(e.Path) + " (rewritten)"
			}
		}
		return s
	})
}
