// Package stock holds the stock-keeping functions of the shop: the
// reservation activities and the nightly audit.
package stock

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/microsoft/durabletask-go/task"
)

// Line is one product and quantity to reserve.
type Line struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// reservations holds the open reservations by ID.
var reservations = struct {
	sync.Mutex
	byID map[string][]Line
	next int
}{byID: map[string][]Line{}}

// ReserveStock reserves the lines of a cart and returns the reservation ID.
func ReserveStock(ctx task.ActivityContext) (any, error) {
	var lines []Line
	if err := ctx.GetInput(&lines); err != nil {
		return nil, err
	}
	skus := make([]string, 0, len(lines))
	for _, l := range lines {
		if l.Quantity <= 0 {
			return nil, fmt.Errorf("%s: cannot reserve %d units", l.SKU, l.Quantity)
		}
		skus = append(skus, l.SKU)
	}
	reservations.Lock()
	defer reservations.Unlock()
	reservations.next++
	id := fmt.Sprintf("rsv-%d-%s", reservations.next, strings.Join(skus, "+"))
	reservations.byID[id] = lines
	return id, nil
}

// Release gives back the stock of a reservation. It is registered as the
// ReleaseStock activity.
func Release(ctx task.ActivityContext) (any, error) {
	var id string
	if err := ctx.GetInput(&id); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, errors.New("no reservation to release")
	}
	reservations.Lock()
	defer reservations.Unlock()
	delete(reservations.byID, id)
	return id, nil
}
