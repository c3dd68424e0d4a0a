package durable

import (
	"go/ast"
	"go/types"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/goapp"
)

// TestResolveTarget resolves the target of the one durable call of each
// Case* function of testdata/names: finite sets of names where the values
// are known statically, and dynamic with a reason everywhere else.
func TestResolveTarget(t *testing.T) {
	m, err := goapp.Load(filepath.Join("testdata", "names"))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Warnings) > 0 {
		t.Fatalf("the fixture does not type-check: %v", m.Warnings)
	}
	noNames := func(*types.Func) (string, bool) { return "", false }
	targets := map[string]*Target{}
	resolveIn := func(name string, body ast.Node, info *types.Info) {
		ast.Inspect(body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if _, arg, ok := IsDurableCall(info, call); ok && arg != nil {
				targets[name] = ResolveTarget(m, arg, noNames)
			}
			return true
		})
	}
	for fn, d := range m.FuncDecls() {
		if strings.HasPrefix(fn.Name(), "Case") {
			resolveIn(fn.Name(), d.Decl.Body, d.Pkg.TypesInfo)
		}
	}
	// Orchestrators held by package-level variables.
	for obj, s := range m.SpecDecls() {
		if _, ok := obj.(*types.Var); ok && strings.HasPrefix(obj.Name(), "Case") {
			resolveIn(obj.Name(), s.Spec, s.Pkg.TypesInfo)
		}
	}
	for _, tt := range []struct {
		name    string
		want    string // names, space-separated, with where they come from
		dynamic string // a part of the reason
	}{
		{name: "CaseLiteral", want: "Lit"},
		{name: "CaseConstant", want: "Validate"},
		{name: "CaseStages", want: "Validate(stages) Transform(stages)"},
		{name: "CaseIndexField", want: "Validate(stages) Transform(stages)"},
		{name: "CaseNames", want: "A(names) Validate(names)"},
		{name: "CaseMap", want: "X(byKind) Y(byKind)"},
		{name: "CaseKeys", want: "K1(keyed) K2(keyed)"},
		{name: "CaseVar", want: "Single(single)"},
		{name: "CaseHelper", want: "HA(helper) Validate(helper) A(names) Validate(names)"},
		{name: "CaseOther", want: "Fast(Pick) Slow(Pick)"},
		{name: "CaseLocal", want: "L1 L2"},
		{name: "CaseVarLiteral", want: "V1 V2"},
		{name: "CaseMethod", want: "M(name)"},
		{name: "CaseConversion", want: "ValidateX"},
		{name: "CaseSprintf", dynamic: "it is the result of fmt.Sprintf, which is not declared in the module"},
		{name: "CaseConcat", dynamic: "it is built at run time"},
		{name: "CaseInput", dynamic: "in is declared at"},
		{name: "CaseAddress", dynamic: "in is set through its address at"},
		{name: "CaseReassigned", dynamic: "reassigned is assigned at"},
		{name: "CaseSorted", dynamic: "sorted is used as a whole value at"},
		{name: "CaseSliced", dynamic: "sliced is sliced at"},
		{name: "CasePassed", dynamic: "passed is used as a whole value at"},
		{name: "CasePointers", dynamic: "pointers holds pointers"},
		{name: "CaseUnset", dynamic: "does not set Activity"},
		{name: "CaseDynamicHelper", dynamic: `"Pre" + kind at`},
		{name: "CaseParam", dynamic: "name is a parameter of param"},
		{name: "CaseEnv", dynamic: "os.Getenv"},
		{name: "CaseInterface", dynamic: "interface method"},
		{name: "CaseLocalAssigned", dynamic: "ctx is a parameter of CaseLocalAssigned"},
	} {
		got, ok := targets[tt.name]
		if !ok {
			t.Errorf("%s: no durable call found", tt.name)
			continue
		}
		if tt.dynamic != "" {
			if !strings.Contains(got.Dynamic, tt.dynamic) || got.Names != nil {
				t.Errorf("%s: dynamic %q, names %v; want dynamic with %q", tt.name, got.Dynamic, got.Names, tt.dynamic)
			}
			continue
		}
		var names []string
		for _, n := range got.Names {
			s := n.Name
			if n.Via != "" {
				s += "(" + n.Via + ")"
			}
			names = append(names, s)
		}
		if strings.Join(names, " ") != tt.want || got.Dynamic != "" {
			t.Errorf("%s: names %q (dynamic %q), want %q", tt.name, strings.Join(names, " "), got.Dynamic, tt.want)
		}
	}
}
