package main

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/dfversion/dfversion/internal/appgen"
)

// TestInterruptLeavesTreeWhole interrupts real bumps (SIGINT) at random
// moments and checks that each time the app is either exactly as before or
// exactly as a complete bump leaves it, never in between.
func TestInterruptLeavesTreeWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("runs several bumps")
	}
	bin, err := exec.LookPath("dfversion") // testscript.Main puts this test binary there
	if err != nil {
		t.Skip("no dfversion command on PATH")
	}
	spec := appgen.Spec{Orchestrators: 60, Activities: 60, ActivitiesPerOrchestrator: 3}
	fresh := func() string {
		dir := t.TempDir()
		if err := appgen.Write(dir, spec); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	bump := func(dir string) *exec.Cmd {
		cmd := exec.Command(bin, "--app", dir, "bump")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
		return cmd
	}
	// What a whole bump leaves, and how long it takes.
	ref := fresh()
	before := treeOf(t, ref)
	start := time.Now()
	if out, err := bump(ref).CombinedOutput(); err != nil {
		t.Fatalf("bump: %v\n%s", err, out)
	}
	took := time.Since(start)
	after := treeOf(t, ref)
	if equalTrees(before, after) {
		t.Fatal("the reference bump changed nothing")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	outcomes := map[string]int{}
	for i := range 8 {
		dir := fresh()
		cmd := bump(dir)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			// Anywhere from the start to just past the end of a whole bump.
			time.Sleep(time.Duration(rng.Int64N(int64(took + took/4))))
		} else {
			// In the middle of the write: once its first new folder
			// shows, a few milliseconds in.
			first := filepath.Join(dir, "Activity000_v2")
			for deadline := time.Now().Add(2 * took); time.Now().Before(deadline); time.Sleep(200 * time.Microsecond) {
				if _, err := os.Stat(first); err == nil {
					break
				}
			}
			time.Sleep(time.Duration(rng.Int64N(int64(5 * time.Millisecond))))
		}
		_ = cmd.Process.Signal(syscall.SIGINT)
		_ = cmd.Wait()
		got := treeOf(t, dir)
		switch {
		case equalTrees(got, before):
			outcomes["old"]++
		case equalTrees(got, after):
			outcomes["new"]++
		default:
			t.Fatalf("interrupt %d left the tree half-written; dfversion said:\n%s", i, out.String())
		}
	}
	t.Logf("outcomes after interrupts at random moments of a %v bump: %v", took, outcomes)
}

// treeOf maps every file under dir (relative, slash-separated) to its
// content; directories map to "dir".
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			tree[filepath.ToSlash(rel)] = "dir"
			return nil
		}
		data, err := os.ReadFile(path)
		tree[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
