package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/project"
)

func listCommand() *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "show the app's functions, their kinds, versions and Go handlers, and the pointer settings",
		Description: "list reads the app and prints a table of its functions (kind, version, and the file:line\n" +
			"of the Go handler that serves each), the app's version (the highest version among its\n" +
			"orchestrators and activities), and the pointer settings: the app settings a client reads\n" +
			"to choose the orchestrator new instances start on. --app ./... lists every app below the\n" +
			"current folder (every folder with a host.json).",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the app model as JSON (files relative to the app root); with an --app pattern (./...), an array of them, each with its \"app\""},
		},
		Action: runList,
	}
}

func runList(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	apps, err := expandApps(projectOptions(c))
	if err != nil {
		return err
	}
	w := c.App.Writer
	pattern := isPattern(projectOptions(c).AppDir)
	var views []appListView
	for i, opts := range apps {
		p, err := loadProjectWith(c, opts)
		if err != nil {
			return err
		}
		view := newListView(p)
		switch {
		case c.Bool("json") && pattern:
			views = append(views, appListView{App: filepath.ToSlash(opts.AppDir), listView: view})
		case c.Bool("json"):
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(view)
		default:
			if pattern {
				if i > 0 {
					fmt.Fprintln(w)
				}
				fmt.Fprintf(w, "== %s\n", opts.AppDir)
			}
			if err := view.writeText(w); err != nil {
				return err
			}
		}
	}
	if c.Bool("json") {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(views)
	}
	return nil
}

// appListView is one app of list --json with an --app pattern: the app's
// folder, then its model.
type appListView struct {
	App string `json:"app"`
	listView
}

// listView is what list prints, in the shape of its JSON output.
type listView struct {
	Version   int            `json:"version"`
	Functions []functionView `json:"functions"`
	Pointers  []pointerView  `json:"pointers"`
}

type functionView struct {
	Name           string       `json:"name"`
	Base           string       `json:"base"`
	Version        int          `json:"version"`
	Kind           string       `json:"kind"`
	RegisteredName string       `json:"registeredName"`
	Handler        handlerView  `json:"handler"`
	Registration   positionView `json:"registration"`
}

type handlerView struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Name is the Go name ("HelloCities", "(*Approvals).Approve"), or
	// "func literal".
	Name string `json:"name"`
}

type positionView struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

type pointerView struct {
	Setting string `json:"setting"`
	File    string `json:"file"`
	Value   string `json:"value"`
	// Form is "name" for a full orchestrator name, "version" for a bare
	// version.
	Form string `json:"form"`
	Line int    `json:"line"`
}

func newListView(p *project.Project) listView {
	v := listView{Version: p.App.Version(), Functions: []functionView{}, Pointers: []pointerView{}}
	for _, f := range p.App.Functions {
		r := p.Discovery.Registrations[f.Name]
		h := r.Handler
		v.Functions = append(v.Functions, functionView{
			Name:           f.Name,
			Base:           f.Base,
			Version:        f.Version,
			Kind:           string(f.Kind),
			RegisteredName: f.RegisteredName,
			Handler:        handlerView{File: p.RelPos(h.Pos), Line: h.Pos.Line, Column: h.Pos.Column, Name: h.Describe()},
			Registration:   positionView{File: p.RelPos(r.Pos), Line: r.Pos.Line, Column: r.Pos.Column},
		})
	}
	for _, ptr := range p.Pointers {
		v.Pointers = append(v.Pointers, pointerView{
			Setting: ptr.Setting,
			File:    p.Rel(ptr.File.Path),
			Value:   ptr.Value,
			Form:    string(ptr.Form),
			Line:    ptr.Line,
		})
	}
	sort.Slice(v.Pointers, func(i, j int) bool {
		a, b := v.Pointers[i], v.Pointers[j]
		return a.Setting < b.Setting || a.Setting == b.Setting && a.File < b.File
	})
	return v
}

func (v listView) writeText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FUNCTION\tKIND\tVERSION\tHANDLER")
	for _, f := range v.Functions {
		version := "-"
		if manifest.Kind(f.Kind).Versioned() {
			version = fmt.Sprint(f.Version)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s:%d %s\n", f.Name, f.Kind, version, f.Handler.File, f.Handler.Line, f.Handler.Name)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if v.Version == 0 {
		fmt.Fprintln(w, "App version: none (no orchestrators or activities)")
	} else {
		fmt.Fprintf(w, "App version: %d\n", v.Version)
	}
	fmt.Fprintln(w)
	if len(v.Pointers) == 0 {
		fmt.Fprintln(w, "No pointer settings found.")
		return nil
	}
	fmt.Fprintln(tw, "POINTER\tFILE\tVALUE")
	for _, p := range v.Pointers {
		fmt.Fprintf(tw, "%s\t%s:%d\t%s\n", p.Setting, p.File, p.Line, p.Value)
	}
	return tw.Flush()
}
