package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/check"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/plan"
)

func lockCommand() *cli.Command {
	return &cli.Command{
		Name:  "lock",
		Usage: "record the app's durable function versions as released in dfversion.lock",
		Description: "lock records every orchestrator, activity and entity version of the app as released, with\n" +
			"its fingerprints, in dfversion.lock at the app root: run it when you adopt dfversion and\n" +
			"after each release. From then on 'dfversion check' fails when a released version changes\n" +
			"in a way that breaks instances in flight. Entries are never deleted; an entry whose code\n" +
			"changed since it was locked is refused unless named with --rewrite.\n\n" +
			"lock needs complete type information: when a package the handlers need does not\n" +
			"type-check, it names the first error and exits 2, writing nothing.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "rewrite", Usage: "record function `NAME`'s current code even though its lock entry differs; repeatable"},
			&cli.BoolFlag{Name: "dry-run", Usage: "write nothing; print the change to dfversion.lock as a diff"},
		},
		Action: runLock,
	}
}

func runLock(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	p, err := loadProject(c)
	if err != nil {
		return err
	}
	versions, err := check.Versions(p)
	if err != nil {
		return err
	}
	lockPath := p.App.Path(manifest.LockFile)
	lock, exists, err := manifest.ReadLock(lockPath)
	if err != nil {
		return err
	}
	newLock, added, rewritten, upgraded, sliced, err := check.Record(lock, versions, c.StringSlice("rewrite"))
	if err != nil {
		return fmt.Errorf("%s: %w", lockPath, err)
	}
	pl := plan.New(p.App.Root)
	if exists {
		old, readErr := os.ReadFile(lockPath)
		if readErr != nil {
			return fmt.Errorf("reading the lock file: %w", readErr)
		}
		err = pl.Update(manifest.LockFile, old, newLock.MarshalLike(old))
	} else {
		err = pl.Create(manifest.LockFile, newLock.Marshal())
	}
	if err != nil {
		return err
	}
	w := c.App.Writer
	if c.Bool("dry-run") {
		_, err := w.Write(pl.Diff())
		return err
	}
	if err := applyPlan(pl); err != nil {
		return err
	}
	switch {
	case len(added) == 0 && len(rewritten) == 0 && len(upgraded) == 0 && len(sliced) == 0 && !exists:
		fmt.Fprintf(w, "Created %s; the app has no orchestrators, activities or entities to record yet.\n", lockPath)
	case len(added) == 0 && len(rewritten) == 0 && len(upgraded) == 0 && len(sliced) == 0:
		fmt.Fprintf(w, "%s already records all %d released versions.\n", lockPath, len(versions))
	default:
		n := len(added) + len(rewritten) + len(upgraded) + len(sliced)
		fmt.Fprintf(w, "Recorded %d released %s in %s:\n", n, pluralWord(n, "version"), lockPath)
		for _, name := range added {
			fmt.Fprintf(w, "  %s\n", name)
		}
		for _, name := range rewritten {
			fmt.Fprintf(w, "  %s (rewritten)\n", name)
		}
		for _, name := range upgraded {
			fmt.Fprintf(w, "  %s (upgraded: now records the writers, inits, interface methods and func values it reaches)\n", name)
		}
		for _, name := range sliced {
			fmt.Fprintf(w, "  %s (upgraded: now records its durable slice, so replay-safe edits pass check)\n", name)
		}
	}
	return nil
}
