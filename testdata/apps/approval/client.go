package main

import (
	"encoding/json"
	"net/http"
	"os"

	"github.com/microsoft/durabletask-go/client"
)

// invocation is the part of a host invocation StartApproval reads.
type invocation struct {
	Data struct {
		Req struct {
			Body json.RawMessage `json:"Body"`
		} `json:"req"`
	}
}

// StartApproval is the client function behind POST /api/approvals. It starts
// the orchestrator named by the APPROVAL_ORCHESTRATOR app setting.
func StartApproval(w http.ResponseWriter, r *http.Request) {
	c, err := client.FromRequest(r)
	if err != nil {
		reply(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	var inv invocation
	_ = json.NewDecoder(r.Body).Decode(&inv)
	var req ApprovalRequest
	if err := decodeBody(inv.Data.Req.Body, &req); err != nil {
		reply(w, http.StatusBadRequest, map[string]string{"error": "invalid request: " + err.Error()})
		return
	}

	name, ok := os.LookupEnv("APPROVAL_ORCHESTRATOR")
	if !ok || name == "" {
		name = "ApprovalWorkflow"
	}
	id, err := c.ScheduleNewOrchestration(r.Context(), name, client.WithInput(req))
	if err != nil {
		reply(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		return
	}
	reply(w, http.StatusAccepted, map[string]string{"id": id, "orchestrator": name})
}

// decodeBody decodes an HTTP body the host passed as JSON or as a string.
func decodeBody(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return nil
		}
		raw = json.RawMessage(s)
	}
	return json.Unmarshal(raw, v)
}

// reply answers the invocation with an HTTP response on the "res" binding.
func reply(w http.ResponseWriter, status int, body any) {
	text, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"Outputs": map[string]any{
			"res": map[string]any{"statusCode": status, "body": string(text)},
		},
		"Logs":        []string{},
		"ReturnValue": nil,
	})
}
