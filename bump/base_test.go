package bump

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/plan"
	"github.com/dfversion/dfversion/project"
)

// gitIn runs git in dir with a fixed identity and no user configuration.
func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// bumpOnDisk plans a bump of the app at root and writes it.
func bumpOnDisk(t *testing.T, root string) {
	t.Helper()
	p, err := project.Load(project.Options{AppDir: root})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Plan(p, Options{Restore: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Plan.Apply(plan.OS()); err != nil {
		t.Fatal(err)
	}
}

// TestPlanFromVersionNotAtBase checks which versions bump refuses to move
// on from, in a git repository, and that none missing at the base is
// locked.
func TestPlanFromVersionNotAtBase(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	load := func(root string) *project.Project {
		t.Helper()
		p, err := project.Load(project.Options{AppDir: root})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("part of version N not committed", func(t *testing.T) {
		p := sampleApp(t, "hellocities", "apps/hellocities")
		repo := filepath.Dir(filepath.Dir(p.App.Root))
		gitIn(t, repo, "init", "-q")
		gitIn(t, repo, "add", "-A")
		gitIn(t, repo, "commit", "-q", "-m", "v1")
		bumpOnDisk(t, p.App.Root)
		// Commit all of version 2 but the activity's folder.
		gitIn(t, repo, "add", "-A")
		gitIn(t, repo, "rm", "-q", "-r", "--cached", "apps/hellocities/SayHello_v2")
		gitIn(t, repo, "commit", "-q", "-m", "v2 without SayHello_v2")
		_, err := Plan(load(p.App.Root), Options{Restore: true})
		want := "SayHello_v2 is not committed yet, so no instance can run it: edit it instead of bumping again, or pass --force"
		if err == nil || err.Error() != want {
			t.Fatalf("Plan: %v, want %q", err, want)
		}
		res, err := Plan(load(p.App.Root), Options{Restore: true, Force: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(res.Locked, " "); got != "HelloCities_v2" {
			t.Errorf("locked %q, want HelloCities_v2 only (SayHello_v2 is not at HEAD)", got)
		}
	})

	t.Run("app never committed", func(t *testing.T) {
		p := sampleApp(t, "hellocities", "apps/hellocities")
		repo := filepath.Dir(filepath.Dir(p.App.Root))
		gitIn(t, repo, "init", "-q")
		gitIn(t, repo, "add", "sdk")
		gitIn(t, repo, "commit", "-q", "-m", "the SDK only")
		_, err := Plan(load(p.App.Root), Options{Restore: true})
		want := "HelloCities is not committed yet, so no instance can run it: edit it instead of bumping, or pass --force"
		if err == nil || err.Error() != want {
			t.Fatalf("Plan: %v, want %q", err, want)
		}
		res, err := Plan(load(p.App.Root), Options{Force: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Locked) != 0 || len(res.Warnings) != 0 {
			t.Errorf("forced bump of an uncommitted app: locked %v, warnings %v; want none", res.Locked, res.Warnings)
		}
	})
}
