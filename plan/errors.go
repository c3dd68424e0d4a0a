package plan

import (
	"errors"
	"fmt"
	"strings"
)

// ErrChanged is wrapped by the error Apply returns when a file no longer has
// the content recorded when the plan read it.
var ErrChanged = errors.New("changed on disk since it was read")

// ErrReadOnly is wrapped by the error Apply returns when a file the plan
// would replace or delete has no write permission for its owner.
var ErrReadOnly = errors.New("is read-only")

// ErrNotRestored is wrapped by the error Apply returns when a write failed
// and putting back the files already written failed too: the tree is left
// partly changed, and the error lists the files that could not be restored.
var ErrNotRestored = errors.New("could not be restored")

// problem is one reason a target fails the check that precedes any write.
type problem struct {
	path   string // plan path the problem is about
	detail string // what is wrong, completing the sentence "<path> ..."
	err    error  // underlying or sentinel error, for errors.Is
}

func (e *problem) Error() string { return e.path + " " + e.detail }
func (e *problem) Unwrap() error { return e.err }

// checkError gathers every problem the check found; Apply then writes nothing.
type checkError struct {
	problems []error
}

// maxProblems caps how many problems the message of a checkError lists.
const maxProblems = 10

func (e *checkError) Error() string {
	var b strings.Builder
	for i, p := range e.problems {
		if i == maxProblems {
			fmt.Fprintf(&b, "; and %d more", len(e.problems)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	b.WriteString("; nothing written")
	return b.String()
}

func (e *checkError) Unwrap() []error { return e.problems }

// rollbackError reports a failed write whose undo failed too.
type rollbackError struct {
	step   string  // the step that failed, with its path
	cause  error   // why it failed
	failed []error // one *problem per path that could not be restored
}

func (e *rollbackError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %v; undoing failed too, the tree is partly changed; these files %s: ", e.step, e.cause, ErrNotRestored)
	for i, p := range e.failed {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

func (e *rollbackError) Unwrap() []error {
	return append([]error{e.cause, ErrNotRestored}, e.failed...)
}
