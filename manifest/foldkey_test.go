package manifest

import (
	"strings"
	"testing"
)

// TestFoldKeyMatchesEqualFold checks that Registered's index finds a name
// exactly when strings.EqualFold would, special foldings included.
func TestFoldKeyMatchesEqualFold(t *testing.T) {
	cases := []string{"Hello", "hello", "HELLO", "ſ", "s", "S", "K", "k", "K", "\xff", "\xfe", "Straße", "STRASSE", "ǅ", "ǆ", "Ǆ", "σ", "ς", "Σ", "İ", "i", "ı"}
	for _, a := range cases {
		for _, b := range cases {
			if (foldKey(a) == foldKey(b)) != strings.EqualFold(a, b) {
				t.Errorf("%q %q", a, b)
			}
		}
	}
}
