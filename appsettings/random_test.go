package appsettings

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomFile writes a settings file of either format with whitespace,
// comments and trailing commas strewn between its tokens.
func randomFile(r *rand.Rand) string {
	trivia := []string{"", "", " ", "\n", "\n  ", "\r\n", "\t", "\n\t\t", "// c, }\n", "/* c */", "/* a\n b */", " // x\r\n "}
	ws := func() string {
		var b strings.Builder
		for range r.IntN(3) {
			b.WriteString(trivia[r.IntN(len(trivia))])
		}
		return b.String()
	}
	object := func(members []string) string {
		var b strings.Builder
		b.WriteString("{" + ws())
		for i, m := range members {
			if i > 0 {
				b.WriteString(ws() + "," + ws())
			}
			b.WriteString(m)
		}
		if len(members) > 0 && r.IntN(3) == 0 {
			b.WriteString(ws() + ",")
		}
		b.WriteString(ws() + "}")
		return b.String()
	}
	member := func(k, v string) string { return quote(k) + ws() + ":" + ws() + v }
	values := []string{`"1"`, `"a b"`, `""`, `7`, `true`, `null`, `"q\"\\"`}
	names := []string{"A", "b.c", "x*y", "FOO:BAR", "#", "é"}

	var b strings.Builder
	if r.IntN(4) == 0 {
		b.WriteString("\xEF\xBB\xBF")
	}
	b.WriteString(ws())
	if r.IntN(2) == 0 {
		var elems []string
		for i := range r.IntN(4) {
			ms := []string{member("name", quote(names[i]))}
			if r.IntN(4) > 0 {
				ms = append(ms, member("value", values[r.IntN(len(values))]))
			}
			if r.IntN(2) == 0 {
				ms = append(ms, member("slotSetting", []string{"true", "false"}[r.IntN(2)]))
			}
			r.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
			elems = append(elems, object(ms))
		}
		b.WriteString("[" + ws())
		for i, e := range elems {
			if i > 0 {
				b.WriteString(ws() + "," + ws())
			}
			b.WriteString(e)
		}
		if len(elems) > 0 && r.IntN(3) == 0 {
			b.WriteString(ws() + ",")
		}
		b.WriteString(ws() + "]")
	} else {
		var root []string
		if r.IntN(2) == 0 {
			root = append(root, member("IsEncrypted", "false"))
		}
		switch r.IntN(4) {
		case 0: // no Values
		case 1:
			root = append(root, member("Values", "null"))
		default:
			var ms []string
			for i := range r.IntN(4) {
				ms = append(ms, member(names[i], values[r.IntN(len(values))]))
			}
			root = append(root, member("Values", object(ms)))
		}
		if r.IntN(2) == 0 {
			root = append(root, member("Host", object([]string{member("LocalHttpPort", "7071")})))
		}
		r.Shuffle(len(root), func(i, j int) { root[i], root[j] = root[j], root[i] })
		b.WriteString(object(root))
	}
	b.WriteString(ws())
	return b.String()
}

// TestSetRandomLayouts sets existing and new settings in many generated
// files and checks every result as the fuzz test does.
func TestSetRandomLayouts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		in := randomFile(r)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			f, err := Parse("f.json", []byte(in))
			if err != nil {
				t.Fatalf("Parse(%q): %v", in, err)
			}
			for _, s := range f.Settings {
				out, err := f.Set(s.Name, "new\"value")
				if err != nil {
					t.Fatalf("Set(%q) in %q: %v", s.Name, in, err)
				}
				checkSet(t, f, out, s.Name, "new\"value")
			}
			for _, name := range []string{"NEW", "a.b"} {
				out, err := f.Set(name, "v")
				if err != nil {
					t.Fatalf("Set(%q) in %q: %v", name, in, err)
				}
				checkSet(t, f, out, name, "v")
			}
		})
	}
}
