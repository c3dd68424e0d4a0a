package manifest

import "testing"

func TestParseName(t *testing.T) {
	tests := []struct {
		name    string
		base    string
		version int
	}{
		{"HelloCities", "HelloCities", 1},
		{"HelloCities_v2", "HelloCities", 2},
		{"HelloCities_v1", "HelloCities", 1},
		{"HelloCities_v10", "HelloCities", 10},
		{"Say_Hello_v3", "Say_Hello", 3},
		{"Hello_v2_v3", "Hello_v2", 3},
		{"Hello_v0", "Hello_v0", 1},                   // no version 0
		{"Hello_v02", "Hello_v02", 1},                 // no leading zeros
		{"Hello_v", "Hello_v", 1},                     // no digits
		{"Hello_v2a", "Hello_v2a", 1},                 // not all digits
		{"Hello_V2", "Hello_V2", 1},                   // lower-case v only
		{"_v2", "_v2", 1},                             // no base
		{"Hello-v2", "Hello-v2", 1},                   // underscore only
		{"Hello_v+2", "Hello_v+2", 1},                 // no sign
		{"Hello_v1234567890", "Hello_v1234567890", 1}, // absurdly large
	}
	for _, tt := range tests {
		base, version := ParseName(tt.name)
		if base != tt.base || version != tt.version {
			t.Errorf("ParseName(%q) = %q, %d; want %q, %d", tt.name, base, version, tt.base, tt.version)
		}
	}
}

func TestVersionedNameRoundTrip(t *testing.T) {
	for _, base := range []string{"HelloCities", "Say_Hello", "a"} {
		for v := 1; v <= 12; v++ {
			name := VersionedName(base, v)
			gotBase, gotV := ParseName(name)
			if gotBase != base || gotV != v {
				t.Errorf("ParseName(VersionedName(%q, %d)) = %q, %d", base, v, gotBase, gotV)
			}
		}
	}
	if got := VersionedName("HelloCities", 1); got != "HelloCities" {
		t.Errorf("version 1 keeps the bare name, got %q", got)
	}
}

func TestValidName(t *testing.T) {
	long := make([]byte, 128)
	for i := range long {
		long[i] = 'a'
	}
	for name, want := range map[string]bool{
		"HelloCities":      true,
		"Hello-Cities_v2":  true,
		"h":                true,
		string(long):       true,
		string(long) + "a": false,
		"2Hello":           false,
		"_Hello":           false,
		"Hello World":      false,
		"Hello.World":      false,
		"":                 false,
		"Héllo":            false,
	} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
}
