package workflows

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/microsoft/durabletask-go/task"
)

// ValidateOrder checks an order and returns the list of its problems.
func ValidateOrder(ctx task.ActivityContext) (any, error) {
	var order Order
	if err := ctx.GetInput(&order); err != nil {
		return nil, err
	}
	problems := []string{}
	if order.ID == "" {
		problems = append(problems, "missing order id")
	}
	if len(order.Items) == 0 {
		problems = append(problems, "no items")
	}
	for _, it := range order.Items {
		if it.Quantity <= 0 {
			problems = append(problems, fmt.Sprintf("%s: quantity %d", it.SKU, it.Quantity))
		}
	}
	return problems, nil
}

// ChargeCard charges a card through the v1 payment API.
func ChargeCard(ctx task.ActivityContext) (any, error) {
	var charge Charge
	if err := ctx.GetInput(&charge); err != nil {
		return nil, err
	}
	if charge.Amount <= 0 {
		return nil, errors.New("nothing to charge")
	}
	return Receipt{ChargeID: chargeID("v1", charge.Card, charge.Amount), Amount: charge.Amount}, nil
}

// ChargeCard_v2 charges a card through the v2 payment API, which takes a
// currency and deduplicates retries by idempotency key.
func ChargeCard_v2(ctx task.ActivityContext) (any, error) {
	var charge ChargeV2
	if err := ctx.GetInput(&charge); err != nil {
		return nil, err
	}
	if charge.Amount <= 0 {
		return nil, errors.New("nothing to charge")
	}
	currency := strings.ToUpper(charge.Currency)
	if currency == "" {
		currency = "EUR"
	}
	id := chargeID("v2", charge.IdempotencyKey, charge.Amount)
	return Receipt{ChargeID: currency + "-" + id, Amount: charge.Amount}, nil
}

// RecordDecision writes an order decision to the audit log.
func RecordDecision(ctx task.ActivityContext) (any, error) {
	var d Decision
	if err := ctx.GetInput(&d); err != nil {
		return nil, err
	}
	log.Printf("order %s: approved=%t (%s)", d.OrderID, d.Approved, d.Reason)
	return nil, nil
}

// PackShipment books a parcel for an order and returns its tracking number.
func PackShipment(ctx task.ActivityContext) (any, error) {
	var order Order
	if err := ctx.GetInput(&order); err != nil {
		return nil, err
	}
	return "TRK-" + chargeID("parcel", order.ID, int64(len(order.Items))), nil
}

// NotifyCustomer mails the tracking number to the customer.
func NotifyCustomer(ctx task.ActivityContext) (any, error) {
	var note map[string]string
	if err := ctx.GetInput(&note); err != nil {
		return nil, err
	}
	log.Printf("mail to %s: your parcel %s is on its way", note["email"], note["tracking"])
	return nil, nil
}

// chargeID derives a stable identifier from its parts.
func chargeID(parts ...any) string {
	sum := sha256.Sum256([]byte(fmt.Sprint(parts...)))
	return hex.EncodeToString(sum[:6])
}
