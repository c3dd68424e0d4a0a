// Command hellocities is the "hello cities" sample of Durable Functions as a
// Go custom handler: an HTTP starter, one orchestrator and one activity.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/microsoft/durabletask-go/client"
	"github.com/microsoft/durabletask-go/customhandler"
	"github.com/microsoft/durabletask-go/task"
)

// HelloCities is an orchestrator function that generates a "hello" message for several cities.
func HelloCities(ctx *task.OrchestrationContext) (any, error) {
	var helloTokyo string
	if err := ctx.CallActivity(SayHello, task.WithActivityInput("Tokyo")).Await(&helloTokyo); err != nil {
		return nil, err
	}
	var helloLondon string
	if err := ctx.CallActivity(SayHello, task.WithActivityInput("London")).Await(&helloLondon); err != nil {
		return nil, err
	}
	var helloSeattle string
	if err := ctx.CallActivity(SayHello, task.WithActivityInput("Seattle")).Await(&helloSeattle); err != nil {
		return nil, err
	}
	return []string{helloTokyo, helloLondon, helloSeattle}, nil
}

// SayHello is an activity function that takes a city name as an input and returns "Hello, {city}!"
func SayHello(ctx task.ActivityContext) (any, error) {
	var input string
	if err := ctx.GetInput(&input); err != nil {
		return "", err
	}
	return fmt.Sprintf("Hello, %s!", input), nil
}

// HttpStart starts a new orchestration of the orchestrator named by the
// CITIES_ORCHESTRATOR app setting. The host forwards the caller's HTTP
// request to it (enableForwardingHttpRequest), so it answers in plain HTTP.
func HttpStart(w http.ResponseWriter, r *http.Request) {
	c, err := client.FromRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	name := os.Getenv("CITIES_ORCHESTRATOR")
	if name == "" {
		name = "HelloCities"
	}
	id, err := c.ScheduleNewOrchestration(r.Context(), name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	if err := json.NewEncoder(w).Encode(map[string]string{"id": id, "orchestrator": name}); err != nil {
		log.Printf("HttpStart: writing the response: %v", err)
	}
}

func main() {
	listenAddr := ":8080"
	if val, ok := os.LookupEnv("FUNCTIONS_CUSTOMHANDLER_PORT"); ok {
		listenAddr = ":" + val
	}

	http.HandleFunc("/HelloCities", customhandler.MapOrchestrator(HelloCities))
	http.HandleFunc("/SayHello", customhandler.MapActivity(SayHello))
	http.HandleFunc("/api/HttpStart", HttpStart)

	log.Printf("Listening for function invocations on %s\n", listenAddr)
	log.Fatal(http.ListenAndServe(listenAddr, nil))
}
