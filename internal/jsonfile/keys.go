package jsonfile

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// CheckKeys refuses what readers of a JSON file disagree on: a key that
// appears twice in one object (encoding/json keeps the last, other readers
// the first), counting keys that differ only in case, which encoding/json
// matches case-insensitively; and a key spelled with other capitals than
// one of known, the keys the caller reads. data must be valid JSON once
// cleaned (Decode it first).
func CheckKeys(file string, data []byte, known ...string) error {
	spelled := map[string]string{}
	for _, k := range known {
		spelled[strings.ToLower(k)] = k
	}
	clean := Clean(data)
	var err error
	var walk func(v gjson.Result)
	walk = func(v gjson.Result) {
		switch {
		case err != nil:
		case v.IsObject():
			seen := map[string]gjson.Result{}
			v.ForEach(func(k, val gjson.Result) bool {
				lower := strings.ToLower(k.Str)
				if first, ok := seen[lower]; ok {
					err = At(file, data, k.Index, "duplicate key %s (the first is %s at %s); readers disagree on which counts: keep one",
						k.Raw, first.Raw, posString(data, first.Index))
					return false
				}
				seen[lower] = k
				if want, ok := spelled[lower]; ok && want != k.Str {
					err = At(file, data, k.Index, "key %s must be spelled %q", k.Raw, want)
					return false
				}
				walk(val)
				return err == nil
			})
		case v.IsArray():
			v.ForEach(func(_, val gjson.Result) bool {
				walk(val)
				return err == nil
			})
		}
	}
	walk(gjson.ParseBytes(clean))
	return err
}

// posString is "line L, column C" of an offset in data.
func posString(data []byte, offset int) string {
	line, col := Position(data, offset)
	return fmt.Sprintf("line %d, column %d", line, col)
}
