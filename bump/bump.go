// Package bump plans a version bump of a function app: every orchestrator
// and activity at its latest version is copied under the next version's
// name (function folder, Go handler and registration), the copies are
// pointed at each other, and the pointer settings move to the new version.
// The result is a plan.Plan: nothing is written here.
package bump

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dfversion/dfversion/appsettings"
	"github.com/dfversion/dfversion/check"
	"github.com/dfversion/dfversion/durable"
	"github.com/dfversion/dfversion/goapp"
	"github.com/dfversion/dfversion/internal/gitx"
	"github.com/dfversion/dfversion/internal/jsonfile"
	"github.com/dfversion/dfversion/manifest"
	"github.com/dfversion/dfversion/plan"
	"github.com/dfversion/dfversion/project"
	"github.com/dfversion/dfversion/rewrite"
)

// Options tune a bump.
type Options struct {
	// Restore turns on the edit-then-bump flow: when the app is in a git
	// repository, a handler edited since BaseRef goes into the new version
	// and the old version gets its code at BaseRef back.
	Restore bool
	// BaseRef is the git revision edits are measured against (HEAD when
	// empty).
	BaseRef string
	// Root is the folder the plan's paths are relative to; the current
	// directory when empty.
	Root string
	// Force lets the bump move on from a version that does not exist at
	// BaseRef (one bumped to but never committed). Versions that do not
	// exist at BaseRef are never recorded as released, forced or not.
	Force bool
}

// Result is a planned bump and what it does, for the summary.
type Result struct {
	From, To int
	Plan     *plan.Plan
	// Cloned lists the functions copied, sorted by their new name.
	Cloned     []Cloned
	References []rewrite.Reference
	// Constants are the versioned string constants declared.
	Constants []string
	// Copies are the versioned copies of the tables and helpers that name
	// durable functions, as "new (from old)".
	Copies   []string
	Settings []SettingChange
	// Restored are the functions whose edits moved to the new version.
	Restored []string
	// EditCopies are the versioned copies of shared code edited since the
	// base revision (and of the code on the way to it): the new version
	// holds the edit, the original got its base content back.
	EditCopies []rewrite.EditCopy
	// Warnings are problems the bump did not fix, such as calls whose
	// targets it cannot resolve.
	Warnings []string
	// Locked are the versions recorded as released in dfversion.lock:
	// every durable function version the bump moves on from that the lock
	// did not have yet and that exists at the base revision (when there is
	// one).
	Locked []string
	// Reformatted are Go files that were not gofmt-clean, so that the
	// rewrite reformats them beyond the change.
	Reformatted []string
}

// Cloned is one function copied under the new version.
type Cloned struct {
	From, To string
	Kind     manifest.Kind
}

// SettingChange is one setting moved to the new version.
type SettingChange struct {
	File     string // relative to the plan's root
	Line     int
	Setting  string
	From, To string
}

// Plan plans the bump of p from its version N to N+1. An app without
// orchestrators or activities gives a Result with an empty plan and From
// 0.
func Plan(p *project.Project, opts Options) (*Result, error) {
	from := p.App.Version()
	res := &Result{From: from, To: from + 1}
	root := opts.Root
	if root == "" {
		var err error
		if root, err = p.PlanRoot(); err != nil {
			return nil, err
		}
	}
	res.Plan = plan.New(root)
	if from == 0 {
		res.To = 0
		return res, nil
	}
	b := &bumper{p: p, res: res, root: root, to: from + 1}
	if err := b.readBase(opts); err != nil {
		return nil, err
	}
	if err := b.checkFromCommitted(opts.Force); err != nil {
		return nil, err
	}
	if err := b.chooseClones(); err != nil {
		return nil, err
	}
	if err := b.cloneFolders(); err != nil {
		return nil, err
	}
	if err := b.cloneCode(opts); err != nil {
		return nil, err
	}
	if err := b.movePointers(); err != nil {
		return nil, err
	}
	if err := b.moveDefaultVersion(); err != nil {
		return nil, err
	}
	return res, nil
}

type bumper struct {
	p    *project.Project
	res  *Result
	root string
	to   int
	// clones are the functions to copy, one per base name.
	clones []rewrite.Clone
	// rename maps every name of every version of an orchestrator or
	// activity to the name of its new version.
	rename map[string]string
	// base is the revision the app is compared with; nil outside a git
	// repository or in one without commits.
	base *baseRevision
}

// baseRevision is what the bump knows of the app at the base revision.
type baseRevision struct {
	ref string
	// exists holds the names of the functions whose function.json is in
	// the tree at ref.
	exists map[string]bool
}

// readBase finds the base revision and which of the app's functions exist
// there. Without one (outside git, or no commits), it warns that edits
// cannot move to the new version, unless restoring is off.
func (b *bumper) readBase(opts Options) error {
	ref := opts.BaseRef
	if ref == "" {
		ref = "HEAD"
	}
	noBase := ""
	repo, err := gitx.Open(b.p.App.Root)
	switch {
	case errors.Is(err, gitx.ErrNotRepository):
		noBase = fmt.Sprintf("%s is not in a git repository", b.p.App.Root)
	case err != nil:
		return err
	default:
		if _, err := repo.Resolve(ref); err != nil {
			if ref != "HEAD" {
				return fmt.Errorf("--base: %w", err)
			}
			noBase = fmt.Sprintf("the git repository %s has no commits yet", repo.Root)
		}
	}
	if noBase != "" {
		if opts.Restore {
			b.res.Warnings = append(b.res.Warnings, fmt.Sprintf(
				"bump cannot move edits to the new version: there is no base revision to restore from (%s); commit the app first, or pass --no-restore to silence this",
				noBase))
		}
		return nil
	}
	paths := make([]string, 0, len(b.p.App.Functions))
	for _, f := range b.p.App.Functions {
		paths = append(paths, b.p.App.Path(f.ConfigPath))
	}
	found, err := repo.Exist(ref, paths)
	if err != nil {
		return fmt.Errorf("--base %s: %w", ref, err)
	}
	b.base = &baseRevision{ref: ref, exists: map[string]bool{}}
	for _, f := range b.p.App.Functions {
		if found[b.p.App.Path(f.ConfigPath)] {
			b.base.exists[f.Name] = true
		}
	}
	return nil
}

// checkFromCommitted refuses to move on from a version the base revision
// does not have: no instance can run it, so it needs no successor. The
// app's version N is missing there when none of its orchestrators and
// activities at version N exists there, or when one of them that
// continues an older version does not (part of it was never committed).
// A function new at version N (no older version of it) missing at the
// base is no reason to refuse: new functions are added that way.
func (b *bumper) checkFromCommitted(force bool) error {
	if b.base == nil || force {
		return nil
	}
	from := b.res.From
	older := map[string]bool{} // bases with a version older than N
	for _, f := range b.p.App.Functions {
		if f.Kind.Versioned() && f.Version < from {
			older[f.Base] = true
		}
	}
	var atN, missing []*manifest.Function
	versionExists := false
	for _, f := range b.p.App.Functions {
		if !f.Kind.Versioned() || f.Version != from {
			continue
		}
		atN = append(atN, f)
		switch {
		case b.base.exists[f.Name]:
			versionExists = true
		case older[f.Base]:
			missing = append(missing, f)
		}
	}
	if versionExists && len(missing) == 0 {
		return nil
	}
	if !versionExists {
		missing = atN
	}
	f := firstOrchestrator(missing)
	where := "is not committed yet"
	if b.base.ref != "HEAD" {
		where = fmt.Sprintf("does not exist at --base %s", b.base.ref)
	}
	instead := "bumping again"
	if from == 1 {
		instead = "bumping"
	}
	return fmt.Errorf("%s %s, so no instance can run it: edit it instead of %s, or pass --force", f.Name, where, instead)
}

// firstOrchestrator is the first orchestrator of fs by name, or the first
// function by name when none is an orchestrator.
func firstOrchestrator(fs []*manifest.Function) *manifest.Function {
	var first, firstOrch *manifest.Function
	for _, f := range fs {
		if first == nil || f.Name < first.Name {
			first = f
		}
		if f.Kind == manifest.Orchestrator && (firstOrch == nil || f.Name < firstOrch.Name) {
			firstOrch = f
		}
	}
	if firstOrch != nil {
		return firstOrch
	}
	return first
}

// chooseClones picks every orchestrator and activity at its latest
// version and names its copy.
func (b *bumper) chooseClones() error {
	latest := map[string]*manifest.Function{}
	for _, f := range b.p.App.Functions {
		if !f.Kind.Versioned() {
			continue
		}
		if cur, ok := latest[f.Base]; !ok || f.Version > cur.Version {
			latest[f.Base] = f
		}
	}
	bases := make([]string, 0, len(latest))
	for base := range latest {
		bases = append(bases, base)
	}
	sort.Strings(bases)
	newNames := map[string]rewrite.Clone{}
	// New names by their lower case (the host's names ignore case), with
	// the function each copies.
	type copyName struct{ from, name string }
	taken := map[string]copyName{}
	for _, base := range bases {
		f := latest[base]
		newName := manifest.VersionedName(base, b.to)
		newRegistered := newName
		if f.RegisteredName != f.Name {
			rb, _ := manifest.ParseName(f.RegisteredName)
			newRegistered = manifest.VersionedName(rb, b.to)
		}
		if problem := manifest.NameProblem(newName); problem != "" {
			advice := "rename the function first"
			if manifest.ValidName(f.Base) {
				advice = "shorten the base name" // only the version suffix made it too long
			}
			return fmt.Errorf("%s: cannot bump %s: its new name %s is not a valid function name: %s; %s", b.p.App.Path(f.ConfigPath), f.Name, newName, problem, advice)
		}
		if other := b.p.App.Function(newName); other != nil {
			return fmt.Errorf("%s: function %s already exists; a bump to version %d would create it", b.p.App.Path(other.ConfigPath), newName, b.to)
		}
		if _, err := os.Stat(b.p.App.Path(newName)); err == nil {
			return fmt.Errorf("%s already exists; a bump to version %d would make it a function folder: move it away first", b.p.App.Path(newName), b.to)
		}
		for _, n := range []string{newName, newRegistered} {
			if prev, ok := taken[strings.ToLower(n)]; ok && prev.from != f.Name {
				return fmt.Errorf("%s: cannot bump %s and %s: their copies %s and %s differ only in case, and the host's function names ignore case; rename one of them",
					b.p.App.Path(f.ConfigPath), prev.from, f.Name, prev.name, n)
			}
			taken[strings.ToLower(n)] = copyName{f.Name, n}
		}
		if other := b.p.App.Registered(newRegistered); other != nil {
			return fmt.Errorf("%s: function %s already registers the name %s, which the copy of %s would take; rename or remove that override", b.p.App.Path(other.ConfigPath), other.Name, newRegistered, f.Name)
		}
		cl := rewrite.Clone{
			Source:        f,
			Registration:  b.p.Discovery.Registrations[f.Name],
			NewName:       newName,
			NewRegistered: newRegistered,
		}
		b.clones = append(b.clones, cl)
		newNames[base] = cl
		b.res.Cloned = append(b.res.Cloned, Cloned{From: f.Name, To: newName, Kind: f.Kind})
	}
	b.rename = map[string]string{}
	for _, f := range b.p.App.Functions {
		if cl, ok := newNames[f.Base]; ok && f.Kind.Versioned() {
			b.rename[f.Name] = cl.NewName
			b.rename[f.RegisteredName] = cl.NewRegistered
		}
	}
	return nil
}

// cloneFolders plans each copy's function folder: function.json as it is,
// with an orchestration or activity name override moved to the new name.
func (b *bumper) cloneFolders() error {
	for _, cl := range b.clones {
		f := cl.Source
		config := f.Config
		if f.Override {
			var err error
			config, err = jsonfile.ReplaceString(f.Config, f.NameOffset, cl.NewRegistered)
			if err != nil {
				return fmt.Errorf("%s: renaming the registered name: %w", b.p.App.Path(f.ConfigPath), err)
			}
		}
		path := b.p.App.Path(cl.NewName + "/" + manifest.FunctionFile)
		if err := b.res.Plan.Create(b.rel(path), config); err != nil {
			return err
		}
	}
	return nil
}

// cloneCode plans the Go side: handlers and registrations copied, their
// references moved, clients' fallbacks pointed at the new orchestrators,
// and the result type-checked.
func (b *bumper) cloneCode(opts Options) error {
	spec := rewrite.CloneSpec{
		Version:       b.to,
		Clones:        b.clones,
		Rename:        b.rename,
		Registrations: b.p.Discovery.Registrations,
		ClientRename:  map[string]string{},
	}
	for _, f := range b.p.App.Functions {
		switch f.Kind {
		case manifest.Client:
			spec.Clients = append(spec.Clients, b.p.Discovery.Registrations[f.Name])
		case manifest.Orchestrator:
			spec.ClientRename[f.Name] = b.rename[f.Name]
			spec.ClientRename[f.RegisteredName] = b.rename[f.RegisteredName]
		}
	}
	var baseErrs func() error
	if opts.Restore {
		restore, show, errs, err := b.baseSources(opts.BaseRef)
		if err != nil {
			return err
		}
		spec.Restore, spec.Base, baseErrs = restore, show, errs
		spec.BaseRef = opts.BaseRef
	}
	out, err := rewrite.CloneFunctions(b.p.Module, spec)
	if baseErrs != nil && baseErrs() != nil {
		return baseErrs()
	}
	if err != nil {
		return err
	}
	rewritten, err := b.p.Module.TypeCheck(rewrite.NewContents(out.Files))
	if err != nil {
		return err
	}
	if err := b.recordReleased(rewritten); err != nil {
		return err
	}
	for _, fe := range out.Files {
		if err := b.res.Plan.Update(b.rel(fe.Path), fe.Old, fe.New); err != nil {
			return err
		}
		if fe.Reformatted {
			b.res.Reformatted = append(b.res.Reformatted, b.rel(fe.Path))
		}
	}
	var copied []string
	for _, cl := range b.clones {
		copied = append(copied, cl.Source.Name)
		if h := cl.Registration.Handler; h.GoName != "" && h.GoName != cl.Source.Name {
			copied = append(copied, h.GoName)
		}
	}
	for _, m := range rewrite.IgnoredMentions(b.p.Module, copied) {
		b.res.Warnings = append(b.res.Warnings, fmt.Sprintf(
			"%s is left out of this build (build constraints) and mentions %s, which the bump copied: copy what it holds for them to the new version by hand",
			b.rel(m.File), strings.Join(m.Names, ", ")))
	}
	b.res.References = out.References
	for i := range b.res.References {
		b.res.References[i].Pos.Filename = b.rel(b.res.References[i].Pos.Filename)
	}
	b.res.Constants = out.Constants
	b.res.Copies = out.Copies
	b.res.EditCopies = out.EditCopies
	for _, d := range out.Dynamic {
		b.res.Warnings = append(b.res.Warnings, fmt.Sprintf(
			"%s:%d:%d: %s calls the %s named by %s, which bump cannot resolve to a fixed set of names, so it is left as it is and may still call an old version: name it with a constant or a package-level table of constants, or check it by hand",
			b.rel(d.Pos.Filename), d.Pos.Line, d.Pos.Column, d.In, kindNoun(d.Kind), d.Expr))
	}
	b.res.Restored = out.Restored
	return nil
}

// recordReleased adds to dfversion.lock every durable function version
// that exists before the bump and that the lock does not have yet, with
// its fingerprints as the bump leaves it (an edited handler has its base
// revision's code back). Entries already in the lock are never rewritten.
// In a git repository, a version whose function.json is not at the base
// revision was never released, so it is left out.
func (b *bumper) recordReleased(rewritten *goapp.Module) error {
	lockPath := b.p.App.Path(manifest.LockFile)
	lock, exists, err := manifest.ReadLock(lockPath)
	if err != nil {
		return err
	}
	byKey := map[string]string{}
	for _, f := range b.p.App.Functions {
		if h := b.p.Handler(f.Name); h != nil && h.Func != nil {
			byKey[b.p.Module.DeclKey(h.Func)] = f.RegisteredName
		}
	}
	names := durable.NamesByKey(rewritten, byKey)
	// The durable slices of both loads, analysed once each, when needed.
	var newSlices, oldSlices *durable.Analysis
	var oldNames durable.FunctionNames
	var funcs []*manifest.Function
	var jobs []durable.FingerprintJob
	for _, f := range b.p.App.Functions {
		h := b.p.Handler(f.Name)
		if _, ok := lock.Functions[f.Name]; ok || !check.Locked(f.Kind) || h == nil {
			continue
		}
		if b.base != nil && !b.base.exists[f.Name] {
			continue
		}
		// A handler is fingerprinted as the bump leaves it: its
		// counterpart in the rewritten module, or (a func literal) as it
		// is.
		job := durable.FingerprintJob{Module: rewritten, Handler: rewritten.Counterpart(b.p.Module, h), Names: names, Literal: f.Name + " (func literal)"}
		if job.Handler == nil {
			if oldNames == nil {
				oldNames = check.FunctionNames(b.p)
			}
			job.Module, job.Handler, job.Names = b.p.Module, h, oldNames
		}
		funcs, jobs = append(funcs, f), append(jobs, job)
	}
	prints, err := durable.FingerprintAll(jobs)
	if err != nil {
		return err
	}
	for i, f := range funcs {
		job, fp := jobs[i], prints[i]
		var slice map[string]string
		var sites map[string][]durable.Site
		if f.Kind == manifest.Orchestrator {
			if job.Module == rewritten {
				if newSlices == nil {
					newSlices = check.Slices(rewritten, b.counterparts(rewritten))
				}
				slice, sites = newSlices.Slice(job.Handler, fp.Code, job.Literal)
			} else {
				if oldSlices == nil {
					oldSlices = check.Slices(b.p.Module, b.orchestrators())
				}
				slice, sites = oldSlices.Slice(job.Handler, fp.Code, job.Literal)
			}
		}
		lock.Functions[f.Name] = check.EntryOf(f, fp, slice, sites)
		b.res.Locked = append(b.res.Locked, f.Name)
	}
	if len(b.res.Locked) == 0 {
		return nil
	}
	sort.Strings(b.res.Locked)
	if !exists {
		return b.res.Plan.Create(b.rel(lockPath), lock.Marshal())
	}
	old, err := os.ReadFile(lockPath)
	if err != nil {
		return fmt.Errorf("reading the lock file: %w", err)
	}
	return b.res.Plan.Update(b.rel(lockPath), old, lock.MarshalLike(old))
}

// baseSources reads, at the base revision, the file of every cloned
// handler, and returns a reader of any file there, for the copies of
// edited shared code (nil outside a git repository or before the first
// commit: there is nothing to compare with). errs reports the first error
// the reader met, once the clone is done.
func (b *bumper) baseSources(ref string) (out map[string][]byte, show func(string) []byte, errs func() error, err error) {
	if ref == "" {
		ref = "HEAD"
	}
	repo, err := gitx.Open(b.p.Module.Dir)
	if errors.Is(err, gitx.ErrNotRepository) {
		return nil, nil, nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := repo.Resolve(ref); err != nil {
		if ref == "HEAD" {
			return nil, nil, nil, nil // a repository without commits: nothing to restore
		}
		return nil, nil, nil, fmt.Errorf("--base: %w", err)
	}
	byFile := map[string][]byte{}
	var showErr error
	show = func(file string) []byte {
		content, seen := byFile[file]
		if !seen {
			var ok bool
			var err error
			content, ok, err = repo.Show(ref, file)
			if err != nil && showErr == nil {
				showErr = err
			}
			if !ok {
				content = nil
			}
			byFile[file] = content
		}
		return content
	}
	out = map[string][]byte{}
	for _, cl := range b.clones {
		h := cl.Registration.Handler
		if h.Decl == nil {
			continue
		}
		if content := show(h.Pos.Filename); content != nil {
			out[cl.Source.Name] = content
		}
	}
	return out, show, func() error { return showErr }, showErr
}

// movePointers moves every pointer setting to the new version, in the
// form it has.
func (b *bumper) movePointers() error {
	byFile := map[*appsettings.File][]appsettings.Pointer{}
	var files []*appsettings.File
	for _, ptr := range b.p.Pointers {
		if _, ok := byFile[ptr.File]; !ok {
			files = append(files, ptr.File)
		}
		byFile[ptr.File] = append(byFile[ptr.File], ptr)
	}
	for _, file := range files {
		data := file.Data
		for _, ptr := range byFile[file] {
			value := b.pointerValue(ptr)
			if value == ptr.Value {
				continue
			}
			current, err := appsettings.Parse(file.Path, data)
			if err != nil {
				return err
			}
			if data, err = current.Set(ptr.Setting, value); err != nil {
				return fmt.Errorf("%s: moving %s: %w", file.Path, ptr.Setting, err)
			}
			b.res.Settings = append(b.res.Settings, SettingChange{
				File: b.rel(file.Path), Line: ptr.Line, Setting: ptr.Setting, From: ptr.Value, To: value,
			})
		}
		if err := b.res.Plan.Update(b.rel(file.Path), file.Data, data); err != nil {
			return err
		}
	}
	return nil
}

// pointerValue is a pointer's value at the new version.
func (b *bumper) pointerValue(ptr appsettings.Pointer) string {
	if ptr.Form == appsettings.BareVersion {
		if ptr.BareV {
			return "v" + strconv.Itoa(b.to)
		}
		return strconv.Itoa(b.to)
	}
	if to, ok := b.rename[ptr.Value]; ok {
		return to
	}
	return manifest.VersionedName(ptr.Base, b.to)
}

// moveDefaultVersion sets host.json's extensions.durableTask.defaultVersion
// to the new version, keeping its form ("2" -> "3", "v2" -> "v3", "2.0" ->
// "3.0").
func (b *bumper) moveDefaultVersion() error {
	host := b.p.App.Host
	dt := host.DurableTask
	if !dt.HasDefaultVersion {
		return nil
	}
	value := versionLike(dt.DefaultVersion, b.to)
	if value == dt.DefaultVersion {
		return nil
	}
	data, err := jsonfile.ReplaceString(host.Data, dt.DefaultVersionOffset, value)
	if err != nil {
		return fmt.Errorf("%s: setting defaultVersion: %w", host.Path, err)
	}
	line, _ := jsonfile.Position(host.Data, dt.DefaultVersionOffset)
	b.res.Settings = append(b.res.Settings, SettingChange{
		File: b.rel(host.Path), Line: line, Setting: "extensions.durableTask.defaultVersion", From: dt.DefaultVersion, To: value,
	})
	return b.res.Plan.Update(b.rel(host.Path), host.Data, data)
}

// versionLike writes version v in the form of old: "v2" -> "v3", "2.0" ->
// "3.0", "2.0.0" -> "3.0.0", anything else -> "3".
func versionLike(old string, v int) string {
	n := strconv.Itoa(v)
	switch {
	case strings.HasPrefix(old, "v") || strings.HasPrefix(old, "V"):
		return old[:1] + n
	case strings.Count(old, ".") > 0:
		return n + strings.Repeat(".0", strings.Count(old, "."))
	}
	return n
}

// rel expresses a path relative to the plan's root, slash-separated.
func (b *bumper) rel(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	rel, err := filepath.Rel(b.root, abs)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// orchestrators lists the handlers of the app's orchestrators.
func (b *bumper) orchestrators() []*goapp.Handler {
	var out []*goapp.Handler
	for _, f := range b.p.App.Functions {
		if h := b.p.Handler(f.Name); h != nil && f.Kind == manifest.Orchestrator {
			out = append(out, h)
		}
	}
	return out
}

// counterparts lists the handlers of the app's orchestrators in the
// rewritten module.
func (b *bumper) counterparts(rewritten *goapp.Module) []*goapp.Handler {
	var out []*goapp.Handler
	for _, h := range b.orchestrators() {
		if nh := rewritten.Counterpart(b.p.Module, h); nh != nil {
			out = append(out, nh)
		}
	}
	return out
}

// kindNoun names a kind of durable call.
func kindNoun(kind string) string {
	if kind == "suborchestration" {
		return "sub-orchestration"
	}
	return kind
}
