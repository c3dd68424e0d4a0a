package manifest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/dfversion/dfversion/internal/fuzzclock"
	"github.com/dfversion/dfversion/internal/jsonfile"
	"github.com/dfversion/dfversion/manifest"
)

// jsonSeeds adds every file called name below the sample apps to f's seed
// corpus, with extra.
func jsonSeeds(f *testing.F, name string, extra []string, add func(data []byte)) {
	f.Helper()
	files, err := filepath.Glob("../testdata/apps/*/" + name)
	if err != nil {
		f.Fatal(err)
	}
	more, _ := filepath.Glob("../testdata/apps/*/*/" + name)
	files = append(files, more...)
	if len(files) == 0 {
		f.Fatalf("no %s in the sample apps", name)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		add(data)
	}
	for _, s := range extra {
		add([]byte(s))
	}
}

// stringAt decodes the JSON string that starts at offset in data.
func stringAt(data []byte, offset int) (string, bool) {
	if offset < 0 || offset >= len(data) || data[offset] != '"' {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader(jsonfile.Clean(data)[offset:]))
	var s string
	if err := dec.Decode(&s); err != nil {
		return "", false
	}
	return s, true
}

var functionSeeds = []string{
	`{"bindings": [{"name": "context", "type": "orchestrationTrigger", "direction": "in", "orchestration": "Other"}]}`,
	`{"bindings": [{"name": "input", "type": "activityTrigger", "direction": "in", "activity": "Act"}]}`,
	`{"bindings": [{"name": "input", "type": "activityTrigger", "direction": "in", "orchestration": "X"}]}`,
	`{"bindings": [{"name": "ctx", "type": "entityTrigger", "direction": "in"}]}`,
	"\uFEFF{\r\n  // the trigger\r\n  \"bindings\": [\r\n    {\"name\": \"input\", \"type\": \"activityTrigger\", \"direction\": \"in\", /* x */ \"activity\": \"A\\\"b\",},\r\n  ],\r\n}\r\n",
	`{"bindings": [{"type": "httpTrigger", "route": "orders/{id}"}, {"type": "http", "direction": "out"}, {"type": "durableClient", "direction": "in"}]}`,
	`{"bindings": [{"type": "orchestrationClient", "direction": "out"}]}`,
	`{"disabled": true, "bindings": [{"type": "timerTrigger", "schedule": "0 0 * * * *"}], "scriptFile": "x"}`,
	`{"bindings": []}`,
	`{"bindings": [{"name": "x"}]}`,
	`{}`,
	``,
}

// FuzzParseFunction checks that ParseFunction never panics, refuses with
// a *jsonfile.Error, and that what it accepts is consistent: the name
// splits into base and version, every binding has a type and an offset at
// its object, and the registered-name override sits at NameOffset, where
// renaming it as bump does (jsonfile.ReplaceString) gives a function.json
// that parses to the new registered name with nothing else changed.
func FuzzParseFunction(f *testing.F) {
	names := []string{"SayHello", "Fn_v2", "Fn_v0", "Fn_v01", "_v3", "A_v1", "Ingest_v12"}
	i := 0
	jsonSeeds(f, manifest.FunctionFile, functionSeeds, func(data []byte) {
		f.Add(names[i%len(names)], data)
		i++
	})
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		defer fuzzclock.Start(t, name, data)()
		fn, err := manifest.ParseFunction(name, "F/function.json", data)
		if err != nil {
			var jerr *jsonfile.Error
			if !errors.As(err, &jerr) {
				t.Fatalf("error %v is %T, not *jsonfile.Error", err, err)
			}
			return
		}
		if fn.Name != name || !bytes.Equal(fn.Config, data) || fn.ConfigPath != path.Join(name, manifest.FunctionFile) {
			t.Fatalf("name %q config path %q", fn.Name, fn.ConfigPath)
		}
		switch {
		case fn.Version < 1:
			t.Fatalf("%q is version %d", name, fn.Version)
		case fn.Version == 1 && fn.Base != name && fn.Base+"_v1" != name:
			t.Fatalf("%q is version 1 of %q", name, fn.Base)
		case fn.Version > 1 && fn.Base+"_v"+strconv.Itoa(fn.Version) != name:
			t.Fatalf("%q is version %d of %q", name, fn.Version, fn.Base)
		}
		if len(fn.Bindings) == 0 {
			t.Fatal("accepted without bindings")
		}
		for i, b := range fn.Bindings {
			if b.Type == "" {
				t.Fatalf("binding %d has no type", i)
			}
			if b.Offset < 0 || b.Offset >= len(data) || data[b.Offset] != '{' {
				t.Errorf("binding %d (%s): offset %d is not at its object in\n%q", i, b.Type, b.Offset, data)
			}
		}
		if fn.RegisteredName == fn.Name {
			return
		}
		// An override: bump renames it in place.
		if s, ok := stringAt(data, fn.NameOffset); !ok || s != fn.RegisteredName {
			t.Fatalf("registered name %q, but NameOffset %d holds %q (ok %v) in\n%q", fn.RegisteredName, fn.NameOffset, s, ok, data)
		}
		renamed, err := jsonfile.ReplaceString(data, fn.NameOffset, "Renamed_v9")
		if err != nil {
			t.Fatalf("renaming the override: %v", err)
		}
		again, err := manifest.ParseFunction(name, "F/function.json", renamed)
		if err != nil {
			t.Fatalf("the renamed function.json does not parse: %v\n%q", err, renamed)
		}
		if again.RegisteredName != "Renamed_v9" || again.Kind != fn.Kind || len(again.Bindings) != len(fn.Bindings) {
			t.Fatalf("renamed: registered %q kind %s, %d bindings; want Renamed_v9, %s, %d\n%q", again.RegisteredName, again.Kind, len(again.Bindings), fn.Kind, len(fn.Bindings), renamed)
		}
	})
}

var hostSeeds = []string{
	`{"version": "2.0"}`,
	`{"version": "2.0", "extensions": {"durableTask": {"hubName": "H", "defaultVersion": "v2"}}}`,
	`{"version": "2.0", "extensions": {"durableTask": {"defaultVersion": ""}, "http": {"routePrefix": ""}}}`,
	"{\n  \"version\": \"2.0\",\n  // comments are fine\n  \"customHandler\": {\n    \"description\": {\"defaultExecutablePath\": \"app\", \"workingDirectory\": \"bin\", \"arguments\": [\"-v\"]},\n    \"enableProxyingHttpRequest\": true,\n  },\n  \"extensions\": {\"durableTask\": {\"defaultVersion\": \"2.0\"}}\n}",
	"\uFEFF{\"version\": \"2.0\", \"extensions\": {\"durableTask\": {\"defaultVersion\": \"a\\\"b\\u00e9\"}}}",
	`{"version": 2.0}`,
	`{"version": "1.0"}`,
	`[]`,
	`{"version": "2.0", "customHandler": []}`,
	`{"version": "2.0",}x`,
	``,
}

// FuzzParseHost checks that ParseHost never panics, refuses with a
// *jsonfile.Error, and that when it accepts a defaultVersion,
// DefaultVersionOffset is at that value, where setting it as bump does
// (jsonfile.ReplaceString) gives a host.json that parses to the new value
// with nothing else changed.
func FuzzParseHost(f *testing.F) {
	jsonSeeds(f, manifest.HostFile, hostSeeds, func(data []byte) { f.Add(data) })
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzclock.Start(t, data)()
		h, err := manifest.ParseHost("host.json", data)
		if err != nil {
			var jerr *jsonfile.Error
			if !errors.As(err, &jerr) {
				t.Fatalf("error %v is %T, not *jsonfile.Error", err, err)
			}
			return
		}
		if h.Path != "host.json" || !bytes.Equal(h.Data, data) {
			t.Fatalf("path %q, data changed", h.Path)
		}
		if h.Forwarding() != (h.CustomHandler != nil && h.CustomHandler.Forwarding) {
			t.Fatal("Forwarding disagrees with the customHandler section")
		}
		if p := h.HTTPPath("F"); !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/F") {
			t.Fatalf("HTTPPath(F) = %q", p)
		}
		dt := h.DurableTask
		if !dt.HasDefaultVersion {
			return
		}
		if s, ok := stringAt(data, dt.DefaultVersionOffset); !ok || s != dt.DefaultVersion {
			t.Fatalf("defaultVersion %q, but DefaultVersionOffset %d holds %q (ok %v) in\n%q", dt.DefaultVersion, dt.DefaultVersionOffset, s, ok, data)
		}
		moved, err := jsonfile.ReplaceString(data, dt.DefaultVersionOffset, "v9")
		if err != nil {
			t.Fatalf("setting defaultVersion: %v", err)
		}
		again, err := manifest.ParseHost("host.json", moved)
		if err != nil {
			t.Fatalf("the edited host.json does not parse: %v\n%q", err, moved)
		}
		if again.DurableTask.DefaultVersion != "v9" {
			t.Fatalf("edited defaultVersion reads %q, want v9\n%q", again.DurableTask.DefaultVersion, moved)
		}
		again.Data, again.DurableTask.DefaultVersion, again.DurableTask.DefaultVersionOffset = h.Data, dt.DefaultVersion, dt.DefaultVersionOffset
		if !reflect.DeepEqual(again, h) {
			t.Fatalf("setting defaultVersion changed more:\n%+v\n%+v", h, again)
		}
	})
}

// FuzzParseLock feeds the lock file's reader arbitrary files. It never
// panics and fails only with a *jsonfile.Error at a position; a lock it
// accepts writes out (Marshal) to a file that reads back to the same
// entries and writes out to the same bytes, with CRLF endings kept by
// MarshalLike.
func FuzzParseLock(f *testing.F) {
	for _, s := range []string{
		`{"lockVersion": 1, "functions": {}}`,
		`{"lockVersion": 2, "comment": "x", "functions": {"A": {"kind": "orchestrator", "version": 1, "bindings": "b", "code": {"A": "h"}, "reach": 2, "calls": ["activity B", "timer"], "callSites": ["s1", "s2"], "slice": {"A": "sha256:s"}, "sliceSites": {"A": "ab12cd34 ef56ab78"}}, "B": {"kind": "activity", "version": 1, "retired": true, "bindings": "b", "inputs": ["string"], "outputs": ["int"], "body": "h"}}}`,
		"{\r\n  \"lockVersion\": 1,\r\n  \"functions\": {}\r\n}\r\n",
		`{"lockVersion": 2, "functions": {}}`,
		`{"lockVersion": 1, "functions": {"A": {"kind": 3}}}`,
		"{\"lockVersion\": 1,\n<<<<<<< HEAD\n}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer fuzzclock.Start(t, data)()
		lock, err := manifest.ParseLock("dfversion.lock", data)
		if err != nil {
			var jerr *jsonfile.Error
			if !errors.As(err, &jerr) {
				t.Fatalf("ParseLock error %v is %T, not *jsonfile.Error", err, err)
			}
			return
		}
		out := lock.Marshal()
		back, err := manifest.ParseLock("dfversion.lock", out)
		if err != nil {
			t.Fatalf("the lock written out does not read back: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normalLock(lock), normalLock(back)) {
			t.Fatalf("the lock read back differs:\n%+v\n%+v", lock.Functions, back.Functions)
		}
		if again := back.Marshal(); !bytes.Equal(again, out) {
			t.Fatalf("writing the lock out twice differs:\n%s\n%s", out, again)
		}
		crlf := lock.MarshalLike([]byte("{\r\n}\r\n"))
		if !bytes.Equal(bytes.ReplaceAll(crlf, []byte("\r\n"), []byte("\n")), out) || bytes.Count(crlf, []byte("\r\n")) != bytes.Count(out, []byte("\n")) {
			t.Fatalf("MarshalLike of a CRLF lock is not the LF lock with CRLF endings")
		}
	})
}

// normalLock drops the differences writing a lock out may make: empty
// lists and maps become absent (omitempty), and JSON replaces invalid
// UTF-8.
func normalLock(l *manifest.Lock) map[string]manifest.LockEntry {
	out := map[string]manifest.LockEntry{}
	for name, e := range l.Functions {
		if len(e.Code) == 0 {
			e.Code = nil
		}
		for _, list := range []*[]string{&e.Calls, &e.CallSites, &e.Inputs, &e.Outputs} {
			if len(*list) == 0 {
				*list = nil
			}
		}
		data, _ := json.Marshal(e)
		var back manifest.LockEntry
		_ = json.Unmarshal(data, &back)
		key, _ := json.Marshal(name)
		var k string
		_ = json.Unmarshal(key, &k)
		out[k] = back
	}
	return out
}
