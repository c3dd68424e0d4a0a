package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"

	"github.com/dfversion/dfversion/internal/jsonfile"
)

// LockFile is the name of the lock file at the app root: the record of
// every released function version, which dfversion check holds the code
// to.
const LockFile = "dfversion.lock"

// lockFormat is the version of the lock file's format this dfversion
// writes. Format 2 added Slice to orchestrators' entries; format 1 files
// are read (their entries lack Slice, and are compared as they were).
const lockFormat = 2

// oldestLockFormat is the oldest format this dfversion reads.
const oldestLockFormat = 1

// Lock is the content of dfversion.lock: for every released version of a
// durable function, its kind and fingerprints.
type Lock struct {
	// Functions maps function names to their released entries.
	Functions map[string]LockEntry
}

// LockEntry is one released function version.
type LockEntry struct {
	Kind    Kind `json:"kind"`
	Version int  `json:"version"`
	// Retired is set when the version was removed from the code on
	// purpose (dfversion prune): check does not miss it.
	Retired bool `json:"retired,omitempty"`
	// Bindings is the hash of the function's bindings in function.json.
	Bindings string `json:"bindings"`
	// Code maps every declaration an orchestrator reaches to the hash of
	// its tokens (orchestrators).
	Code map[string]string `json:"code,omitempty"`
	// Reach is the version of the rules Code was computed with:
	// ReachSlice (Slice is recorded), ReachFull (it is not), or 0 for an entry written before dfversion followed the
	// writers of the variables an orchestrator reads, package inits,
	// interface methods and func values (its Code lacks what these reach).
	Reach int `json:"reach,omitempty"`
	// Slice maps the functions of Code to the hash of their durable slice
	// (package durable): what of their code can change the durable calls
	// an orchestrator makes. A change to a declaration whose slice hash is
	// unchanged is replay-safe (a note). Declarations without a slice hash
	// (variables, constants, types, code the analysis is unsure of) count
	// as inside the slice. Nil in entries written before lockVersion 2:
	// every change to their code is breaking.
	Slice map[string]string `json:"slice,omitempty"`
	// SliceSites hold, for the functions of Slice, a short hash of each
	// criterion of their slice with what it depends on (durable.Site), in
	// order and separated by spaces (one line per function in the file):
	// messages use them to point at the first durable decision that
	// changed rather than at the declaration. They are not part of the
	// verdict (Slice is), and entries written before they existed lack
	// them.
	SliceSites map[string]string `json:"sliceSites,omitempty"`
	// Calls is an orchestrator's ordered skeleton of durable calls.
	Calls []string `json:"calls,omitempty"`
	// CallSites hash the source of each of Calls, arguments included:
	// messages use them to point at the call that changed among calls of
	// the same target. They are not part of the verdict (Code covers the
	// calls' text), and locks written before they existed lack them.
	CallSites []string `json:"callSites,omitempty"`
	// Inputs and Outputs are the shapes of the types an activity or entity
	// reads and returns; Body hashes its code.
	Inputs  []string `json:"inputs,omitempty"`
	Outputs []string `json:"outputs,omitempty"`
	Body    string   `json:"body,omitempty"`
}

// ReachFull is the Reach of entries whose Code covers writers, inits,
// interface methods and func values.
const ReachFull = 2

// ReachSlice is the Reach of the entries this dfversion writes: ReachFull,
// and Slice is recorded (possibly empty).
const ReachSlice = 3

// lockJSON is the file's layout: a format number first, then the
// functions sorted by name (encoding/json sorts map keys).
type lockJSON struct {
	Format    int                  `json:"lockVersion"`
	Comment   string               `json:"comment"`
	Functions map[string]LockEntry `json:"functions"`
}

const lockComment = "Released versions of durable functions, written by dfversion (lock, bump). dfversion check fails when one of them changes in a way that breaks instances in flight. Do not edit by hand."

// ReadLock reads the lock file at path. A missing file is an empty lock
// and exists is false.
func ReadLock(path string) (lock *Lock, exists bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Lock{Functions: map[string]LockEntry{}}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading the lock file: %w", err)
	}
	lock, err = ParseLock(path, data)
	return lock, err == nil, err
}

// ParseLock parses a lock file's content. path is used in messages.
func ParseLock(path string, data []byte) (*Lock, error) {
	var raw lockJSON
	if err := jsonfile.Decode(path, data, &raw); err != nil {
		var jerr *jsonfile.Error
		if errors.As(err, &jerr) {
			jerr.Msg += "; restore the lock from git, or delete it and run 'dfversion lock' again"
		}
		return nil, err
	}
	if raw.Format < oldestLockFormat || raw.Format > lockFormat {
		return nil, &jsonfile.Error{File: path, Line: 1, Col: 1,
			Msg: fmt.Sprintf("lockVersion %d is not one this dfversion reads (%d to %d); upgrade dfversion", raw.Format, oldestLockFormat, lockFormat)}
	}
	if raw.Functions == nil {
		raw.Functions = map[string]LockEntry{}
	}
	return &Lock{Functions: raw.Functions}, nil
}

// Marshal renders the lock file: indented, keys sorted, one line per call
// and per declaration, so that its diffs read well in review.
func (l *Lock) Marshal() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(lockJSON{Format: lockFormat, Comment: lockComment, Functions: l.Functions})
	return buf.Bytes()
}

// MarshalLike renders the lock file to replace old: with CRLF line
// endings when old has them.
func (l *Lock) MarshalLike(old []byte) []byte {
	out := l.Marshal()
	if bytes.Contains(old, []byte("\r\n")) {
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	}
	return out
}

// Names returns the names of the lock's functions, sorted.
func (l *Lock) Names() []string {
	names := make([]string, 0, len(l.Functions))
	for n := range l.Functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
