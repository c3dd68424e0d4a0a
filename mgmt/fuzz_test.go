package mgmt

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/dfversion/dfversion/internal/fuzzclock"
)

// FuzzDecodePage feeds decodePage, which reads the management API's
// instance lists, arbitrary bodies. It never panics; a body it accepts
// reads back the same after writing its instances out again, so that
// nothing it keeps depends on how the server spelled it (status case or
// number, time layout).
func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{
		`[]`,
		`[{"name": "HelloCities", "instanceId": "abc", "runtimeStatus": "Running", "createdTime": "2026-11-29T10:00:00Z", "lastUpdatedTime": "2026-11-29T10:00:01.5Z"}]`,
		`[{"name": "ProcessOrder_v2", "instanceId": "o-1", "runtimeStatus": 6, "createdTime": "2026-11-29T10:00:00.1234567"}]`,
		`[{"name": "inventory", "instanceId": "@inventory@sku-1", "runtimeStatus": "running", "input": {"a": 1}, "customStatus": null, "output": "x"}]`,
		"\ufeff [ {\"name\": \"A\", \"runtimeStatus\": null} ]",
		`[{"runtimeStatus": 99}, {"runtimeStatus": -1}]`,
		`{"error": "not a list"}`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		defer fuzzclock.Start(t, body)()
		items, err := decodePage(body)
		if err != nil {
			return
		}
		again, err := json.Marshal(items)
		if err != nil {
			t.Fatalf("writing out %v: %v", items, err)
		}
		back, err := decodePage(again)
		if err != nil {
			t.Fatalf("reading back %s: %v", again, err)
		}
		if len(back) != len(items) {
			t.Fatalf("%d instances read back as %d", len(items), len(back))
		}
		for i, in := range items {
			out := back[i]
			if !utf8.ValidString(in.Name) || !utf8.ValidString(in.InstanceID) || !utf8.ValidString(string(in.RuntimeStatus)) {
				continue // JSON replaces invalid UTF-8
			}
			if in.Name != out.Name || in.InstanceID != out.InstanceID || in.RuntimeStatus != out.RuntimeStatus ||
				!in.CreatedTime.Equal(out.CreatedTime) || !in.LastUpdatedTime.Equal(out.LastUpdatedTime) {
				t.Errorf("instance %d: %+v read back as %+v", i, in, out)
			}
			if in.IsEntity() != out.IsEntity() {
				t.Errorf("instance %d: entity %v read back as %v", i, in.IsEntity(), out.IsEntity())
			}
		}
	})
}
