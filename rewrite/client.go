package rewrite

import (
	"go/ast"
	"go/token"
	"strconv"

	"github.com/dave/dst"
)

// moveClientFallbacks points the string literals in a client's code that
// name an orchestrator (`if name == "" { name = "HelloCities" }`) at the
// newest orchestrator: new instances must start on the new version. Code
// the client shares with durable functions is left alone.
func (c *cloner) moveClientFallbacks(r *Registration) error {
	reach := c.m.Reach(r.Handler)
	bodies := []ast.Node{r.Handler.Body()}
	for _, fn := range reach.Funcs {
		if _, durable := c.handlerRefs[fn]; durable || fn == r.Handler.Func {
			continue
		}
		if d, ok := c.m.declOf(fn); ok && d.decl.Body != nil {
			bodies = append(bodies, d.decl.Body)
		}
	}
	for _, body := range bodies {
		if body == nil {
			continue
		}
		var lits []*ast.BasicLit
		ast.Inspect(body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				lits = append(lits, lit)
			}
			return true
		})
		for _, lit := range lits {
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
