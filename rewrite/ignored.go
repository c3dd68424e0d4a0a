package rewrite

import (
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/dfversion/dfversion/goapp"
)

// IgnoredMentions lists the Go files of the module that the build
// excludes here (build constraints for another system, //go:build ignore)
// and that mention one of names as a whole word or as a route ("/Name"):
// a rewrite works on the files this build sees, so what those files hold
// for the named functions is left as it is, and the user should know.
func IgnoredMentions(m *goapp.Module, names []string) []IgnoredMention {
	if len(names) == 0 {
		return nil
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	word := regexp.MustCompile(`\b(` + strings.Join(quoted, "|") + `)\b`)
	var out []IgnoredMention
	seen := map[string]bool{}
	for _, p := range m.Packages {
		for _, file := range p.IgnoredFiles {
			if seen[file] || !strings.HasSuffix(file, ".go") {
				continue
			}
			seen[file] = true
			data, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			found := map[string]bool{}
			for _, match := range word.FindAllString(string(data), -1) {
				found[match] = true
			}
			if len(found) == 0 {
				continue
			}
			list := make([]string, 0, len(found))
			for n := range found {
				list = append(list, n)
			}
			sort.Strings(list)
			out = append(out, IgnoredMention{File: m.DisplayFile(file), Names: list})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// IgnoredMention is a file the build leaves out that names some functions.
type IgnoredMention struct {
	File  string
	Names []string
}
