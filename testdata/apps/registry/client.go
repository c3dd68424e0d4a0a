package main

import (
	"encoding/json"
	"net/http"

	"github.com/contoso/shop/checkout"
	"github.com/microsoft/durabletask-go/client"
)

// StartCheckout is the client function behind POST /api/checkout: it starts
// a checkout for the cart in the request body.
func StartCheckout(w http.ResponseWriter, r *http.Request) {
	c, err := client.FromRequest(r)
	if err != nil {
		respond(w, http.StatusBadRequest, err.Error())
		return
	}
	var inv struct {
		Data struct {
			Req struct {
				Body string `json:"Body"`
			} `json:"req"`
		}
	}
	_ = json.NewDecoder(r.Body).Decode(&inv)
	var cart checkout.Cart
	if inv.Data.Req.Body != "" {
		if err := json.Unmarshal([]byte(inv.Data.Req.Body), &cart); err != nil {
			respond(w, http.StatusBadRequest, "invalid cart: "+err.Error())
			return
		}
	}

	name := orchestratorName()
	id, err := c.ScheduleNewOrchestration(r.Context(), name, client.WithInput(cart))
	if err != nil {
		respond(w, http.StatusInternalServerError, err.Error())
		return
	}
	respond(w, http.StatusAccepted, `{"id": "`+id+`", "orchestrator": "`+name+`"}`)
}

// respond answers the invocation with an HTTP response on the "res" binding.
func respond(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"Outputs": map[string]any{
			"res": map[string]any{"statusCode": status, "body": body},
		},
		"Logs":        []string{},
		"ReturnValue": nil,
	})
}
