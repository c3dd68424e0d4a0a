package appsettings

import (
	"encoding/json"
	"strings"
)

// quote writes s as a JSON string literal. Quotes, backslashes and control
// characters are escaped; other characters, HTML's included, stay as they
// are. s must be valid UTF-8.
func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
