// Command approval is the custom handler of the approval function app, whose
// host.json and function folders are in ./functions.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/microsoft/durabletask-go/customhandler"
	"github.com/microsoft/durabletask-go/task"
)

// orchestrators maps each orchestrator's function folder to its code.
var orchestrators = map[string]task.Orchestrator{
	"ApprovalWorkflow": ApprovalWorkflow,
	"EscalationFlow":   Escalation,
}

func main() {
	addr := ":8080"
	if port, ok := os.LookupEnv("FUNCTIONS_CUSTOMHANDLER_PORT"); ok {
		addr = ":" + port
	}

	for name, fn := range orchestrators {
		http.HandleFunc("/"+name, customhandler.MapOrchestrator(fn))
	}

	app := NewApprovals()
	http.HandleFunc("/Approve", customhandler.MapActivity(app.Approve))
	http.HandleFunc("/Reject", customhandler.MapActivity(app.Reject))
	http.HandleFunc("/NotifyApprover", customhandler.MapActivity(func(ctx task.ActivityContext) (any, error) {
		var n Notice
		if err := ctx.GetInput(&n); err != nil {
			return nil, err
		}
		prefix := ""
		if n.Escalated {
			prefix = "[escalated] "
		}
		log.Printf("mail to %s: %sapproval %s needed: %s", n.To, prefix, n.RequestID, n.Subject)
		return "notified " + n.To, nil
	}))

	http.HandleFunc("/Ping", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"Outputs": {"res": {"statusCode": 200, "body": "pong"}}, "Logs": [], "ReturnValue": null}`)
	})
	http.HandleFunc("/StartApproval", StartApproval)

	log.Printf("approval: listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
