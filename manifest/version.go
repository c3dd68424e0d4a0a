package manifest

import (
	"strconv"
	"strings"
)

// ParseName splits a function name of the form <Base>_v<N> into its base
// name and version. A name without such a suffix is version 1 of itself.
// N must be a positive decimal number without leading zeros; "Foo_v0" and
// "Foo_v01" are unversioned names.
func ParseName(name string) (base string, version int) {
	i := strings.LastIndex(name, "_v")
	if i <= 0 {
		return name, 1
	}
	digits := name[i+2:]
	if digits == "" || digits[0] == '0' || len(digits) > 9 {
		return name, 1
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || strconv.Itoa(n) != digits {
		return name, 1
	}
	return name[:i], n
}

// VersionedName is the name of version v of the function with the given
// base name: the base itself for version 1, <base>_v<v> otherwise.
func VersionedName(base string, v int) string {
	if v <= 1 {
		return base
	}
	return base + "_v" + strconv.Itoa(v)
}
