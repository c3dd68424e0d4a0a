package hazard

import (
	"go/ast"
	"go/token"
	"strings"
)

// IgnoreDirective starts a comment that silences a hazard:
// //dfversion:ignore <rule> <reason...>. The rule is one of the Rules but
// ignore-directive, or all; the reason is required.
const IgnoreDirective = "//dfversion:ignore"

// Directive is a //dfversion:ignore comment.
type Directive struct {
	// Comment is the directive's comment.
	Comment *ast.Comment
	// Rule is "all" or the rule id the directive silences; "" when the
	// directive is malformed.
	Rule string
	// Problem says why the directive is malformed, in one lower-case line;
	// "" when it is valid.
	Problem string
	// Alone is set when nothing but space comes before the directive on
	// its line, so that it covers the line below.
	Alone bool
}

// Matches reports whether a valid directive silences rule.
func (d *Directive) Matches(rule string) bool {
	return d.Problem == "" && (d.Rule == "all" || d.Rule == rule)
}

// ParseDirective parses a //dfversion:ignore comment; ok is false for other
// comments. Alone is left unset.
//
//	//dfversion:ignore io the file is baked into the image   valid, Rule "io"
//	//dfversion:ignore io                                    Problem: needs a reason
//	//dfversion:ignore time the clock is shown only          Problem: unknown rule time
//	// dfversion:ignore io ...                               not a directive
func ParseDirective(c *ast.Comment) (d *Directive, ok bool) {
	rest, ok := strings.CutPrefix(c.Text, IgnoreDirective)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return nil, false
	}
	d = &Directive{Comment: c}
	fields := strings.Fields(rest)
	switch {
	case len(fields) == 0:
		d.Problem = IgnoreDirective + " needs a rule and a reason: " + IgnoreDirective + " <rule> <reason>"
	case !isIgnorableRule(fields[0]):
		d.Problem = IgnoreDirective + " names unknown rule " + fields[0] + ": use all or one of " + strings.Join(IgnorableRules(), ", ")
	case len(fields) == 1:
		d.Problem = IgnoreDirective + " " + fields[0] + " needs a reason: say why the hazard is safe, " + IgnoreDirective + " " + fields[0] + " <reason>"
	default:
		d.Rule = fields[0]
	}
	return d, true
}

// IgnorableRules are the rules a directive can name, besides all.
func IgnorableRules() []string {
	var ids []string
	for _, r := range Rules {
		if r.ID != RuleIgnoreDirective {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

func isIgnorableRule(rule string) bool {
	if rule == "all" {
		return true
	}
	for _, id := range IgnorableRules() {
		if id == rule {
			return true
		}
	}
	return false
}

// Directives are the //dfversion:ignore comments of one file, by line.
type Directives map[int][]*Directive

// FileDirectives indexes the directives of f, whose token file is tf.
// source returns the file's content, to tell a directive alone on its line
// from one trailing code; it is called once, and only when f has a
// directive. When it returns nil, every directive is taken to be alone.
func FileDirectives(tf *token.File, f *ast.File, source func() []byte) Directives {
	lines := Directives{}
	if f == nil {
		return lines
	}
	var src []byte
	read := false
	for _, g := range f.Comments {
		for _, c := range g.List {
			d, ok := ParseDirective(c)
			if !ok {
				continue
			}
			if !read && source != nil {
				src, read = source(), true
			}
			d.Alone = aloneOnLine(tf, c.Pos(), src)
			line := tf.Line(c.Pos())
			lines[line] = append(lines[line], d)
		}
	}
	return lines
}

// aloneOnLine reports whether only space comes before pos on its line.
// When the file's content is unknown, it is taken to be so.
func aloneOnLine(tf *token.File, pos token.Pos, src []byte) bool {
	off := tf.Offset(pos)
	lineStart := tf.Offset(tf.LineStart(tf.Line(pos)))
	if src == nil || off > len(src) || lineStart > off {
		return true
	}
	return strings.TrimSpace(string(src[lineStart:off])) == ""
}

// Silenced reports whether a valid directive silences a hazard of rule on
// line: one in doc (the doc comment of the function declaration holding
// the hazard; nil for none), one on the same line, or one alone on the
// line above.
func Silenced(doc *ast.CommentGroup, lines Directives, line int, rule string) bool {
	if doc != nil {
		for _, c := range doc.List {
			if d, ok := ParseDirective(c); ok && d.Matches(rule) {
				return true
			}
		}
	}
	for _, d := range lines[line] {
		if d.Matches(rule) {
			return true
		}
	}
	for _, d := range lines[line-1] {
		if d.Alone && d.Matches(rule) {
			return true
		}
	}
	return false
}

// Malformed returns the malformed directives in the comment groups of f
// that overlap start..end (a function, its doc comment included): each is
// a hazard of the rule ignore-directive, spanning the comment, with the
// Problem as its message and IgnoreDirective as what.
func Malformed(f *ast.File, start, end token.Pos) []*Directive {
	var out []*Directive
	for _, g := range f.Comments {
		if g.End() < start || g.Pos() > end {
			continue
		}
		for _, c := range g.List {
			if d, ok := ParseDirective(c); ok && d.Problem != "" {
				out = append(out, d)
			}
		}
	}
	return out
}
