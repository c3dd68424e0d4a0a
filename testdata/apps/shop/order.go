package main

import "github.com/contoso/shop/internal/pricing"

// StartRequest is what a client sends to start an order.
type StartRequest struct {
	Customer string `json:"customer"`
}

// OrderInput is the order ProcessOrder charges: Charge's input.
type OrderInput struct {
	Customer string `json:"customer"`
	Items    int    `json:"items"`
	Price    int    `json:"price"`
}

// score rates an order for review.
func (o OrderInput) score() int {
	return o.Items
}

// approvalLimit is the total above which an order needs approval.
const approvalLimit = 100

// surcharge is added to every order.
var surcharge = 10

// newOrder is the order a request places.
func newOrder(req StartRequest) OrderInput {
	return OrderInput{Customer: req.Customer, Items: 2, Price: 40}
}

// orderTotal is an order's total.
func orderTotal(in OrderInput) int {
	return in.Items*in.Price + surcharge
}

// needsApproval says whether an order needs approval.
func needsApproval(in OrderInput) bool {
	return orderTotal(in) > approvalLimit
}

// discounted says whether an order gets a discount.
func discounted(in OrderInput) bool {
	return pricing.Discount(orderTotal(in)) > 0
}

// Notifier tells the customer.
type Notifier interface {
	Notify() bool
}

type emailNotifier struct{}

// Notify says whether a receipt goes out.
func (emailNotifier) Notify() bool {
	return true
}

var notifier Notifier = emailNotifier{}
