package plan

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/rogpeppe/go-internal/diff"
)

// Diff returns the plan as a git-style unified diff, one file after another
// in path order, that both `git apply` and `patch -p1` accept when run in
// Root. Changes that leave a file as it was are left out; an empty plan
// gives an empty diff. Files containing NUL bytes are shown as binary,
// without hunks, as git does.
func (p *Plan) Diff() []byte {
	var buf bytes.Buffer
	for i := range p.Changes {
		writeDiff(&buf, &p.Changes[i])
	}
	return buf.Bytes()
}

// writeDiff appends the diff of one change to buf.
func writeDiff(buf *bytes.Buffer, c *Change) {
	if c.isNoop() {
		return
	}
	a, b := quotePath("a/"+c.Path), quotePath("b/"+c.Path)
	from, to := a, b
	fmt.Fprintf(buf, "diff --git %s %s\n", a, b)
	// The index line is what lets patch recognise the deletion of an empty
	// file, which has no hunk; git writes it for every file.
	switch {
	case c.isCreate():
		fmt.Fprintf(buf, "new file mode 100644\nindex %s..%s\n", noBlob, blobID(c.New))
		from = "/dev/null"
	case c.isDelete():
		fmt.Fprintf(buf, "deleted file mode 100644\nindex %s..%s\n", blobID(c.Old), noBlob)
		to = "/dev/null"
	default:
		fmt.Fprintf(buf, "index %s..%s 100644\n", blobID(c.Old), blobID(c.New))
	}
	if len(c.Old) == 0 && len(c.New) == 0 {
		return // git writes no ---/+++ lines and no hunk for an empty new or deleted file
	}
	if isBinary(c.Old) || isBinary(c.New) {
		fmt.Fprintf(buf, "Binary files %s and %s differ\n", from, to)
		return
	}
	fmt.Fprintf(buf, "--- %s\n+++ %s\n", tabIfSpace(from), tabIfSpace(to))
	buf.Write(hunks(c.Old, c.New))
}

// noBlob is the abbreviated object name git writes for a missing file.
const noBlob = "0000000"

// blobID returns the abbreviated git object name of a file with content
// data, as git writes it in index lines.
func blobID(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))[:7]
}

// hunks returns the hunks of the unified diff from old to new, without the
// three header lines diff.Diff starts with.
func hunks(old, new []byte) []byte {
	d := diff.Diff("old", old, "new", new)
	for range 3 {
		i := bytes.IndexByte(d, '\n')
		if i < 0 {
			return nil
		}
		d = d[i+1:]
	}
	return d
}

// isBinary reports whether data looks binary the way git decides it: a NUL
// byte among the first 8000 bytes.
func isBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0
}

// tabIfSpace ends a ---/+++ file name that contains a space with a tab, as
// git does, so that patch does not take the rest of the line for a date.
func tabIfSpace(name string) string {
	if name[0] != '"' && strings.Contains(name, " ") {
		return name + "\t"
	}
	return name
}

// quotePath quotes name the way git does (core.quotePath true) when it holds
// a control character, a double quote, a backslash or a non-ASCII byte; both
// git apply and GNU patch read the quoted form.
func quotePath(name string) string {
	needs := false
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			needs = true
			break
		}
	}
	if !needs {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			if c < 0x20 || c >= 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
