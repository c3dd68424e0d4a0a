package analyzer_test

import (
	"path/filepath"
	"testing"

	"github.com/dfversion/dfversion/hazard/analyzer"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestAnalyzer runs the analyzer on the module in testdata/app, built
// against the stand-in durable SDK of testdata/sdk: the // want comments
// there are the diagnostics and facts it must give, and it must give no
// others.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, filepath.Join("testdata", "app"), analyzer.Analyzer, "./...")
}
