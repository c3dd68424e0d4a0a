package main

import "os"

// orchestratorName returns the orchestrator new checkouts run on: the
// CHECKOUT_ORCHESTRATOR app setting, by default Checkout.
func orchestratorName() string {
	if name := os.Getenv("CHECKOUT_ORCHESTRATOR"); name != "" {
		return name
	}
	return "Checkout"
}

// listenAddr returns the address the host expects the handler on.
func listenAddr() string {
	if port := os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT"); port != "" {
		return ":" + port
	}
	return ":8080"
}
