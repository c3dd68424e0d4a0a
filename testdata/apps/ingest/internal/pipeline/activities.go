package pipeline

import (
	"fmt"
	"hash/fnv"
	"log"
	"os"
	"strconv"
	"time"

	"github.com/microsoft/durabletask-go/task"
)

// pageSize is the number of items in a page of the simulated feed.
const pageSize = 4

// lastPage is the number of pages of the simulated feed.
const lastPage = 3

// PageV11 is the output of FetchPage_v11.
type PageV11 struct {
	Items []string `json:"items"`
	Next  string   `json:"next"`
	Last  bool     `json:"last"`
}

// PageV12 is the output of FetchPage_v12: v12 pages also carry when each
// item last changed.
type PageV12 struct {
	Items   []string    `json:"items"`
	Changed []time.Time `json:"changed"`
	Next    string      `json:"next"`
	Last    bool        `json:"last"`
}

// shard returns the items of p that belong to shard i of n.
func (p PageV12) shard(i, n int) []string {
	var out []string
	for _, item := range p.Items {
		h := fnv.New32a()
		h.Write([]byte(item))
		if int(h.Sum32()%uint32(n)) == i {
			out = append(out, item)
		}
	}
	return out
}

// page returns the item IDs of page number n of feed.
func page(feed string, n int) []string {
	items := make([]string, pageSize)
	for i := range items {
		items[i] = fmt.Sprintf("%s#%d", feed, n*pageSize+i)
	}
	return items
}

// cursorPage returns the page number a cursor points at.
func cursorPage(cursor string) (int, error) {
	if cursor == "" {
		return 0, nil
	}
	return strconv.Atoi(cursor)
}

// FetchPage_v11 fetches the page of the feed at the state's cursor.
func FetchPage_v11(ctx task.ActivityContext) (any, error) {
	var st FeedState
	if err := ctx.GetInput(&st); err != nil {
		return nil, err
	}
	n, err := cursorPage(st.Cursor)
	if err != nil {
		return nil, fmt.Errorf("bad cursor %q: %w", st.Cursor, err)
	}
	return PageV11{Items: page(st.Feed, n), Next: strconv.Itoa(n + 1), Last: n+1 >= lastPage}, nil
}

// FetchPage_v12 fetches the page of the feed at the state's cursor, with the
// time each item last changed.
func FetchPage_v12(ctx task.ActivityContext) (any, error) {
	var st FeedState
	if err := ctx.GetInput(&st); err != nil {
		return nil, err
	}
	n, err := cursorPage(st.Cursor)
	if err != nil {
		return nil, fmt.Errorf("bad cursor %q: %w", st.Cursor, err)
	}
	items := page(st.Feed, n)
	changed := make([]time.Time, len(items))
	for i := range changed {
		changed[i] = time.Date(2025, 1, 1, 0, 0, n*pageSize+i, 0, time.UTC)
	}
	return PageV12{Items: items, Changed: changed, Next: strconv.Itoa(n + 1), Last: n+1 >= lastPage}, nil
}

// Store writes a batch of items in the format named by the
// STORE_SCHEMA_VERSION app setting and returns how many it wrote.
func Store(ctx task.ActivityContext) (any, error) {
	var b Batch
	if err := ctx.GetInput(&b); err != nil {
		return nil, err
	}
	schema := os.Getenv("STORE_SCHEMA_VERSION")
	if schema == "" {
		schema = "1"
	}
	log.Printf("store %s shard %d: %d items (schema %s)", b.Feed, b.Shard, len(b.Items), schema)
	return len(b.Items), nil
}

// Checkpoint saves how far a feed has been ingested. Its function folder is
// StoreCheckpoint; the activity keeps its durable name through the
// function.json "activity" property so that running instances still find it.
func Checkpoint(ctx task.ActivityContext) (any, error) {
	var m Mark
	if err := ctx.GetInput(&m); err != nil {
		return nil, err
	}
	log.Printf("checkpoint %s at %q after %d items", m.Feed, m.Cursor, m.Stored)
	return m.Cursor, nil
}
