package durable

import (
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"sort"

	"golang.org/x/tools/go/packages"

	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/hazard"
)

// Hazard is a construct in an orchestrator's code that can make replay
// diverge.
type Hazard struct {
	// Rule is the hazard's stable id, one of hazard.Rules.
	Rule string
	// Pos and End span the offending expression or statement (for a range
	// statement, its header up to the ranged expression), with file names
	// as the user gave the module's directory.
	Pos token.Position
	End token.Position
	// Path is how the orchestrator reaches the hazard: the orchestrator's
	// name, the module functions called on the way ("buildGreeting",
	// "(*planner).plan"), and the offending callee ("time.Now",
	// "(*http.Client).Do") or construct ("go statement", "select", "range
	// over map").
	Path []string
	// Message says, in one lower-case line, what is wrong and what to do
	// instead.
	Message string
}

// Hazards finds the determinism hazards in the code h reaches: its body,
// the module functions and methods it calls (breadth-first, so each hazard
// is reported once, with the shortest path), the module functions it hands
// to standard-library calls (sort.Slice, slices.SortFunc), and the func
// literals in all of these. Code of other modules (the durable SDK) is not
// followed, nor are calls on the orchestration context (h's first
// parameter) and the functions passed to other calls (activities handed to
// ctx.CallActivity run elsewhere). root names the orchestrator, first in
// every path.
//
// Which construct is which hazard, and what silences it, is package
// hazard's to say; Hazards does the walk over the module.
//
// Hazards silenced by a //dfversion:ignore directive are left out. A
// directive in the reached code without a reason, or naming an unknown
// rule, silences nothing and is itself reported, with the rule
// ignore-directive. Hazards are sorted by file, line and column.
func Hazards(m *goapp.Module, h *goapp.Handler, root string) []Hazard {
	if h.Decl == nil && h.Lit == nil {
		return nil
	}
	s := &hazardScan{
		m:    m,
		dirs: map[*token.File]hazard.Directives{},
		seen: map[hazardKey]bool{},
	}
	if ctx := hazardContextType(h); ctx != nil {
		s.isContext = func(t types.Type) bool { return types.Identical(t, ctx) }
	}
	if h.Pkg != nil {
		s.rel = h.Pkg.Types
	}
	var start ast.Node = h.Decl
	if h.Lit != nil {
		start = h.Lit
	}
	queue := []hazardWork{{node: start, decl: h.Decl, body: h.Body(), pkg: h.Pkg, path: []string{root}}}
	followed := map[*types.Func]bool{}
	if h.Func != nil {
		followed[h.Func.Origin()] = true
	}
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		if w.pkg == nil {
			continue
		}
		s.checkDirectives(w)
		if w.body == nil || w.pkg.TypesInfo == nil {
			continue
		}
		for _, fn := range s.scan(w) {
			fn = fn.Origin()
			if followed[fn] {
				continue
			}
			d, ok := m.DeclOf(fn)
			if !ok {
				continue
			}
			followed[fn] = true
			path := append(append([]string(nil), w.path...), hazard.FuncName(fn, s.rel))
			queue = append(queue, hazardWork{node: d.Decl, decl: d.Decl, body: d.Decl.Body, pkg: d.Pkg, path: path})
		}
	}
	sort.SliceStable(s.out, func(i, j int) bool {
		a, b := s.out[i], s.out[j]
		if a.Pos.Filename != b.Pos.Filename {
			return a.Pos.Filename < b.Pos.Filename
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Column != b.Pos.Column {
			return a.Pos.Column < b.Pos.Column
		}
		return a.Rule < b.Rule
	})
	return s.out
}

// hazardScan is one run of Hazards.
type hazardScan struct {
	m         *goapp.Module
	rel       *types.Package        // the orchestrator's package, for names in paths
	isContext func(types.Type) bool // the orchestration context's type; nil if unknown
	out       []Hazard
	seen      map[hazardKey]bool
	dirs      map[*token.File]hazard.Directives // directives by file and line, read on demand
}

type hazardKey struct {
	rule string
	pos  token.Pos
}

// hazardWork is a function whose body is to be scanned.
type hazardWork struct {
	node ast.Node      // the declaration or func literal, for its directives
	decl *ast.FuncDecl // nil for a func literal handler
	body *ast.BlockStmt
	pkg  *packages.Package
	path []string // how the orchestrator reaches this function, itself included
}

// hazardContextType returns the type of h's first parameter, without a
// pointer, when it is a named type: calls of its methods are the durable
// API, neither hazards nor code to follow.
func hazardContextType(h *goapp.Handler) types.Type {
	var sig *types.Signature
	switch {
	case h.Func != nil:
		sig = h.Func.Signature()
	case h.Lit != nil && h.Pkg != nil && h.Pkg.TypesInfo != nil:
		sig, _ = h.Pkg.TypesInfo.TypeOf(h.Lit).(*types.Signature)
	}
	return hazard.ContextType(sig)
}

// scan reports the hazards in one function's body and returns, in the order
// met, the module functions it hands control to.
func (s *hazardScan) scan(w hazardWork) []*types.Func {
	var follow []*types.Func
	sc := hazard.Scanner{
		Info:      w.pkg.TypesInfo,
		IsContext: s.isContext,
		Found: func(f hazard.Found) {
			s.report(w, f.Rule, f.Node, f.End, f.What, f.Message)
		},
		Follow: func(fn *types.Func, _ ast.Node) bool {
			if _, ok := s.m.DeclOf(fn); !ok {
				return false
			}
			follow = append(follow, fn)
			return true
		},
	}
	sc.Scan(w.body)
	return follow
}

// hazardCalleeExpr strips parentheses and explicit instantiation from a
// call's function expression.
func hazardCalleeExpr(e ast.Expr) ast.Expr {
	return hazard.CalleeExpr(e)
}

// report records a hazard found in w, unless a directive silences it.
func (s *hazardScan) report(w hazardWork, rule string, node ast.Node, end token.Pos, what, msg string) {
	key := hazardKey{rule, node.Pos()}
	if s.seen[key] || s.suppressed(w, rule, node.Pos()) {
		return
	}
	s.seen[key] = true
	s.out = append(s.out, Hazard{
		Rule:    rule,
		Pos:     s.m.Position(node.Pos()),
		End:     s.m.Position(end),
		Path:    append(append([]string(nil), w.path...), what),
		Message: msg,
	})
}

// suppressed reports whether a valid directive silences a hazard of rule
// at pos in w: one on the same line, one alone on the line above, or one
// in the doc comment of the function declaration holding it.
func (s *hazardScan) suppressed(w hazardWork, rule string, pos token.Pos) bool {
	var doc *ast.CommentGroup
	if w.decl != nil {
		doc = w.decl.Doc
	}
	tf := s.m.Fset.File(pos)
	if tf == nil {
		return hazard.Silenced(doc, nil, 0, rule)
	}
	return hazard.Silenced(doc, s.directives(w.pkg, tf), tf.Line(pos), rule)
}

// checkDirectives reports the malformed directives in w's function, its
// doc comment included.
func (s *hazardScan) checkDirectives(w hazardWork) {
	if w.node == nil {
		return
	}
	start, end := w.node.Pos(), w.node.End()
	if w.decl != nil && w.decl.Doc != nil {
		start = w.decl.Doc.Pos()
	}
	f := hazardFileOf(w.pkg, start)
	if f == nil {
		return
	}
	for _, d := range hazard.Malformed(f, start, end) {
		c := d.Comment
		key := hazardKey{hazard.RuleIgnoreDirective, c.Pos()}
		if s.seen[key] {
			continue
		}
		s.seen[key] = true
		s.out = append(s.out, Hazard{
			Rule:    hazard.RuleIgnoreDirective,
			Pos:     s.m.Position(c.Pos()),
			End:     s.m.Position(c.End()),
			Path:    append(append([]string(nil), w.path...), hazard.IgnoreDirective),
			Message: d.Problem,
		})
	}
}

// directives indexes the //dfversion:ignore comments of a file by line.
// When the file cannot be read, every directive is taken to be alone on
// its line.
func (s *hazardScan) directives(p *packages.Package, tf *token.File) hazard.Directives {
	if lines, ok := s.dirs[tf]; ok {
		return lines
	}
	lines := hazard.FileDirectives(tf, hazardFileOf(p, token.Pos(tf.Base())), func() []byte {
		src, _ := os.ReadFile(tf.Name())
		return src
	})
	s.dirs[tf] = lines
	return lines
}

// hazardFileOf returns the file of p that holds pos.
func hazardFileOf(p *packages.Package, pos token.Pos) *ast.File {
	for _, f := range p.Syntax {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}
