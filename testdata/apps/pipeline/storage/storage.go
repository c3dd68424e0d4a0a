// Package storage decides where a pipeline run's output is stored.
package storage

// The activities that store a run's output.
const (
	StoreHot  = "StoreHot"
	StoreCold = "StoreCold"
)

// Target names the activity that stores the output of a feed: the feeds
// read every day go to hot storage, the others to cold storage.
func Target(feed string) string {
	if feed == "products" {
		return StoreHot
	}
	return StoreCold
}
