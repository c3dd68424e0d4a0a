package plan

import (
	"strings"
	"testing"
)

// planFor builds, against the tree in dir holding before, the plan that
// turns before into after.
func planFor(t testing.TB, dir string, before, after map[string]string) *Plan {
	t.Helper()
	p := New(dir)
	for path, old := range before {
		if n, ok := after[path]; !ok {
			if err := p.Delete(path, []byte(old)); err != nil {
				t.Fatal(err)
			}
		} else if err := p.Update(path, []byte(old), []byte(n)); err != nil {
			t.Fatal(err)
		}
	}
	for path, n := range after {
		if _, ok := before[path]; !ok {
			if err := p.Create(path, []byte(n)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return p
}

// lines returns the numbered lines "line 1\n" to "line n\n", with the
// replacements given by line number.
func lines(n int, replace map[int]string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if r, ok := replace[i]; ok {
			b.WriteString(r)
			continue
		}
		b.WriteString("line " + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "\n")
	}
	return b.String()
}

var diffCases = []struct {
	name          string
	before, after map[string]string
}{
	{"create nested",
		map[string]string{"keep.txt": "k\n"},
		map[string]string{"keep.txt": "k\n", "a/b/c/new.go": "package c\n\nfunc F() {}\n"}},
	{"delete",
		map[string]string{"old.txt": "x\ny\n", "keep.txt": "k\n"},
		map[string]string{"keep.txt": "k\n"}},
	{"delete emptying directories",
		map[string]string{"gone/deep/x.txt": "x\n", "gone/y.txt": "y\n", "keep/z.txt": "z\n", "keep/w.txt": "w\n"},
		map[string]string{"keep/w.txt": "w\n"}},
	{"modify several hunks",
		map[string]string{"f.txt": lines(40, nil)},
		map[string]string{"f.txt": lines(40, map[int]string{3: "third\n", 30: "", 40: "line 40\nline 41\n"})}},
	{"modify first and last line",
		map[string]string{"f.txt": "first\nmiddle\nlast\n"},
		map[string]string{"f.txt": "FIRST\nmiddle\nLAST\n"}},
	{"no trailing newline either side",
		map[string]string{"f.txt": "a\nb"},
		map[string]string{"f.txt": "a\nc"}},
	{"add trailing newline",
		map[string]string{"f.txt": "a\nb"},
		map[string]string{"f.txt": "a\nb\n"}},
	{"remove trailing newline",
		map[string]string{"f.txt": "a\nb\n"},
		map[string]string{"f.txt": "a\nb"}},
	{"no trailing newline, change far from end",
		map[string]string{"f.txt": "x\n" + lines(20, nil) + "end"},
		map[string]string{"f.txt": "y\n" + lines(20, nil) + "end"}},
	{"create and delete without trailing newline",
		map[string]string{"old": "gone"},
		map[string]string{"new": "fresh"}},
	{"crlf modify",
		map[string]string{"f.txt": "a\r\nb\r\nc\r\n"},
		map[string]string{"f.txt": "a\r\nB\r\nc\r\n"}},
	{"crlf without trailing newline",
		map[string]string{"f.txt": "a\r\nb"},
		map[string]string{"f.txt": "a\r\nb\r\nc"}},
	{"crlf create and delete",
		map[string]string{"old.json": "{\r\n}\r\n"},
		map[string]string{"new.json": "{\r\n  \"a\": 1\r\n}\r\n"}},
	{"mixed line endings",
		map[string]string{"f.txt": "a\r\nb\nc\r\n"},
		map[string]string{"f.txt": "a\nb\r\nc\r\n"}},
	{"lone carriage return at end",
		map[string]string{"f.txt": "a\nb\r"},
		map[string]string{"f.txt": "a\nc\r"}},
	{"create empty file",
		map[string]string{"keep": "k\n"},
		map[string]string{"keep": "k\n", "d/empty": ""}},
	{"delete empty file",
		map[string]string{"keep": "k\n", "empty": ""},
		map[string]string{"keep": "k\n"}},
	{"empty file gets content",
		map[string]string{"f": ""},
		map[string]string{"f": "now\n"}},
	{"file emptied",
		map[string]string{"f": "was\n"},
		map[string]string{"f": ""}},
	{"spaces in names",
		map[string]string{"dir x/a b.txt": "1\n"},
		map[string]string{"dir x/a b.txt": "2\n", "new dir/c d.txt": "3\n"}},
	{"non-ASCII names",
		map[string]string{"é/ü.txt": "1\n"},
		map[string]string{"é/ü.txt": "2\n", "日本/語.txt": "3\n"}},
	{"function app version bump",
		map[string]string{
			"host.json":                         "{\n  \"version\": \"2.0\"\n}\n",
			"local.settings.json":               "{\n  \"Values\": {\n    \"AzureWebJobsStorage\": \"x\"\n  }\n}\n",
			"HelloOrchestratorV1/function.json": "{\n  \"bindings\": [\n    {\"type\": \"orchestrationTrigger\", \"name\": \"context\"}\n  ]\n}\n",
			"HelloOrchestratorV0/function.json": "{\n  \"bindings\": []\n}\n",
			"handlers/hello.go":                 "package handlers\n\nfunc HelloV1() {}\n",
		},
		map[string]string{
			"host.json":                         "{\n  \"version\": \"2.0\"\n}\n",
			"local.settings.json":               "{\n  \"Values\": {\n    \"AzureWebJobsStorage\": \"x\",\n    \"HelloVersion\": \"V2\"\n  }\n}\n",
			"HelloOrchestratorV1/function.json": "{\n  \"bindings\": [\n    {\"type\": \"orchestrationTrigger\", \"name\": \"context\"}\n  ]\n}\n",
			"HelloOrchestratorV2/function.json": "{\n  \"bindings\": [\n    {\"type\": \"orchestrationTrigger\", \"name\": \"context\"}\n  ]\n}\n",
			"handlers/hello.go":                 "package handlers\n\nfunc HelloV1() {}\n\nfunc HelloV2() {}\n",
		}},
}

// TestDiffApplies checks that every diff, applied by git apply and by
// patch -p1 to a copy of the original tree, gives the same tree as Apply.
func TestDiffApplies(t *testing.T) {
	for _, tc := range diffCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.before)
			p := planFor(t, dir, tc.before, tc.after)
			diff := p.Diff()
			want := treeOf(tc.after)
			for _, tool := range patchTools {
				t.Run(tool.name, func(t *testing.T) {
					copyDir := t.TempDir()
					writeFiles(t, copyDir, tc.before)
					runPatchTool(t, tool, copyDir, diff)
					if d := snapshotDiff(want, snapshot(t, copyDir), true); d != "" {
						t.Errorf("tree after %s differs from the plan:\n%s\ndiff:\n%s", tool.name, d, diff)
					}
				})
			}
			if err := p.Apply(OS()); err != nil {
				t.Fatal(err)
			}
			if d := snapshotDiff(want, snapshot(t, dir), true); d != "" {
				t.Errorf("tree after Apply differs from the plan:\n%s", d)
			}
		})
	}
}

func TestDiffGolden(t *testing.T) {
	tests := []struct {
		name          string
		before, after map[string]string
		want          string
	}{
		{"modify", map[string]string{"a/f.txt": "one\ntwo\nthree\n"}, map[string]string{"a/f.txt": "one\n2\nthree\n"}, `diff --git a/a/f.txt b/a/f.txt
index 4cb29ea..f04eb26 100644
--- a/a/f.txt
+++ b/a/f.txt
@@ -1,3 +1,3 @@
 one
-two
+2
 three
`},
		{"create", nil, map[string]string{"n/new.go": "package n\n"}, `diff --git a/n/new.go b/n/new.go
new file mode 100644
index 0000000..a405166
--- /dev/null
+++ b/n/new.go
@@ -0,0 +1,1 @@
+package n
`},
		{"delete", map[string]string{"old.go": "package old\n"}, nil, `diff --git a/old.go b/old.go
deleted file mode 100644
index fecd80c..0000000
--- a/old.go
+++ /dev/null
@@ -1,1 +0,0 @@
-package old
`},
		{"no trailing newline", map[string]string{"f": "a\nb"}, map[string]string{"f": "a\nc"}, `diff --git a/f b/f
index 0a207c0..817f660 100644
--- a/f
+++ b/f
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+c
\ No newline at end of file
`},
		{"empty files", map[string]string{"gone": ""}, map[string]string{"new": ""}, `diff --git a/gone b/gone
deleted file mode 100644
index e69de29..0000000
diff --git a/new b/new
new file mode 100644
index 0000000..e69de29
`},
		{"crlf", map[string]string{"f": "a\r\nb\r\n"}, map[string]string{"f": "a\r\nc\r\n"}, "diff --git a/f b/f\nindex c30dea8..06c9c76 100644\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n"},
		{"space and quote in names", map[string]string{"a b": "1\n", "q\"t": "1\n"}, map[string]string{"a b": "2\n", "q\"t": "2\n"}, "diff --git a/a b b/a b\nindex d00491f..0cfbf08 100644\n--- a/a b\t\n+++ b/a b\t\n@@ -1,1 +1,1 @@\n-1\n+2\n" +
			"diff --git \"a/q\\\"t\" \"b/q\\\"t\"\nindex d00491f..0cfbf08 100644\n--- \"a/q\\\"t\"\n+++ \"b/q\\\"t\"\n@@ -1,1 +1,1 @@\n-1\n+2\n"},
		{"binary", map[string]string{"bin": "a\x00b"}, map[string]string{"bin": "a\x00c"}, "diff --git a/bin b/bin\nindex 20b5be9..88f3700 100644\nBinary files a/bin and b/bin differ\n"},
		{"unchanged", map[string]string{"same": "x\n"}, map[string]string{"same": "x\n"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.before)
			got := string(planFor(t, dir, tc.before, tc.after).Diff())
			if got != tc.want {
				t.Errorf("Diff() =\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestDiffQuotedNames checks names git quotes, with both tools.
func TestDiffQuotedNames(t *testing.T) {
	before := map[string]string{"tab\there.txt": "1\n", "new\nline": "x\n"}
	after := map[string]string{"tab\there.txt": "2\n", "quote\"d/new.txt": "3\n", "é x/ü y.txt": "4\n"}
	for _, tool := range patchTools {
		t.Run(tool.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, before)
			p := planFor(t, dir, before, after)
			runPatchTool(t, tool, dir, p.Diff())
			if d := snapshotDiff(treeOf(after), snapshot(t, dir), true); d != "" {
				t.Errorf("tree after %s:\n%s\ndiff:\n%s", tool.name, d, p.Diff())
			}
		})
	}
}
