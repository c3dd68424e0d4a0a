package workflows

import (
	"fmt"

	"github.com/microsoft/durabletask-go/task"
)

// ProcessOrder is the first version of the order workflow: validate, charge,
// record the decision, then fulfil in a sub-orchestration. Instances started
// before ProcessOrder_v2 shipped still run on it.
func ProcessOrder(ctx *task.OrchestrationContext) (any, error) {
	var order Order
	if err := ctx.GetInput(&order); err != nil {
		return nil, fmt.Errorf("reading the order: %w", err)
	}
	var problems []string
	if err := ctx.CallActivity(validateOrder, task.WithActivityInput(order)).Await(&problems); err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return Result{OrderID: order.ID, Status: "invalid"}, nil
	}
	var receipt Receipt
	charge := Charge{Card: order.Card, Amount: order.Total}
	if err := ctx.CallActivity(chargeCard, task.WithActivityInput(charge)).Await(&receipt); err != nil {
		return nil, err
	}
	decision := Decision{OrderID: order.ID, Approved: true, Reason: "charged"}
	if err := ctx.CallActivity(recordDecision, task.WithActivityInput(decision)).Await(nil); err != nil {
		return nil, err
	}
	var shipment Shipment
	if err := ctx.CallSubOrchestrator(fulfillOrder, task.WithSubOrchestratorInput(order)).Await(&shipment); err != nil {
		return nil, err
	}
	return Result{OrderID: order.ID, Status: "shipped", ChargeID: receipt.ChargeID, Tracking: shipment.Tracking}, nil
}

// ProcessOrder_v2 is the current order workflow. Large orders wait for a
// manager's approval before anything is charged, and cards are charged
// through the v2 payment API.
func ProcessOrder_v2(ctx *task.OrchestrationContext) (any, error) {
	var order Order
	if err := ctx.GetInput(&order); err != nil {
		return nil, fmt.Errorf("reading the order: %w", err)
	}
	var problems []string
	if err := ctx.CallActivity(validateOrder, task.WithActivityInput(order)).Await(&problems); err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return Result{OrderID: order.ID, Status: "invalid"}, nil
	}

	decision := Decision{OrderID: order.ID, Approved: true, Reason: "below approval threshold"}
	if order.Total >= approvalThreshold {
		var approved bool
		if err := ctx.WaitForSingleEvent(managerApprovalEvent, approvalTimeout).Await(&approved); err != nil {
			return nil, err
		}
		decision = Decision{OrderID: order.ID, Approved: approved, Reason: "manager"}
	}
	if err := ctx.CallActivity(recordDecision, task.WithActivityInput(decision)).Await(nil); err != nil {
		return nil, err
	}
	if !decision.Approved {
		return Result{OrderID: order.ID, Status: "rejected"}, nil
	}

	var receipt Receipt
	charge := ChargeV2{Card: order.Card, Amount: order.Total, Currency: order.Currency, IdempotencyKey: ctx.ID}
	if err := ctx.CallActivity(chargeCardV2, task.WithActivityInput(charge)).Await(&receipt); err != nil {
		return nil, err
	}
	var shipment Shipment
	fulfil := ctx.CallSubOrchestrator(fulfillOrder,
		task.WithSubOrchestratorInput(order),
		task.WithSubOrchestrationInstanceID(ctx.ID+"-fulfil"))
	if err := fulfil.Await(&shipment); err != nil {
		return nil, err
	}
	return Result{OrderID: order.ID, Status: "shipped", ChargeID: receipt.ChargeID, Tracking: shipment.Tracking}, nil
}
