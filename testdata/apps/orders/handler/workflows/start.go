package workflows

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/microsoft/durabletask-go/client"
)

// StartOrder is the client function behind POST /api/orders. It starts the
// order workflow version named by the ORDERS_VERSION app setting ("v2" runs
// ProcessOrder_v2; unset or "v1" runs ProcessOrder).
func StartOrder(w http.ResponseWriter, r *http.Request) {
	c, err := client.FromRequest(r)
	if err != nil {
		WriteInvokeResponse(w, InvokeResponse{Outputs: respond(http.StatusBadRequest, err.Error())})
		return
	}
	var inv InvokeRequest
	var req HTTPRequest
	if err := json.NewDecoder(r.Body).Decode(&inv); err == nil {
		_ = json.Unmarshal(inv.Data["req"], &req)
	}
	var order Order
	if b := req.body(); len(b) > 0 {
		if err := json.Unmarshal(b, &order); err != nil {
			WriteInvokeResponse(w, InvokeResponse{Outputs: respond(http.StatusBadRequest, "invalid order: "+err.Error())})
			return
		}
	}

	name := processOrder
	if version := os.Getenv("ORDERS_VERSION"); version != "" && version != "v1" {
		name = "ProcessOrder_" + version
	}
	id, err := c.ScheduleNewOrchestration(r.Context(), name, client.WithInput(order))
	if err != nil {
		WriteInvokeResponse(w, InvokeResponse{Outputs: respond(http.StatusInternalServerError, err.Error())})
		return
	}
	body := fmt.Sprintf(`{"id": %q, "orchestrator": %q}`, id, name)
	WriteInvokeResponse(w, InvokeResponse{
		Outputs: respond(http.StatusAccepted, body),
		Logs:    []string{"started " + name + " as " + id},
	})
}

// respond builds the Outputs of an invocation answering with an HTTP response.
func respond(status int, body string) map[string]any {
	return map[string]any{"res": HTTPResponse{
		StatusCode: status,
		Body:       body,
		Headers:    map[string]string{"Content-Type": "application/json"},
	}}
}
