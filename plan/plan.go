package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Plan is the complete set of file changes one command intends to make below
// Root. It is built with [Plan.Create], [Plan.Update] and [Plan.Delete],
// printed with [Plan.Diff] and written with [Plan.Apply]. The plan keeps its
// own copies of the contents it is given. A Plan is not safe for concurrent
// use.
type Plan struct {
	// Root is the directory every Change.Path is relative to; "" is the
	// current directory.
	Root string
	// Changes holds at most one Change per path, sorted by Path.
	Changes []Change
}

// New returns an empty plan for the tree rooted at root.
func New(root string) *Plan {
	return &Plan{Root: root}
}

// Create plans a new file at path with the given content (nil is taken as an
// empty file). It fails if path already exists on disk (checked with
// os.Lstat below Root), or is already planned to exist. Creating a path that the plan deletes turns the deletion into an
// update of that file.
func (p *Plan) Create(path string, content []byte) error {
	if err := checkPath(path); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	content = own(content)
	if c := p.lookup(path); c != nil {
		if c.New != nil {
			return fmt.Errorf("create %s: already planned", path)
		}
		c.New = content
		return nil
	}
	if err := p.checkNesting(path); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	switch fi, err := os.Lstat(filepath.Join(p.Root, filepath.FromSlash(path))); {
	case err == nil && fi.IsDir():
		return fmt.Errorf("create %s: a directory of that name already exists", path)
	case err == nil:
		return fmt.Errorf("create %s: file already exists", path)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("create %s: %w", path, err)
	}
	p.insert(Change{Path: path, New: content})
	return nil
}

// Update plans to replace the content of the existing file at path. old must
// be the content exactly as it was read: Apply refuses to write if the file
// no longer has it. A nil old or new is taken as empty content. If path is already planned, old must equal its planned
// content, and the two edits combine into one change. An update whose new
// content equals old changes nothing, but Apply still checks that the file
// was not modified.
func (p *Plan) Update(path string, old, new []byte) error {
	if err := checkPath(path); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	old, new = own(old), own(new)
	if c := p.lookup(path); c != nil {
		if err := c.follows(old); err != nil {
			return fmt.Errorf("update %s: %w", path, err)
		}
		c.New = new
		return nil
	}
	if err := p.checkNesting(path); err != nil {
		return fmt.Errorf("update %s: %w", path, err)
	}
	p.insert(Change{Path: path, Old: old, New: new, read: fingerprintOf(old)})
	return nil
}

// Delete plans to remove the existing file at path. old must be its content
// exactly as it was read (nil is taken as empty). Deleting a file the plan creates removes it from
// the plan. Directories left empty by deletions are removed by Apply.
func (p *Plan) Delete(path string, old []byte) error {
	if err := checkPath(path); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	old = own(old)
	if c := p.lookup(path); c != nil {
		if err := c.follows(old); err != nil {
			return fmt.Errorf("delete %s: %w", path, err)
		}
		if c.Old == nil {
			i, _ := p.search(path)
			p.Changes = slices.Delete(p.Changes, i, i+1)
			return nil
		}
		c.New = nil
		return nil
	}
	if err := p.checkNesting(path); err != nil {
		return fmt.Errorf("delete %s: %w", path, err)
	}
	p.insert(Change{Path: path, Old: old, read: fingerprintOf(old)})
	return nil
}

// Lookup returns the planned change for path, if any. Its New field is the
// content the file will have after Apply (nil: deleted). The returned slices
// belong to the plan and must not be modified.
func (p *Plan) Lookup(path string) (Change, bool) {
	if c := p.lookup(path); c != nil {
		return *c, true
	}
	return Change{}, false
}

// Empty reports whether applying the plan would change nothing.
func (p *Plan) Empty() bool {
	for i := range p.Changes {
		if !p.Changes[i].isNoop() {
			return false
		}
	}
	return true
}

// follows checks that an edit starting from content old may be chained after
// the already planned change c.
func (c *Change) follows(old []byte) error {
	if c.New == nil {
		return errors.New("already planned for deletion")
	}
	if !bytes.Equal(c.New, old) {
		return errors.New("already planned with different content")
	}
	return nil
}

// search finds path in the sorted Changes.
func (p *Plan) search(path string) (int, bool) {
	return slices.BinarySearchFunc(p.Changes, path, func(c Change, path string) int {
		return strings.Compare(c.Path, path)
	})
}

// lookup returns a pointer to the planned change for path, or nil.
func (p *Plan) lookup(path string) *Change {
	if i, ok := p.search(path); ok {
		return &p.Changes[i]
	}
	return nil
}

// insert adds c, which must not be planned yet, keeping Changes sorted.
func (p *Plan) insert(c Change) {
	i, _ := p.search(c.Path)
	p.Changes = slices.Insert(p.Changes, i, c)
}

// checkNesting refuses a path that lies inside another planned path, or has
// another planned path inside it: one of them would have to be both a file
// and a directory.
func (p *Plan) checkNesting(path string) error {
	for dir := path; ; {
		i := strings.LastIndexByte(dir, '/')
		if i < 0 {
			break
		}
		dir = dir[:i]
		if p.lookup(dir) != nil {
			return fmt.Errorf("conflicts with planned change to %s, which would have to be a directory", dir)
		}
	}
	prefix := path + "/"
	if i, _ := p.search(prefix); i < len(p.Changes) && strings.HasPrefix(p.Changes[i].Path, prefix) {
		return fmt.Errorf("conflicts with planned change to %s inside it", p.Changes[i].Path)
	}
	return nil
}

// checkPath validates a plan path: clean, relative, slash-separated, and not
// the root itself. Backslashes are refused because on Windows they would be
// a second spelling of a path.
func checkPath(path string) error {
	if path == "." || !fs.ValidPath(path) || strings.ContainsAny(path, "\\\x00") {
		return fmt.Errorf("invalid path %q: want a clean slash-separated path relative to the plan root", path)
	}
	return nil
}

// own returns a private copy of b, with nil taken as empty content.
func own(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return bytes.Clone(b)
}
