// Command pipeline serves the pipeline sample app: orchestrators that name
// their activities through tables and helpers.
package main

import (
	"log"
	"net/http"
	"os"

	"github.com/contoso/pipeline/flow"
	"github.com/microsoft/durabletask-go/customhandler"
)

func main() {
	listenAddr := ":8080"
	if val, ok := os.LookupEnv("FUNCTIONS_CUSTOMHANDLER_PORT"); ok {
		listenAddr = ":" + val
	}

	http.HandleFunc("/Pipeline", customhandler.MapOrchestrator(flow.Pipeline))
	http.HandleFunc("/Settle", customhandler.MapOrchestrator(flow.Settle))
	http.HandleFunc("/Notify", customhandler.MapOrchestrator(flow.Notify))

	http.HandleFunc("/Validate", customhandler.MapActivity(flow.Validate))
	http.HandleFunc("/Transform", customhandler.MapActivity(flow.Transform))
	http.HandleFunc("/StoreHot", customhandler.MapActivity(flow.StoreHot))
	http.HandleFunc("/StoreCold", customhandler.MapActivity(flow.StoreCold))
	http.HandleFunc("/ChargeCard", customhandler.MapActivity(flow.ChargeCard))
	http.HandleFunc("/ChargeSepa", customhandler.MapActivity(flow.ChargeSepa))
	http.HandleFunc("/ArchiveRun", customhandler.MapActivity(flow.ArchiveRun))
	http.HandleFunc("/PurgeCache", customhandler.MapActivity(flow.PurgeCache))
	http.HandleFunc("/FormatEmail", customhandler.MapActivity(flow.FormatEmail))
	http.HandleFunc("/FormatSms", customhandler.MapActivity(flow.FormatSms))
	http.HandleFunc("/SendEmail", customhandler.MapActivity(flow.SendEmail))
	http.HandleFunc("/SendSms", customhandler.MapActivity(flow.SendSms))

	log.Printf("Listening for function invocations on %s\n", listenAddr)
	log.Fatal(http.ListenAndServe(listenAddr, nil))
}
