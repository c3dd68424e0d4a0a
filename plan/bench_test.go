package plan

import (
	"fmt"
	"testing"
)

// BenchmarkApply applies a 500-file plan: 250 updates of existing files and
// 250 new files in new directories; every other iteration applies the
// reverse plan (250 updates back and 250 deletions), so that each
// iteration starts from the tree the previous one left.
func BenchmarkApply(b *testing.B) {
	dir := b.TempDir()
	old := map[string]string{}
	for i := range 250 {
		old[fmt.Sprintf("Func%02d/handler%03d.go", i%10, i)] = fmt.Sprintf("package f\n\n// V1 %d\nfunc H%d() {}\n", i, i)
	}
	writeFiles(b, dir, old)
	forward := New(dir)
	for path, content := range old {
		if err := forward.Update(path, []byte(content), []byte(content+"\nfunc V2() {}\n")); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 250 {
		path := fmt.Sprintf("Func%02dV2/sub/handler%03d.go", i%10, i)
		if err := forward.Create(path, []byte(fmt.Sprintf("package v2\n\n// %d\n", i))); err != nil {
			b.Fatal(err)
		}
	}
	if err := forward.Apply(OS()); err != nil {
		b.Fatal(err)
	}
	backward := New(dir)
	for _, c := range forward.Changes {
		var err error
		if c.Old == nil {
			err = backward.Delete(c.Path, c.New)
		} else {
			err = backward.Update(c.Path, c.New, c.Old)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := backward.Apply(OS()); err != nil {
		b.Fatal(err)
	}
	plans := [2]*Plan{forward, backward}
	for i := 0; b.Loop(); i++ {
		if err := plans[i%2].Apply(OS()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/500, "µs/file")
}
