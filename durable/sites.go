package durable

// Where a slice changed.
//
// A slice hash says that an orchestrator's durable decisions changed, not
// where. So that check can point at the change rather than at the
// function's declaration, the lock also records a short hash of each
// criterion's part of the serialization (a Site): the criterion (a durable
// call, an await, a panic, a write others see) with everything it depends
// on. Aligning the released sites with today's (a longest common
// subsequence) leaves the first site that is new or different, and its
// position is where the change shows:
//
//	ctx.CallActivity(Charge)                   // unchanged: its site matches
//	for i := 0; i < len(in.Cities); i++ {       // a bound edited to len(in.Cities)-1
//		ctx.CallActivity(SayHello, ...)         // <- reported here: the first call the bound decides
//	}
//
// A criterion's part numbers the values it visits from where the parts
// before it stopped, so a change that adds or removes values changes the
// sites after it too, unchanged calls included: in practice the alignment
// finds the longest unchanged prefix, and the first site after it is the
// change. That is all a message needs. A site is never part of the verdict
// (the slice hash is), only of the message.

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// Site is one criterion of a function's durable slice: Hash covers the
// criterion with what it depends on, Pos is where the criterion stands in
// the source (the start of a call).
type Site struct {
	Hash string
	Pos  token.Position
}

// sitesOf makes the sites of fn's own criteria from its serialization.
func (a *Analysis) sitesOf(fn *ssa.Function, segments []segment) []Site {
	if len(segments) == 0 {
		return nil
	}
	calls := callStarts(fn.Syntax())
	sites := make([]Site, len(segments))
	for i, s := range segments {
		pos := s.criterion.Pos()
		if start, ok := calls[pos]; ok {
			pos = start
		}
		if !pos.IsValid() {
			pos = fn.Pos()
		}
		sites[i] = Site{Hash: hashString(s.text)[len("sha256:"):][:8], Pos: a.m.Position(pos)}
	}
	return sites
}

// callStarts maps the opening parenthesis of every call in a function's
// syntax, which is where SSA places a call, to the start of the call.
func callStarts(syntax ast.Node) map[token.Pos]token.Pos {
	out := map[token.Pos]token.Pos{}
	if syntax == nil {
		return out
	}
	ast.Inspect(syntax, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			out[call.Lparen] = call.Pos()
		}
		return true
	})
	return out
}
