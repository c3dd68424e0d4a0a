package checkout

import (
	"fmt"
	"log"
	"os"

	"github.com/microsoft/durabletask-go/task"
)

// Authorization is the output of AuthorizePayment.
type Authorization struct {
	ID       string `json:"id"`
	Declined bool   `json:"declined"`
}

// Receipt is the input of SendReceipt.
type Receipt struct {
	CartID          string `json:"cartId"`
	Email           string `json:"email"`
	Amount          int64  `json:"amount"`
	AuthorizationID string `json:"authorizationId"`
}

// maxAmount is the largest payment authorized without a manual check.
const maxAmount = 500_000

// AuthorizePayment asks the payment provider to hold the amount.
func AuthorizePayment(ctx task.ActivityContext) (any, error) {
	var req PaymentRequest
	if err := ctx.GetInput(&req); err != nil {
		return nil, err
	}
	if req.Amount > maxAmount {
		return Authorization{Declined: true}, nil
	}
	return Authorization{ID: fmt.Sprintf("auth-%s-%d", req.CartID, req.Amount)}, nil
}

// SendReceipt mails the receipt of a paid cart.
func SendReceipt(ctx task.ActivityContext) (any, error) {
	var r Receipt
	if err := ctx.GetInput(&r); err != nil {
		return nil, err
	}
	from := os.Getenv("RECEIPT_SENDER")
	log.Printf("mail from %s to %s: receipt for cart %s, %d.%02d", from, r.Email, r.CartID, r.Amount/100, r.Amount%100)
	return "sent", nil
}
