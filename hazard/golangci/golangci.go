// Package golangci is dfversion's determinism analyzer as a golangci-lint
// module plugin: importing it registers the linter "dfversion" with
// github.com/golangci/plugin-module-register.
//
// Build a golangci-lint that holds it with `golangci-lint custom`, from a
// .custom-gcl.yml such as
//
//	version: v2.5.0 # the golangci-lint release to build
//	plugins:
//	  - module: github.com/dfversion/dfversion
//	    import: github.com/dfversion/dfversion/hazard/golangci
//	    version: v1.2.3 # a dfversion release
//
// and enable it in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable:
//	    - dfversion
//	  settings:
//	    custom:
//	      dfversion:
//	        type: module
//	        description: determinism hazards in code a durable orchestrator reaches
//
// The linter has no settings.
package golangci

import (
	"github.com/dfversion/dfversion/hazard/analyzer"
	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
)

// Name is the linter's name in golangci-lint's configuration.
const Name = "dfversion"

func init() {
	register.Plugin(Name, New)
}

// Settings are the linter's settings in .golangci.yml: none yet, so that
// any is refused rather than ignored.
type Settings struct{}

// Plugin is the linter: the dfversion analyzer, on type-checked code.
type Plugin struct{}

// New returns the linter, refusing settings it does not know.
func New(conf any) (register.LinterPlugin, error) {
	if _, err := register.DecodeSettings[Settings](conf); err != nil {
		return nil, err
	}
	return Plugin{}, nil
}

// BuildAnalyzers returns the dfversion analyzer.
func (Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{analyzer.Analyzer}, nil
}

// GetLoadMode asks for type information: orchestrators, callees and facts
// are known by their types.
func (Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
