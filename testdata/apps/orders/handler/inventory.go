package main

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/contoso/orders/handler/workflows"
)

// entityOperation is one operation of the batch the host sends an entity.
type entityOperation struct {
	Name  string `json:"name"`
	Input int    `json:"input"`
}

// entityBatch is the entityTrigger binding's value: the entity's identity,
// its current state and the operations to apply.
type entityBatch struct {
	Self struct {
		Name string `json:"name"`
		Key  string `json:"key"`
	} `json:"self"`
	State *int              `json:"state"`
	Batch []entityOperation `json:"batch"`
}

// inventoryEntity serves the Inventory entity: one instance per SKU, whose
// state is the number of units on hand. Operations: "add" and "remove" (by
// a quantity) and "get".
func inventoryEntity(w http.ResponseWriter, r *http.Request) {
	var inv workflows.InvokeRequest
	if err := json.NewDecoder(r.Body).Decode(&inv); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var batch entityBatch
	if raw, ok := inv.Data["context"]; ok {
		if err := json.Unmarshal(raw, &batch); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	units := 0
	if batch.State != nil {
		units = *batch.State
	}
	results := make([]any, 0, len(batch.Batch))
	for _, op := range batch.Batch {
		switch op.Name {
		case "add":
			units += op.Input
			results = append(results, units)
		case "remove":
			if op.Input > units {
				results = append(results, fmt.Sprintf("only %d units of %s left", units, batch.Self.Key))
				continue
			}
			units -= op.Input
			results = append(results, units)
		case "get":
			results = append(results, units)
		default:
			results = append(results, "unknown operation "+op.Name)
		}
	}
	workflows.WriteInvokeResponse(w, workflows.InvokeResponse{
		ReturnValue: map[string]any{"state": units, "results": results},
	})
}
