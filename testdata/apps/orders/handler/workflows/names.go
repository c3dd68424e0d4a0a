// Package workflows holds the durable functions of the orders app: the
// order-processing orchestrators, their activities and the client function
// that starts them.
package workflows

import "time"

// Names of the durable functions, as the function folders spell them. The
// orchestrators call each other and their activities by these names.
const (
	processOrder   = "ProcessOrder"
	fulfillOrder   = "FulfillOrder"
	validateOrder  = "ValidateOrder"
	chargeCard     = "ChargeCard"
	chargeCardV2   = "ChargeCard_v2"
	recordDecision = "RecordDecision"
	packShipment   = "PackShipment"
	notifyCustomer = "NotifyCustomer"
)

// Events and timings of the order workflow.
const (
	// managerApprovalEvent is raised by the back office on an order waiting
	// for a manager's approval.
	managerApprovalEvent = "ManagerApproval"
	// approvalTimeout is how long an order waits for that approval.
	approvalTimeout = 48 * time.Hour
	// approvalThreshold is the order total (in cents) from which ProcessOrder_v2 asks a manager.
	approvalThreshold = 100_000
	// pickupDelay is the wait between packing a parcel and the carrier's pickup.
	pickupDelay = 4 * time.Hour
)
