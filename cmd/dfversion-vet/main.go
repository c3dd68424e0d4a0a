// Command dfversion-vet runs dfversion's determinism analyzer under go vet:
// it reports time.Now, math/rand, goroutines, channels, map ranges,
// os.Getenv and I/O in code a durable orchestrator reaches, with the path
// that reaches them, as `dfversion check` does.
//
//	go install github.com/dfversion/dfversion/cmd/dfversion-vet@latest
//	go vet -vettool=$(which dfversion-vet) ./...
//
// It speaks go vet's protocol (golang.org/x/tools/go/analysis/unitchecker)
// and is not meant to be run by hand.
package main

import (
	"github.com/dfversion/dfversion/hazard/analyzer"
	"golang.org/x/tools/go/analysis/unitchecker"
)

func main() {
	unitchecker.Main(analyzer.Analyzer)
}
