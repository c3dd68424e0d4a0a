package rewrite

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/dstutil"
)

// rewriteRefs moves the references to durable functions inside a clone to
// the new version. root is the original's syntax, whose type information
// tells what each name refers to; orig and clone are its decorated form
// and the copy of that. in names the new function, for the summary.
func (c *cloner) rewriteRefs(ef *editFile, root ast.Node, orig, clone dst.Node, in string) error {
	corr := correspondence(orig, clone)
	info := ef.pkg.TypesInfo
	if info == nil {
		return nil
	}
	c.planTargets(ef, root, corr, in)
	ast.Inspect(root, func(n ast.Node) bool {
		if n != nil && n == c.skip {
			return false
		}
		switch n := n.(type) {
		case *ast.Ident:
			id, ok := corr[ef.dstOf(n)].(*dst.Ident)
			if !ok {
				break
			}
			if name, ok := c.dataRef(info.Uses[n]); ok {
				if name != n.Name {
					c.addRef(ef, id, n.Name, name, c.dataKind(info.Uses[n]), in)
					id.Name = name
				}
				break
			}
			switch obj := info.Uses[n].(type) {
			case *types.Func:
				if name, ok := c.handlerRefs[obj.Origin()]; ok {
					c.addRef(ef, id, n.Name, name, "handler", in)
					id.Name = name
				}
			case *types.Var: // a package-level variable holding a handler
				if name, ok := c.varRefs[obj]; ok {
					c.addRef(ef, id, n.Name, name, "handler", in)
					id.Name = name
				}
			case *types.Const:
				if p := c.constantRef(obj); p != nil {
					c.addRef(ef, id, n.Name, p.name, "constant", in)
					id.Name = p.name
				}
			}
		case *ast.BasicLit:
			lit, ok := corr[ef.dstOf(n)].(*dst.BasicLit)
			if !ok || n.Kind != token.STRING {
				break
			}
			s, err := strconv.Unquote(n.Value)
			if err != nil {
				break
			}
			if to, ok := c.spec.Rename[s]; ok && to != s {
				lit.Value = quoteLike(n.Value, to)
				c.addRef(ef, lit, s, to, "string", in)
			}
		}
		return true
	})
	return nil
}

// addRef records a rewritten reference whose position is known once the
// file is printed.
func (c *cloner) addRef(ef *editFile, n dst.Node, from, to, kind, in string) {
	c.refs = append(c.refs, &pendingRef{
		ref: Reference{From: from, To: to, Kind: kind, In: in},
		pos: ef.trackPos(n),
	})
}

// quoteLike quotes s the way lit, a string literal, is quoted: raw
// strings stay raw.
func quoteLike(lit, s string) string {
	if strings.HasPrefix(lit, "`") && !strings.Contains(s, "`") {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// constPlan is a versioned copy of a package-level string constant.
type constPlan struct {
	name  string
	value string
	// clash is set when another constant of the package got the same
	// versioned name with another value.
	clash bool
}

// constantRef returns the versioned copy of a package-level string
// constant whose value names a durable function that moves, planning the
// copy on first use; nil for any other constant.
func (c *cloner) constantRef(obj *types.Const) *constPlan {
	if p, ok := c.constants[obj]; ok {
		return p
	}
	if obj.Pkg() == nil || obj.Parent() != obj.Pkg().Scope() || obj.Val().Kind() != constant.String {
		return nil
	}
	to, ok := c.spec.Rename[constant.StringVal(obj.Val())]
	if !ok {
		return nil
	}
	return c.planConstant(obj, to)
}

func (c *cloner) planConstant(obj *types.Const, value string) *constPlan {
	name := versionedConstName(obj.Name(), c.spec.Version)
	// Two constants of one package may get the same versioned name
	// (activity000 and activity000_v2 both become activity000_v3): with
	// the same value, one declaration serves both.
	key := obj.Pkg().Path() + "." + name
	if p, ok := c.constByName[key]; ok && p.value == value {
		c.constants[obj] = p
		return p
	}
	p := &constPlan{name: name, value: value}
	if _, taken := c.constByName[key]; taken {
		p.clash = true
	} else {
		if c.constByName == nil {
			c.constByName = map[string]*constPlan{}
		}
		c.constByName[key] = p
	}
	c.constants[obj] = p
	c.constOrder = append(c.constOrder, obj)
	return p
}

var versionSuffix = regexp.MustCompile(`(_v|V)[1-9][0-9]*$`)

// versionedConstName names the versioned copy of a constant: chargeCard ->
// chargeCard_v3, chargeCardV2 -> chargeCardV3, ChargeCard_v2 ->
// ChargeCard_v3.
func versionedConstName(name string, version int) string {
	if loc := versionSuffix.FindStringSubmatchIndex(name); loc != nil {
		return name[:loc[3]] + strconv.Itoa(version)
	}
	return name + "_v" + strconv.Itoa(version)
}

// declareConstants declares every planned versioned constant, refusing
// names already taken. The copies of constants declared together go in a
// new declaration right after the original one, so that no line of the
// original changes (gofmt would realign a group that grew).
func (c *cloner) declareConstants() error {
	type group struct {
		ef    *editFile
		decl  *ast.GenDecl
		specs []*dst.ValueSpec
		from  []string // the original constant of each spec
	}
	var groups []*group
	byDecl := map[*ast.GenDecl]*group{}
	for _, obj := range c.constOrder {
		p := c.constants[obj]
		if p.clash {
			return fmt.Errorf("%s: cannot declare %s = %q for the new version of %s: another constant's copy takes that name with another value; rename one of the constants",
				c.m.Position(obj.Pos()), p.name, p.value, obj.Name())
		}
		if d, ok := c.m.SpecOf(obj); ok {
			if pos, ok := testDecl(c.m, d.Pkg, "", p.name); ok {
				return fmt.Errorf("%s: cannot declare %s for the new version of %s: %s is already declared at %s; rename it or remove it",
					c.m.Position(obj.Pos()), p.name, obj.Name(), p.name, pos)
			}
		}
		if other := obj.Pkg().Scope().Lookup(p.name); other != nil {
			if oc, ok := other.(*types.Const); ok && oc.Val().Kind() == constant.String && constant.StringVal(oc.Val()) == p.value {
				continue // already declared with the right value: use it
			}
			return fmt.Errorf("%s: cannot declare %s for the new version of %s: %s is already declared at %s; rename it or remove it",
				c.m.Position(obj.Pos()), p.name, obj.Name(), p.name, c.m.Position(other.Pos()))
		}
		ef, err := c.ed.file(obj.Pos())
		if err != nil {
			return err
		}
		decl, spec := constDecl(ef.ast, obj)
		if decl == nil {
			return fmt.Errorf("%s: cannot declare %s: the declaration of %s was not found", c.m.Position(obj.Pos()), p.name, obj.Name())
		}
		newSpec := &dst.ValueSpec{
			Names:  []*dst.Ident{dst.NewIdent(p.name)},
			Values: []dst.Expr{&dst.BasicLit{Kind: token.STRING, Value: strconv.Quote(p.value)}},
		}
		if spec.Type != nil {
			newSpec.Type = dst.Clone(ef.dstOf(spec.Type)).(dst.Expr)
		}
		g, ok := byDecl[decl]
		if !ok {
			g = &group{ef: ef, decl: decl}
			byDecl[decl] = g
			groups = append(groups, g)
		}
		g.specs = append(g.specs, newSpec)
		g.from = append(g.from, obj.Name())
		c.result.Constants = append(c.result.Constants, fmt.Sprintf("%s = %q", p.name, p.value))
	}
	for _, g := range groups {
		nd := &dst.GenDecl{Tok: token.CONST}
		// Keep the original order of the constants.
		order := map[string]int{}
		for i, s := range g.decl.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				order[n.Name] = i
			}
		}
		idx := make([]int, len(g.specs))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return order[g.from[idx[a]]] < order[g.from[idx[b]]] })
		for _, i := range idx {
			nd.Specs = append(nd.Specs, g.specs[i])
		}
		if len(nd.Specs) > 1 || g.decl.Lparen.IsValid() {
			nd.Lparen = true
			nd.Rparen = true
			for _, spec := range g.specs {
				spec.Decs.Before = dst.NewLine
				spec.Decs.After = dst.NewLine
			}
		}
		nd.Decs.Before = dst.EmptyLine
		nd.Decs.After = dst.EmptyLine
		nd.Decs.Start = dst.Decorations{fmt.Sprintf("// Names at version %d.", c.spec.Version)}
		if err := insertDeclAfter(g.ef.dst, g.ef.dstOf(g.decl).(*dst.GenDecl), nd); err != nil {
			return err
		}
	}
	return nil
}

// constDecl finds the declaration and spec of a package-level constant.
func constDecl(f *ast.File, obj *types.Const) (*ast.GenDecl, *ast.ValueSpec) {
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for _, name := range vs.Names {
				if name.Pos() == obj.Pos() {
					return gd, vs
				}
			}
		}
	}
	return nil, nil
}

// newKey is the string that registers the clone of cl: the original key
// with the function's name replaced by the new one (/HelloCities ->
// /HelloCities_v2).
func newKey(cl Clone) string {
	key := cl.Registration.Key
	for _, pair := range [][2]string{{cl.Source.Name, cl.NewName}, {cl.Source.RegisteredName, cl.NewRegistered}} {
		if strings.HasSuffix(key, pair[0]) {
			return key[:len(key)-len(pair[0])] + pair[1]
		}
	}
	return cl.NewName
}

// renameKey gives the cloned registration the new function's name: a
// string literal is changed in place, a package-level constant moves to a
// versioned copy, and any other constant expression is replaced by a
// literal.
func (c *cloner) renameKey(ef *editFile, cl Clone, orig, clone dst.Node) error {
	r := cl.Registration
	key := newKey(cl)
	corr := correspondence(orig, clone)
	origExpr := ef.dstOf(r.NameExpr)
	target, ok := corr[origExpr]
	if !ok {
		return fmt.Errorf("%s: internal error: the name of %s's registration was not found in its copy", r.Pos, r.Function)
	}
	switch n := ast.Unparen(r.NameExpr).(type) {
	case *ast.BasicLit:
		if lit, ok := corr[ef.dstOf(n)].(*dst.BasicLit); ok {
			lit.Value = quoteLike(n.Value, key)
			c.addRef(ef, lit, r.Key, key, "route", cl.NewName)
			return nil
		}
	case *ast.Ident, *ast.SelectorExpr:
		id := n.(ast.Expr)
		if sel, ok := n.(*ast.SelectorExpr); ok {
			id = sel.Sel
		}
		if obj, ok := r.Pkg.TypesInfo.Uses[id.(*ast.Ident)].(*types.Const); ok && obj.Parent() == obj.Pkg().Scope() {
			p, planned := c.constants[obj]
			if !planned {
				p = c.planConstant(obj, key)
			}
			if p.value == key {
				if did, ok := corr[ef.dstOf(id)].(*dst.Ident); ok {
					c.addRef(ef, did, obj.Name(), p.name, "route", cl.NewName)
					did.Name = p.name
					return nil
				}
			}
		}
	}
	// Any other constant expression ("/" + name): replace it with the new
	// key, written out.
	lit := &dst.BasicLit{Kind: token.STRING, Value: strconv.Quote(key)}
	replaced := false
	dstutil.Apply(clone, func(cur *dstutil.Cursor) bool {
		if cur.Node() == target {
			cur.Replace(lit)
			replaced = true
			return false
		}
		return true
	}, nil)
	if !replaced {
		return fmt.Errorf("%s: cannot rename the registration of %s in its copy; copy it by hand", r.Pos, r.Function)
	}
	c.addRef(ef, lit, r.Key, key, "route", cl.NewName)
	return nil
}
