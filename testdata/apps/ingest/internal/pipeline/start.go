package pipeline

import (
	"encoding/json"
	"net/http"
	"os"

	"github.com/microsoft/durabletask-go/client"
)

// currentVersion is the orchestrator version new feeds start on when the
// INGEST_VERSION app setting is not set.
const currentVersion = "12"

// StartIngest is the client function behind POST /api/StartIngest?feed=URL.
// The host proxies the caller's request to it (enableProxyingHttpRequest),
// so it reads and answers plain HTTP. It starts IngestFeed_v<INGEST_VERSION>.
func StartIngest(w http.ResponseWriter, r *http.Request) {
	c, err := client.FromRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	feed := r.URL.Query().Get("feed")
	if feed == "" {
		feed = os.Getenv("INGEST_FEED_URL")
	}
	if feed == "" {
		http.Error(w, "no feed given", http.StatusBadRequest)
		return
	}

	version := os.Getenv("INGEST_VERSION")
	if version == "" {
		version = currentVersion
	}
	name := "IngestFeed_v" + version
	id, err := c.ScheduleNewOrchestration(r.Context(), name, client.WithInput(FeedState{Feed: feed}))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_ = json.NewEncoder(w).Encode(map[string]string{"id": id, "orchestrator": name, "feed": feed})
}
