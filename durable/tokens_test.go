package durable

import "testing"

func TestTokenHash(t *testing.T) {
	base := "func F(a int) int {\n\treturn g(a, 1)\n}"
	same := []string{
		"func F(a int) int { return g(a, 1) }",
		"// F does things.\nfunc F(a int) int {\n\n\t// call g\n\treturn g(a, 1) /* one */\n}",
		"func F(a int) int {\n\treturn g(\n\t\ta,\n\t\t1,\n\t)\n}",
		"func F(a int) int {\n\treturn g(a, 1);\n}",
	}
	different := []string{
		"func F(a int) int {\n\treturn g(1, a)\n}",
		"func F(a int) int {\n\treturn g(a, 2)\n}",
		"func F(b int) int {\n\treturn g(b, 1)\n}",
		"func F(a int) int {\n\treturn g(a, 1, )\n}x",
		"func F(a int) int {\n\treturn g(a, \"1\")\n}",
	}
	want := TokenHash([]byte(base))
	for _, s := range same {
		if got := TokenHash([]byte(s)); got != want {
			t.Errorf("TokenHash(%q) differs from the original; formatting and comments must not count", s)
		}
	}
	for _, s := range different {
		if got := TokenHash([]byte(s)); got == want {
			t.Errorf("TokenHash(%q) equals the original's", s)
		}
	}
}
