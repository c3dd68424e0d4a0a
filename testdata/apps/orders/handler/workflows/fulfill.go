package workflows

import "github.com/microsoft/durabletask-go/task"

// FulfillOrder packs an order, waits for the carrier's pickup window and
// tells the customer. Both versions of the order workflow run it as a
// sub-orchestration.
func FulfillOrder(ctx *task.OrchestrationContext) (any, error) {
	var order Order
	if err := ctx.GetInput(&order); err != nil {
		return nil, err
	}
	var tracking string
	if err := ctx.CallActivity(packShipment, task.WithActivityInput(order)).Await(&tracking); err != nil {
		return nil, err
	}
	if err := ctx.CreateTimer(pickupDelay).Await(nil); err != nil {
		return nil, err
	}
	note := map[string]string{"email": order.Email, "tracking": tracking}
	if err := ctx.CallActivity(notifyCustomer, task.WithActivityInput(note)).Await(nil); err != nil {
		return nil, err
	}
	return Shipment{OrderID: order.ID, Tracking: tracking}, nil
}
