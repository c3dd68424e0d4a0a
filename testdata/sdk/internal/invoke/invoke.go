// Package invoke implements the Azure Functions custom-handler envelope: the
// JSON document the Functions host POSTs to http://127.0.0.1:$PORT/<FunctionName>
// for each invocation, and the JSON document it reads back.
package invoke

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// Request is an invocation as POSTed by the host:
//
//	{"Data": {"<binding name>": value, ...}, "Metadata": {"sys": {"MethodName": "..."}, ...}}
type Request struct {
	Data     map[string]json.RawMessage `json:"Data"`
	Metadata map[string]json.RawMessage `json:"Metadata"`
}

// Response is what the handler sends back:
//
//	{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}
type Response struct {
	Outputs     map[string]any `json:"Outputs"`
	Logs        []string       `json:"Logs"`
	ReturnValue any            `json:"ReturnValue"`
}

// ReadRequest decodes the invocation in r's body and puts the body back, so
// that the handler can read it again. An empty body or a body that is not an
// invocation gives an empty Request and no error; only a failure to read the
// body is an error.
func ReadRequest(r *http.Request) (*Request, error) {
	req := &Request{}
	if r.Body == nil {
		return req, nil
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, fmt.Errorf("reading invocation body: %w", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if len(bytes.TrimSpace(body)) == 0 {
		return req, nil
	}
	if err := json.Unmarshal(body, req); err != nil {
		// Not an invocation envelope (for example a forwarded HTTP request).
		return &Request{}, nil
	}
	return req, nil
}

// Trigger returns the value of the invocation's trigger binding: the Data
// entry named by the first of names present (matched exactly, then ignoring
// case), else the only Data entry if there is exactly one, else the
// Metadata "data" entry that the host fills for activities. It returns nil
// when none is present.
func (req *Request) Trigger(names ...string) json.RawMessage {
	for _, n := range names {
		if v, ok := req.Data[n]; ok {
			return v
		}
	}
	for _, n := range names {
		for k, v := range req.Data {
			if strings.EqualFold(k, n) {
				return v
			}
		}
	}
	if len(req.Data) == 1 {
		for _, v := range req.Data {
			return v
		}
	}
	return req.Metadata["data"]
}

// DataKeys returns the names of the Data entries, sorted.
func (req *Request) DataKeys() []string {
	keys := make([]string, 0, len(req.Data))
	for k := range req.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MethodName returns Metadata.sys.MethodName, the name of the invoked
// function, or "" when the host did not send it.
func (req *Request) MethodName() string {
	var sys struct {
		MethodName string `json:"MethodName"`
	}
	if raw, ok := req.Metadata["sys"]; ok {
		_ = json.Unmarshal(raw, &sys)
	}
	return sys.MethodName
}

// MetadataString returns Metadata[key] when it is a JSON string, else "".
func (req *Request) MetadataString(key string) string {
	var s string
	if raw, ok := req.Metadata[key]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

// Object decodes raw as a JSON object. The host passes some bindings as a
// JSON string holding serialized JSON; such a string is decoded first. ok is
// false when raw is neither an object nor a string holding one.
func Object(raw json.RawMessage) (obj map[string]json.RawMessage, ok bool) {
	if err := json.Unmarshal(raw, &obj); err == nil && obj != nil {
		return obj, true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, false
	}
	if err := json.Unmarshal([]byte(s), &obj); err != nil || obj == nil {
		return nil, false
	}
	return obj, true
}

// DecodeValue decodes the JSON value raw into v. Absent and null values leave
// v untouched. When raw is a JSON string that does not fit v but holds
// serialized JSON that does, the serialized JSON is decoded: hosts and
// callers use both conventions.
func DecodeValue(raw json.RawMessage, v any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) || v == nil {
		return nil
	}
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && json.Valid([]byte(s)) {
		if json.Unmarshal([]byte(s), v) == nil {
			return nil
		}
	}
	return err
}

// Write sends resp with the given HTTP status. Nil Outputs and Logs are sent
// as {} and [], as the host expects. A response that cannot be encoded is
// replaced by a 500 response naming the error.
func Write(w http.ResponseWriter, status int, resp Response) {
	if resp.Outputs == nil {
		resp.Outputs = map[string]any{}
	}
	if resp.Logs == nil {
		resp.Logs = []string{}
	}
	body, err := json.Marshal(resp)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(Response{
			Outputs: map[string]any{},
			Logs:    []string{fmt.Sprintf("encoding the response: %v", err)},
		})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
