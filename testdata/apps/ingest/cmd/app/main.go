// Command app is the custom handler of the ingest function app. Build it
// into the app root: go build -o app ./cmd/app
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/contoso/ingest/internal/pipeline"
	"github.com/microsoft/durabletask-go/customhandler"
)

func main() {
	// The StoreCheckpoint function serves the activity named Checkpoint.
	checkpoint := customhandler.MapActivity(pipeline.Checkpoint)

	routes := []struct {
		path    string
		handler http.HandlerFunc
	}{
		{"/IngestFeed_v11", customhandler.MapOrchestrator(pipeline.IngestFeed_v11)},
		{"/IngestFeed_v12", customhandler.MapOrchestrator(pipeline.IngestFeed_v12)},
		{"/FetchPage_v11", customhandler.MapActivity(pipeline.FetchPage_v11)},
		{"/FetchPage_v12", customhandler.MapActivity(pipeline.FetchPage_v12)},
		{"/Store", customhandler.MapActivity(pipeline.Store)},
		{"/StoreCheckpoint", checkpoint},
		{"/api/StartIngest", pipeline.StartIngest},
	}
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.HandleFunc(rt.path, rt.handler)
	}

	port := os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT")
	if port == "" {
		port = "8080"
	}
	log.Printf("ingest: listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, mux))
}
