package rewrite

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"

	"github.com/dave/dst"

	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/goapp"
)

// moveClientFallbacks points the string literals in a client's code that
// name an orchestrator (`if name == "" { name = "HelloCities" }`) at the
// newest orchestrator: new instances must start on the new version. Code
// the client shares with durable functions is left alone.
func (c *cloner) moveClientFallbacks(r *goapp.Registration) error {
	reach := durable.ReachOf(c.m, r.Handler)
	bodies := []ast.Node{r.Handler.Body()}
	for _, fn := range reach.Funcs {
		if _, durable := c.handlerRefs[fn]; durable || fn == r.Handler.Func {
			continue
		}
		if d, ok := c.m.DeclOf(fn); ok && d.Decl.Body != nil {
			bodies = append(bodies, d.Decl.Body)
		}
	}
	var spans []span
	for _, body := range bodies {
		if body != nil {
			spans = append(spans, span{body.Pos(), body.End()})
		}
	}
	done := map[*ast.BasicLit]bool{}
	for _, body := range bodies {
		if body == nil {
			continue
		}
		var lits []*ast.BasicLit
		ast.Inspect(body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				lits = append(lits, lit)
			}
			if id, ok := n.(*ast.Ident); ok {
				// A constant that only client code uses (name :=
				// defaultOrchestrator) is the client's fallback too: its
				// value moves where it is declared.
				if lit := c.clientConstant(id, r, spans); lit != nil {
					lits = append(lits, lit)
				}
			}
			return true
		})
		for _, lit := range lits {
			if done[lit] {
				continue
			}
			done[lit] = true
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				continue
			}
			to, ok := c.spec.ClientRename[s]
			if !ok || to == s {
				continue
			}
			ef, err := c.ed.file(lit.Pos())
			if err != nil {
				return err
			}
			dlit, ok := ef.dstOf(lit).(*dst.BasicLit)
			if !ok {
				continue
			}
			dlit.Value = quoteLike(lit.Value, to)
			c.addRef(ef, dlit, s, to, "fallback", r.Function)
		}
	}
	return nil
}

// clientConstant returns the string literal that declares the package-level
// constant id refers to, when that constant names an orchestrator and
// nothing but the client's code (spans) uses it.
func (c *cloner) clientConstant(id *ast.Ident, r *goapp.Registration, spans []span) *ast.BasicLit {
	info := r.Handler.Pkg.TypesInfo
	if info == nil {
		return nil
	}
	obj, ok := info.Uses[id].(*types.Const)
	if !ok || obj.Pkg() == nil || obj.Parent() != obj.Pkg().Scope() || obj.Val().Kind() != constant.String {
		return nil
	}
	if _, ok := c.spec.ClientRename[constant.StringVal(obj.Val())]; !ok {
		return nil
	}
	s, ok := c.m.SpecOf(obj)
	if !ok {
		return nil
	}
	vs, ok := s.Spec.(*ast.ValueSpec)
	if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
		return nil
	}
	lit, ok := vs.Values[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return nil
	}
	for _, p := range c.m.Packages {
		if p.TypesInfo == nil {
			continue
		}
		for use, o := range p.TypesInfo.Uses {
			if o != obj {
				continue
			}
			inside := false
			for _, sp := range spans {
				inside = inside || sp.holds(use.Pos())
			}
			if !inside {
				return nil
			}
		}
	}
	return lit
}
