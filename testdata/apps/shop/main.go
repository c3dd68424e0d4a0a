// Command shop is a small app whose orchestrators keep their logic in
// helpers, methods, types, constants and variables they share.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"

	"github.com/microsoft/durabletask-go/client"
	"github.com/microsoft/durabletask-go/customhandler"
	"github.com/microsoft/durabletask-go/task"
)

// ProcessOrder places an order and charges it.
func ProcessOrder(ctx *task.OrchestrationContext) (any, error) {
	var req StartRequest
	if err := ctx.GetInput(&req); err != nil {
		return nil, err
	}
	in := newOrder(req)
	if needsApproval(in) {
		if err := ctx.CallActivity(RequestApproval).Await(nil); err != nil {
			return nil, err
		}
	}
	if in.score() > 2 {
		if err := ctx.CallActivity(FlagReview).Await(nil); err != nil {
			return nil, err
		}
	}
	if discounted(in) {
		if err := ctx.CallActivity(ApplyDiscount).Await(nil); err != nil {
			return nil, err
		}
	}
	if err := ctx.CallActivity(Charge, task.WithActivityInput(in)).Await(nil); err != nil {
		return nil, err
	}
	if notifier.Notify() {
		return nil, ctx.CallActivity(SendReceipt).Await(nil)
	}
	return nil, nil
}

// RefundOrder refunds an order, with approval for large ones.
func RefundOrder(ctx *task.OrchestrationContext) (any, error) {
	in := OrderInput{Items: 2, Price: 40}
	if orderTotal(in) > approvalLimit {
		return nil, ctx.CallActivity(RequestApproval).Await(nil)
	}
	return nil, nil
}

// Charge charges an order and answers with what it charged.
func Charge(ctx task.ActivityContext) (any, error) {
	var in OrderInput
	if err := ctx.GetInput(&in); err != nil {
		return nil, err
	}
	return in, nil
}

// RequestApproval asks a manager.
func RequestApproval(ctx task.ActivityContext) (any, error) { return "approved", nil }

// FlagReview flags an order for review.
func FlagReview(ctx task.ActivityContext) (any, error) { return "flagged", nil }

// ApplyDiscount applies a discount.
func ApplyDiscount(ctx task.ActivityContext) (any, error) { return "discounted", nil }

// SendReceipt mails the receipt.
func SendReceipt(ctx task.ActivityContext) (any, error) { return "sent", nil }

// HttpStart starts ProcessOrder for the customer in the request.
func HttpStart(w http.ResponseWriter, r *http.Request) {
	c, err := client.FromRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req := StartRequest{Customer: r.URL.Query().Get("customer")}
	id, err := c.ScheduleNewOrchestration(r.Context(), "ProcessOrder", client.WithInput(req))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string]string{"id": id})
}

func main() {
	addr := ":8080"
	if p, ok := os.LookupEnv("FUNCTIONS_CUSTOMHANDLER_PORT"); ok {
		addr = ":" + p
	}
	http.HandleFunc("/ProcessOrder", customhandler.MapOrchestrator(ProcessOrder))
	http.HandleFunc("/RefundOrder", customhandler.MapOrchestrator(RefundOrder))
	http.HandleFunc("/Charge", customhandler.MapActivity(Charge))
	http.HandleFunc("/RequestApproval", customhandler.MapActivity(RequestApproval))
	http.HandleFunc("/FlagReview", customhandler.MapActivity(FlagReview))
	http.HandleFunc("/ApplyDiscount", customhandler.MapActivity(ApplyDiscount))
	http.HandleFunc("/SendReceipt", customhandler.MapActivity(SendReceipt))
	http.HandleFunc("/api/HttpStart", HttpStart)
	log.Fatal(http.ListenAndServe(addr, nil))
}
