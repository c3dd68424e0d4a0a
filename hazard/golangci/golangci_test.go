package golangci

import (
	"testing"

	"github.com/dfversion/dfversion/hazard/analyzer"
	"github.com/golangci/plugin-module-register/register"
)

// TestPlugin checks what golangci-lint asks of a module plugin: the linter
// is registered under its name, builds the dfversion analyzer on
// type-checked code, and refuses settings it does not know.
func TestPlugin(t *testing.T) {
	newPlugin, err := register.GetPlugin("dfversion")
	if err != nil {
		t.Fatal(err)
	}
	for _, conf := range []any{nil, map[string]any{}} {
		p, err := newPlugin(conf)
		if err != nil {
			t.Fatalf("settings %v: %v", conf, err)
		}
		as, err := p.BuildAnalyzers()
		if err != nil || len(as) != 1 || as[0] != analyzer.Analyzer {
			t.Errorf("analyzers %v, %v; want the dfversion analyzer", as, err)
		}
		if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
			t.Errorf("load mode %q, want %q", mode, register.LoadModeTypesInfo)
		}
	}
	if _, err := newPlugin(map[string]any{"strict": true}); err == nil {
		t.Errorf("an unknown setting was accepted")
	}
}
