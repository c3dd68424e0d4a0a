package manifest

import (
	"encoding/json"
	"fmt"

	"github.com/dfversion/dfversion/internal/jsonfile"
	"github.com/tidwall/gjson"
)

// HostFile is the name of the file that marks a function app's root.
const HostFile = "host.json"

// defaultRoutePrefix is the path prefix of HTTP-triggered functions when
// host.json does not set extensions.http.routePrefix.
const defaultRoutePrefix = "api"

// Host is the part of host.json that dfversion needs: the custom-handler
// section (how the host starts and talks to the Go program) and the
// durableTask extension section. Data keeps the file as read, so edits can
// be spliced in without disturbing the rest.
type Host struct {
	Path string // path of host.json, as shown to the user
	Data []byte // the file as read

	// CustomHandler is nil when host.json has no customHandler section.
	CustomHandler *CustomHandler
	// RoutePrefix is the path prefix of HTTP-triggered functions ("api" by
	// default; "" when host.json sets it empty).
	RoutePrefix string
	// DurableTask is the extensions.durableTask section (zero when absent).
	DurableTask DurableTask
}

// CustomHandler is host.json's customHandler section.
type CustomHandler struct {
	ExecutablePath   string   // description.defaultExecutablePath
	WorkingDirectory string   // description.workingDirectory
	Arguments        []string // description.arguments
	// Forwarding is true when HTTP-triggered functions receive the original
	// request at their route (enableForwardingHttpRequest, or its newer
	// name enableProxyingHttpRequest).
	Forwarding bool
}

// DurableTask is host.json's extensions.durableTask section.
type DurableTask struct {
	HubName string
	// DefaultVersion is the built-in orchestration version that new
	// instances are tagged with; HasDefaultVersion tells an empty value
	// from an absent one.
	DefaultVersion    string
	HasDefaultVersion bool
	// DefaultVersionOffset is the byte offset of defaultVersion's value in
	// Data, for positions in messages and in-place edits.
	DefaultVersionOffset int
}

type hostJSON struct {
	Version       json.RawMessage `json:"version"`
	CustomHandler *struct {
		Description struct {
			DefaultExecutablePath string   `json:"defaultExecutablePath"`
			WorkingDirectory      string   `json:"workingDirectory"`
			Arguments             []string `json:"arguments"`
		} `json:"description"`
		EnableForwardingHTTPRequest bool `json:"enableForwardingHttpRequest"`
		EnableProxyingHTTPRequest   bool `json:"enableProxyingHttpRequest"`
	} `json:"customHandler"`
	Extensions struct {
		HTTP struct {
			RoutePrefix *string `json:"routePrefix"`
		} `json:"http"`
		DurableTask struct {
			HubName        string  `json:"hubName"`
			DefaultVersion *string `json:"defaultVersion"`
		} `json:"durableTask"`
	} `json:"extensions"`
}

// ParseHost reads host.json's contents. path is used in messages only.
// Only version 2.0 files are accepted: custom handlers need the 2.x host.
func ParseHost(path string, data []byte) (*Host, error) {
	var raw hostJSON
	if err := jsonfile.Decode(path, data, &raw); err != nil {
		return nil, err
	}
	if err := jsonfile.CheckKeys(path, data, "version", "customHandler", "description", "defaultExecutablePath",
		"workingDirectory", "arguments", "enableForwardingHttpRequest", "enableProxyingHttpRequest",
		"extensions", "http", "routePrefix", "durableTask", "hubName", "defaultVersion"); err != nil {
		return nil, err
	}
	clean := jsonfile.Clean(data)
	version := gjson.GetBytes(clean, "version")
	switch {
	case !version.Exists():
		return nil, jsonfile.At(path, data, 0, `no "version": custom handlers need host.json version "2.0"`)
	case version.Type != gjson.String || version.Str != "2.0":
		return nil, jsonfile.At(path, data, version.Index,
			`version is %s; custom handlers need host.json version "2.0"`, version.Raw)
	}

	h := &Host{Path: path, Data: data, RoutePrefix: defaultRoutePrefix}
	if ch := raw.CustomHandler; ch != nil {
		h.CustomHandler = &CustomHandler{
			ExecutablePath:   ch.Description.DefaultExecutablePath,
			WorkingDirectory: ch.Description.WorkingDirectory,
			Arguments:        ch.Description.Arguments,
			Forwarding:       ch.EnableForwardingHTTPRequest || ch.EnableProxyingHTTPRequest,
		}
	}
	if p := raw.Extensions.HTTP.RoutePrefix; p != nil {
		h.RoutePrefix = *p
	}
	dt := raw.Extensions.DurableTask
	h.DurableTask.HubName = dt.HubName
	if dt.DefaultVersion != nil {
		h.DurableTask.DefaultVersion = *dt.DefaultVersion
		h.DurableTask.HasDefaultVersion = true
		h.DurableTask.DefaultVersionOffset = gjson.GetBytes(clean, "extensions.durableTask.defaultVersion").Index
	}
	return h, nil
}

// Forwarding reports whether HTTP-triggered functions receive the original
// request at their route rather than the invocation payload.
func (h *Host) Forwarding() bool {
	return h.CustomHandler != nil && h.CustomHandler.Forwarding
}

// HTTPPath is the path at which a forwarded HTTP-triggered function with
// the given route receives requests: "/<routePrefix>/<route>".
func (h *Host) HTTPPath(route string) string {
	if h.RoutePrefix == "" {
		return "/" + route
	}
	return fmt.Sprintf("/%s/%s", h.RoutePrefix, route)
}
