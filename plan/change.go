package plan

import (
	"bytes"
	"crypto/sha256"
)

// Change is one file's new state within a [Plan].
//
// Old and New distinguish "absent" from "empty": a nil Old means the file did
// not exist when the plan was made (the change creates it), a nil New means
// the change deletes the file, and an empty non-nil slice is an empty file.
type Change struct {
	// Path is the file's slash-separated path, relative to the plan's Root.
	Path string
	// Old is the file's content when it was read; nil if it does not exist yet.
	Old []byte
	// New is the content to write; nil means delete the file.
	New []byte

	// read records the size and SHA-256 of Old at the moment it was handed to
	// the plan, so that Apply can detect a file modified concurrently even if
	// the caller later reuses the Old slice. A Change built as a literal has
	// read.ok unset and is checked against Old itself.
	read fingerprint
}

// fingerprint is the size and SHA-256 of a file's content.
type fingerprint struct {
	ok   bool
	size int64
	sum  [sha256.Size]byte
}

// fingerprintOf returns the fingerprint of data.
func fingerprintOf(data []byte) fingerprint {
	return fingerprint{ok: true, size: int64(len(data)), sum: sha256.Sum256(data)}
}

// matches reports whether data has fingerprint f.
func (f fingerprint) matches(data []byte) bool {
	return int64(len(data)) == f.size && sha256.Sum256(data) == f.sum
}

// expected returns the fingerprint the file at c.Path must still have on disk.
func (c *Change) expected() fingerprint {
	if c.read.ok {
		return c.read
	}
	return fingerprintOf(c.Old)
}

// isCreate reports whether c creates a file that did not exist.
func (c *Change) isCreate() bool { return c.Old == nil && c.New != nil }

// isDelete reports whether c deletes an existing file.
func (c *Change) isDelete() bool { return c.Old != nil && c.New == nil }

// isNoop reports whether c leaves the file exactly as it was.
func (c *Change) isNoop() bool {
	if c.Old == nil || c.New == nil {
		return c.Old == nil && c.New == nil
	}
	return bytes.Equal(c.Old, c.New)
}
