// Command styles is a custom handler whose durable functions reach their
// registrations indirectly: handlers held in package-level variables, a
// handler built by a factory, and a registration helper that takes the mux
// first.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/microsoft/durabletask-go/customhandler"
	"github.com/microsoft/durabletask-go/task"
)

// register serves the activity fn as the function name on mux.
func register(mux *http.ServeMux, name string, fn task.Activity) {
	mux.HandleFunc("/"+name, customhandler.MapActivityN(name, fn))
}

func main() {
	mux := http.NewServeMux()

	mux.HandleFunc("/Greetings", customhandler.MapOrchestratorN("Greetings", Greetings))
	mux.HandleFunc("/SayHello", customhandler.MapActivityN("SayHello", SayHello))
	mux.HandleFunc("/SayGoodbye", customhandler.MapActivityN("SayGoodbye", SayGoodbye))
	mux.HandleFunc("/English", customhandler.MapActivityN("English", newGreeter("Hello")))
	mux.HandleFunc("/French", customhandler.MapActivityN("French", newGreeter("Bonjour")))
	register(mux, "Upper", Upper)

	addr := ":8080"
	if port, ok := os.LookupEnv("FUNCTIONS_CUSTOMHANDLER_PORT"); ok {
		addr = ":" + port
	}
	log.Printf("styles: listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}
