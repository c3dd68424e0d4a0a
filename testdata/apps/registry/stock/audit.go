package stock

import (
	"encoding/json"
	"log"
	"net/http"
)

// NightlyAudit serves the NightlyStockAudit timer function: it logs the
// reservations still open at night, which a finished checkout should have
// released or turned into a shipment.
func NightlyAudit(w http.ResponseWriter, r *http.Request) {
	var inv struct {
		Data struct {
			Timer struct {
				IsPastDue bool `json:"IsPastDue"`
			} `json:"timer"`
		}
	}
	_ = json.NewDecoder(r.Body).Decode(&inv)

	reservations.Lock()
	open := len(reservations.byID)
	reservations.Unlock()

	logs := []string{}
	if inv.Data.Timer.IsPastDue {
		logs = append(logs, "audit is running late")
	}
	log.Printf("stock audit: %d open reservations", open)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"Outputs":     map[string]any{},
		"Logs":        logs,
		"ReturnValue": open,
	})
}
