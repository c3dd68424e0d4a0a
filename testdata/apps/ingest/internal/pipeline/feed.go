// Package pipeline ingests product feeds page by page: one eternal
// orchestration per feed, which fetches a page, stores its items, saves a
// checkpoint and continues as new with the next cursor.
//
// Versions 11 and 12 of the orchestrator and of FetchPage are deployed side
// by side: instances started on v11 finish on v11.
package pipeline

import (
	"time"

	"github.com/microsoft/durabletask-go/task"
)

// Durable names called by string.
const (
	storeActivity      = "Store"
	checkpointActivity = "Checkpoint" // the StoreCheckpoint function keeps this name
)

// shards is the number of Store calls a v12 page is spread over.
const shards = 3

// politeness is the pause v12 makes between two pages of a feed.
const politeness = 30 * time.Second

// FeedState is the input of IngestFeed: the feed and where to continue.
type FeedState struct {
	Feed   string `json:"feed"`
	Cursor string `json:"cursor"`
	Pages  int    `json:"pages"`
}

// Batch is the input of Store.
type Batch struct {
	Feed  string   `json:"feed"`
	Shard int      `json:"shard"`
	Items []string `json:"items"`
}

// Mark is the input of Checkpoint.
type Mark struct {
	Feed   string `json:"feed"`
	Cursor string `json:"cursor"`
	Stored int    `json:"stored"`
}

// Summary is the output of an IngestFeed instance that reached the feed's end.
type Summary struct {
	Feed  string `json:"feed"`
	Pages int    `json:"pages"`
}

// IngestFeed_v11 ingests one page per run: fetch, store the whole page,
// checkpoint, continue with the next page.
func IngestFeed_v11(ctx *task.OrchestrationContext) (any, error) {
	var st FeedState
	if err := ctx.GetInput(&st); err != nil {
		return nil, err
	}
	var page PageV11
	if err := ctx.CallActivity(FetchPage_v11, task.WithActivityInput(st)).Await(&page); err != nil {
		return nil, err
	}
	var stored int
	batch := Batch{Feed: st.Feed, Items: page.Items}
	if err := ctx.CallActivity(storeActivity, task.WithActivityInput(batch)).Await(&stored); err != nil {
		return nil, err
	}
	mark := Mark{Feed: st.Feed, Cursor: page.Next, Stored: stored}
	if err := ctx.CallActivity(checkpointActivity, task.WithActivityInput(mark)).Await(nil); err != nil {
		return nil, err
	}
	if page.Last {
		return Summary{Feed: st.Feed, Pages: st.Pages + 1}, nil
	}
	ctx.ContinueAsNew(FeedState{Feed: st.Feed, Cursor: page.Next, Pages: st.Pages + 1})
	return nil, nil
}

// IngestFeed_v12 fans each page out over several Store calls, then pauses
// between pages so the feed's server is not hammered.
func IngestFeed_v12(ctx *task.OrchestrationContext) (any, error) {
	var st FeedState
	if err := ctx.GetInput(&st); err != nil {
		return nil, err
	}
	var page PageV12
	if err := ctx.CallActivity(FetchPage_v12, task.WithActivityInput(st)).Await(&page); err != nil {
		return nil, err
	}

	// Fan out, then fan in: the Store calls run in parallel.
	pending := make([]task.Task, 0, shards)
	for shard := range shards {
		batch := Batch{Feed: st.Feed, Shard: shard, Items: page.shard(shard, shards)}
		pending = append(pending, ctx.CallActivity(storeActivity, task.WithActivityInput(batch)))
	}
	stored := 0
	for _, t := range pending {
		var n int
		if err := t.Await(&n); err != nil {
			return nil, err
		}
		stored += n
	}

	mark := Mark{Feed: st.Feed, Cursor: page.Next, Stored: stored}
	if err := ctx.CallActivity(checkpointActivity, task.WithActivityInput(mark)).Await(nil); err != nil {
		return nil, err
	}
	if page.Last {
		return Summary{Feed: st.Feed, Pages: st.Pages + 1}, nil
	}
	if err := ctx.CreateTimer(politeness).Await(nil); err != nil {
		return nil, err
	}
	ctx.ContinueAsNew(FeedState{Feed: st.Feed, Cursor: page.Next, Pages: st.Pages + 1})
	return nil, nil
}
