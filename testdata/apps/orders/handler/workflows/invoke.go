package workflows

import (
	"encoding/json"
	"net/http"
)

// InvokeRequest is an invocation as the Functions host POSTs it.
type InvokeRequest struct {
	Data     map[string]json.RawMessage
	Metadata map[string]json.RawMessage
}

// HTTPRequest is the value of an httpTrigger binding in an invocation.
type HTTPRequest struct {
	URL     string              `json:"Url"`
	Method  string              `json:"Method"`
	Headers map[string][]string `json:"Headers"`
	Body    json.RawMessage     `json:"Body"`
}

// HTTPResponse is the value of an http output binding.
type HTTPResponse struct {
	StatusCode int               `json:"statusCode"`
	Body       string            `json:"body"`
	Headers    map[string]string `json:"headers,omitempty"`
}

// InvokeResponse is what a handler sends back to the host.
type InvokeResponse struct {
	Outputs     map[string]any
	Logs        []string
	ReturnValue any
}

// WriteInvokeResponse sends resp to the host as JSON.
func WriteInvokeResponse(w http.ResponseWriter, resp InvokeResponse) {
	if resp.Outputs == nil {
		resp.Outputs = map[string]any{}
	}
	if resp.Logs == nil {
		resp.Logs = []string{}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// body returns the JSON document sent as an HTTP body, which the host passes
// either as JSON or as a string.
func (r HTTPRequest) body() []byte {
	var s string
	if err := json.Unmarshal(r.Body, &s); err == nil {
		return []byte(s)
	}
	return r.Body
}
