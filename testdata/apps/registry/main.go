// Command shop is the custom handler of the shop's checkout function app.
// Durable functions are served by a TaskRegistry mounted at "/", which
// dispatches each invocation by the function name in its path.
package main

import (
	"errors"
	"log"
	"net/http"

	"github.com/contoso/shop/checkout"
	"github.com/contoso/shop/stock"
	"github.com/microsoft/durabletask-go/task"
)

func main() {
	r := task.NewTaskRegistry()
	if err := errors.Join(
		r.AddOrchestratorN("Checkout", checkout.Checkout),
		r.AddOrchestrator(checkout.CollectPayment),
		r.AddActivityN("ReserveStock", stock.ReserveStock),
		r.AddActivityN("ReleaseStock", stock.Release),
		r.AddActivityN("AuthorizePayment", checkout.AuthorizePayment),
		r.AddActivity(checkout.SendReceipt),
	); err != nil {
		log.Fatalf("registering durable functions: %v", err)
	}

	http.Handle("/", r)
	http.HandleFunc("/NightlyStockAudit", stock.NightlyAudit)
	http.HandleFunc("/StartCheckout", StartCheckout)

	addr := listenAddr()
	log.Printf("shop: listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
