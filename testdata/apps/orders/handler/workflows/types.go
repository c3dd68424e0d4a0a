package workflows

// Order is the input of ProcessOrder and ProcessOrder_v2.
type Order struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Email    string `json:"email"`
	Card     string `json:"card"`
	Currency string `json:"currency"`
	Total    int64  `json:"total"`
	Items    []Item `json:"items"`
}

// Item is one line of an order.
type Item struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// Charge is the input of ChargeCard.
type Charge struct {
	Card   string `json:"card"`
	Amount int64  `json:"amount"`
}

// ChargeV2 is the input of ChargeCard_v2: the v2 payment API wants a
// currency and an idempotency key.
type ChargeV2 struct {
	Card           string `json:"card"`
	Amount         int64  `json:"amount"`
	Currency       string `json:"currency"`
	IdempotencyKey string `json:"idempotencyKey"`
}

// Receipt is the result of a charge.
type Receipt struct {
	ChargeID string `json:"chargeId"`
	Amount   int64  `json:"amount"`
}

// Decision records whether an order goes ahead, and why.
type Decision struct {
	OrderID  string `json:"orderId"`
	Approved bool   `json:"approved"`
	Reason   string `json:"reason"`
}

// Shipment is the result of FulfillOrder.
type Shipment struct {
	OrderID  string `json:"orderId"`
	Tracking string `json:"tracking"`
}

// Result is the output of the order orchestrators.
type Result struct {
	OrderID  string `json:"orderId"`
	Status   string `json:"status"`
	ChargeID string `json:"chargeId,omitempty"`
	Tracking string `json:"tracking,omitempty"`
}
