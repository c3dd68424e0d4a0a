package manifest

import "testing"

func TestParseHost(t *testing.T) {
	data := []byte(`{
  "version": "2.0",
  // comments are fine, as the host allows them
  "customHandler": {
    "description": {"defaultExecutablePath": "app", "workingDirectory": "bin", "arguments": ["-v"]},
    "enableProxyingHttpRequest": true
  },
  "extensions": {
    "http": {"routePrefix": ""},
    "durableTask": {"hubName": "OrdersHub", "defaultVersion": "2"}
  }
}`)
	h, err := ParseHost("host.json", data)
	if err != nil {
		t.Fatal(err)
	}
	ch := h.CustomHandler
	if ch == nil || ch.ExecutablePath != "app" || ch.WorkingDirectory != "bin" || len(ch.Arguments) != 1 || !ch.Forwarding {
		t.Errorf("customHandler = %+v", ch)
	}
	if !h.Forwarding() {
		t.Error("enableProxyingHttpRequest should turn forwarding on")
	}
	if h.RoutePrefix != "" || h.HTTPPath("orders") != "/orders" {
		t.Errorf("route prefix %q, path %q", h.RoutePrefix, h.HTTPPath("orders"))
	}
	dt := h.DurableTask
	if dt.HubName != "OrdersHub" || !dt.HasDefaultVersion || dt.DefaultVersion != "2" {
		t.Errorf("durableTask = %+v", dt)
	}
	if got := string(data[dt.DefaultVersionOffset : dt.DefaultVersionOffset+3]); got != `"2"` {
		t.Errorf("DefaultVersionOffset points at %q", got)
	}
}

func TestParseHostDefaults(t *testing.T) {
	h, err := ParseHost("host.json", []byte(`{"version": "2.0"}`))
	if err != nil {
		t.Fatal(err)
	}
	if h.CustomHandler != nil || h.Forwarding() {
		t.Errorf("no customHandler section, got %+v", h.CustomHandler)
	}
	if h.RoutePrefix != "api" || h.HTTPPath("HttpStart") != "/api/HttpStart" {
		t.Errorf("default route prefix: %q", h.RoutePrefix)
	}
	if h.DurableTask.HasDefaultVersion {
		t.Error("no defaultVersion, yet HasDefaultVersion")
	}
}

func TestParseHostErrors(t *testing.T) {
	tests := []struct{ data, want string }{
		{`{}`, `host.json:1:1: no "version": custom handlers need host.json version "2.0"`},
		{`{"version": 2.0}`, `host.json:1:13: version is 2.0; custom handlers need host.json version "2.0"`},
		{`{"version": "1.0"}`, `host.json:1:13: version is "1.0"; custom handlers need host.json version "2.0"`},
		{`[]`, `host.json:1:1: value must be an object, not array`},
		{`{"version": "2.0", "customHandler": []}`, `host.json:1:37: customHandler must be an object, not array`},
		{`{"version": "2.0",}x`, `host.json:1:20: invalid JSON: invalid character 'x' after top-level value; the file holds more than one JSON value: remove what follows the first`},
	}
	for _, tt := range tests {
		_, err := ParseHost("host.json", []byte(tt.data))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.data, err, tt.want)
		}
	}
}
