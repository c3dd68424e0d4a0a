package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/packages"
)

// Reach is what a handler's code reaches in the module: the functions and
// methods it calls or refers to, directly or through others, the app
// settings it reads, and the constant strings it uses.
type Reach struct {
	// Funcs are the module's functions and methods reached, in the order
	// first reached.
	Funcs []*types.Func
	// EnvReads are the calls to os.Getenv and os.LookupEnv with a constant
	// setting name.
	EnvReads []EnvRead
	// Strings are the values of the constant string expressions in the
	// reached code.
	Strings map[string]bool
	// Objects are the package-level variables, constants and types of the
	// module that the reached code uses, in the order first used.
	Objects []types.Object
}

// EnvRead is a read of an app setting.
type EnvRead struct {
	Setting string
	Pos     token.Position
}

// Reach follows h's code through every function and method of the module
// it refers to.
func (m *Module) Reach(h *Handler) *Reach { return m.reach(h, nil) }

// reach is Reach, not following into the functions for which stop is true
// (other durable functions' handlers, when fingerprinting one).
func (m *Module) reach(h *Handler, stop func(*types.Func) bool) *Reach {
	r := &Reach{Strings: map[string]bool{}}
	seen := map[*types.Func]bool{}
	seenObj := map[types.Object]bool{}
	type work struct {
		body *ast.BlockStmt
		pkg  *packages.Package
	}
	queue := []work{{h.Body(), h.Pkg}}
	if h.Func != nil {
		seen[h.Func.Origin()] = true
		r.Funcs = append(r.Funcs, h.Func.Origin())
	}
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		if w.body == nil || w.pkg.TypesInfo == nil {
			continue
		}
		info := w.pkg.TypesInfo
		ast.Inspect(w.body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if s, ok := constString(info, n); ok {
					r.Strings[s] = true // a named constant
				}
				obj := info.Uses[n]
				if _, ok := m.specs[obj]; ok && !seenObj[obj] {
					seenObj[obj] = true
					r.Objects = append(r.Objects, obj)
				}
				fn, ok := obj.(*types.Func)
				if !ok || seen[fn.Origin()] || stop != nil && stop(fn) {
					break
				}
				if d, ok := m.declOf(fn); ok {
					seen[fn.Origin()] = true
					r.Funcs = append(r.Funcs, fn.Origin())
					queue = append(queue, work{d.decl.Body, d.pkg})
				}
			case *ast.CallExpr:
				if setting, ok := envRead(info, n); ok {
					r.EnvReads = append(r.EnvReads, EnvRead{Setting: setting, Pos: m.Position(n.Pos())})
				}
			case ast.Expr:
				if s, ok := constString(info, n); ok {
					r.Strings[s] = true
				}
			}
			return true
		})
	}
	return r
}

// envRead reports the setting a call to os.Getenv or os.LookupEnv reads.
func envRead(info *types.Info, call *ast.CallExpr) (string, bool) {
	fn := funcOf(info, call.Fun)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "os" || len(call.Args) != 1 {
		return "", false
	}
	if fn.Name() != "Getenv" && fn.Name() != "LookupEnv" {
		return "", false
	}
	return constString(info, call.Args[0])
}
