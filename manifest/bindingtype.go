package manifest

import (
	"strings"

	"github.com/xrash/smetrics"
)

// A binding type decides a function's kind (see kindOf), so a misspelt
// durable one is not a small mistake: "orchestrationTriger" makes a released
// orchestrator an "other" function that bump skips and check no longer
// holds to its fingerprints. The host refuses a type no extension knows, but
// only at run time, after the deployment.
//
// misspeltDurableType catches that before: a type that is none the host or
// its common extensions know, within a few edits of a durable one, is a
// misspelling of it:
//
//	"orchestrationTriger"  -> did you mean "orchestrationTrigger"? (1 edit)
//	"orchestratorTrigger"  -> did you mean "orchestrationTrigger"? (3 edits)
//	"activitytrigger"      -> the activityTrigger (the host ignores case)
//	"eventHubTrigger"      -> a type the host knows: left alone
//	"myCustomTrigger"      -> far from every durable type: left alone (a
//	                          custom extension may define it)

// durableTypes are the binding types of Durable Functions.
var durableTypes = []string{
	bindingOrchestrationTrigger, bindingActivityTrigger, bindingEntityTrigger,
	bindingDurableClient, bindingOrchestrationClient,
}

// knownTypes are binding types of the Functions host and its common
// extensions (lower-cased): never reported as misspellings, however close
// to a durable type they are.
var knownTypes = map[string]bool{}

func init() {
	for _, t := range append([]string{
		"httpTrigger", "http", "timerTrigger", "queueTrigger", "queue", "blobTrigger", "blob",
		"table", "serviceBusTrigger", "serviceBus", "eventHubTrigger", "eventHub",
		"eventGridTrigger", "eventGrid", "cosmosDBTrigger", "cosmosDB", "documentDB",
		"signalRTrigger", "signalR", "signalRConnectionInfo", "signalRNegotiation",
		"sendGrid", "twilioSms", "notificationHub", "mobileTable", "manualTrigger",
		"kafkaTrigger", "kafka", "rabbitMQTrigger", "rabbitMQ", "sqlTrigger", "sql",
		"mysqlTrigger", "mysql", "webPubSubTrigger", "webPubSub", "webPubSubConnection",
		"daprBindingTrigger", "daprServiceInvocationTrigger", "daprTopicTrigger",
		"daprState", "daprInvoke", "daprPublish", "daprBinding", "daprSecret",
		"redisPubSubTrigger", "redisListTrigger", "redisStreamTrigger", "redis",
		"warmupTrigger", "mcpToolTrigger",
	}, durableTypes...) {
		knownTypes[strings.ToLower(t)] = true
	}
}

// misspeltDurableType returns the durable binding type that t is a
// misspelling of, if it is one.
func misspeltDurableType(t string) (string, bool) {
	lower := strings.ToLower(t)
	if knownTypes[lower] {
		return "", false
	}
	best, bestDist := "", -1
	for _, d := range durableTypes {
		dist := smetrics.WagnerFischer(lower, strings.ToLower(d), 1, 1, 1)
		if bestDist < 0 || dist < bestDist {
			best, bestDist = d, dist
		}
	}
	// Three edits make "orchestratorTrigger" of "orchestrationTrigger";
	// shorter names allow fewer.
	limit := 2
	if len(best) >= 12 {
		limit = 3
	}
	return best, bestDist <= limit
}
