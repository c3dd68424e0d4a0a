// Package checkout holds the checkout orchestrators and the payment
// activities of the shop.
package checkout

import (
	"time"

	"github.com/microsoft/durabletask-go/task"
)

// Durable names this package calls by string. The registry in main
// registers the functions under the same names.
const (
	reserveStock     = "ReserveStock"
	releaseStock     = "ReleaseStock"
	authorizePayment = "AuthorizePayment"

	// paymentCaptured is raised by the payment provider's webhook.
	paymentCaptured = "PaymentCaptured"
)

// Cart is the input of Checkout.
type Cart struct {
	ID       string     `json:"id"`
	Customer string     `json:"customer"`
	Email    string     `json:"email"`
	Lines    []CartLine `json:"lines"`
}

// CartLine is one product in a cart.
type CartLine struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
	Price    int64  `json:"price"`
}

// Total returns the cart's total in cents.
func (c Cart) Total() int64 {
	var total int64
	for _, l := range c.Lines {
		total += int64(l.Quantity) * l.Price
	}
	return total
}

// PaymentRequest is the input of CollectPayment and AuthorizePayment.
type PaymentRequest struct {
	CartID string `json:"cartId"`
	Amount int64  `json:"amount"`
}

// PaymentResult is the output of CollectPayment.
type PaymentResult struct {
	AuthorizationID string `json:"authorizationId"`
	Failed          bool   `json:"failed"`
	Reason          string `json:"reason,omitempty"`
}

// Result is the output of Checkout.
type Result struct {
	CartID string `json:"cartId"`
	Status string `json:"status"`
}

// Checkout reserves the cart's stock, collects the payment in a
// sub-orchestration, and either sends the receipt or releases the stock.
func Checkout(ctx *task.OrchestrationContext) (any, error) {
	var cart Cart
	if err := ctx.GetInput(&cart); err != nil {
		return nil, err
	}
	var reservation string
	if err := ctx.CallActivity(reserveStock, task.WithActivityInput(cart.Lines)).Await(&reservation); err != nil {
		return nil, err
	}
	var payment PaymentResult
	req := PaymentRequest{CartID: cart.ID, Amount: cart.Total()}
	if err := ctx.CallSubOrchestrator(CollectPayment, task.WithSubOrchestratorInput(req)).Await(&payment); err != nil {
		return nil, err
	}
	if payment.Failed {
		if err := ctx.CallActivity(releaseStock, task.WithActivityInput(reservation)).Await(nil); err != nil {
			return nil, err
		}
		return Result{CartID: cart.ID, Status: "payment failed: " + payment.Reason}, nil
	}
	receipt := Receipt{CartID: cart.ID, Email: cart.Email, Amount: req.Amount, AuthorizationID: payment.AuthorizationID}
	if err := ctx.CallActivity(SendReceipt, task.WithActivityInput(receipt)).Await(nil); err != nil {
		return nil, err
	}
	return Result{CartID: cart.ID, Status: "paid"}, nil
}

// CollectPayment authorizes the payment, then waits up to half an hour for
// the provider to confirm its capture.
func CollectPayment(ctx *task.OrchestrationContext) (any, error) {
	var req PaymentRequest
	if err := ctx.GetInput(&req); err != nil {
		return nil, err
	}
	var auth Authorization
	if err := ctx.CallActivity(authorizePayment, task.WithActivityInput(req)).Await(&auth); err != nil {
		return nil, err
	}
	if auth.Declined {
		return PaymentResult{Failed: true, Reason: "declined"}, nil
	}
	var capture struct {
		Failed bool   `json:"failed"`
		Reason string `json:"reason"`
	}
	if err := ctx.WaitForSingleEvent(paymentCaptured, 30*time.Minute).Await(&capture); err != nil {
		return nil, err
	}
	return PaymentResult{AuthorizationID: auth.ID, Failed: capture.Failed, Reason: capture.Reason}, nil
}
