// Command handler is the custom handler of the orders function app. The
// function folders live one level up, next to host.json.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/contoso/orders/handler/workflows"
	"github.com/microsoft/durabletask-go/customhandler"
)

func main() {
	port := os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT")
	if port == "" {
		port = "8080"
	}

	mux := http.NewServeMux()

	// Orchestrators.
	mux.HandleFunc("/ProcessOrder", customhandler.MapOrchestrator(workflows.ProcessOrder))
	mux.HandleFunc("/ProcessOrder_v2", customhandler.MapOrchestrator(workflows.ProcessOrder_v2))
	mux.HandleFunc("/FulfillOrder", customhandler.MapOrchestrator(workflows.FulfillOrder))

	// Activities.
	mux.Handle("/ValidateOrder", customhandler.MapActivity(workflows.ValidateOrder))
	mux.Handle("/ChargeCard", customhandler.MapActivity(workflows.ChargeCard))
	mux.Handle("/ChargeCard_v2", customhandler.MapActivity(workflows.ChargeCard_v2))
	mux.Handle("/RecordDecision", customhandler.MapActivity(workflows.RecordDecision))
	mux.Handle("/PackShipment", customhandler.MapActivity(workflows.PackShipment))
	mux.Handle("/NotifyCustomer", customhandler.MapActivity(workflows.NotifyCustomer))

	// Entity and client.
	mux.HandleFunc("/Inventory", inventoryEntity)
	mux.HandleFunc("/StartOrder", workflows.StartOrder)

	log.Printf("orders: listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, mux))
}
