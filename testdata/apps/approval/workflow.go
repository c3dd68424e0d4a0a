package main

import (
	"time"

	"github.com/microsoft/durabletask-go/task"
)

// approvalEvent is the external event that carries an approver's answer.
const approvalEvent = "ApprovalResponse"

// ApprovalRequest is the input of ApprovalWorkflow and Escalation.
type ApprovalRequest struct {
	ID        string `json:"id"`
	Subject   string `json:"subject"`
	Requester string `json:"requester"`
	Approver  string `json:"approver"`
	Manager   string `json:"manager"`
	Amount    int64  `json:"amount"`
}

// Notice is the input of NotifyApprover.
type Notice struct {
	To        string `json:"to"`
	RequestID string `json:"requestId"`
	Subject   string `json:"subject"`
	Escalated bool   `json:"escalated"`
}

// Answer is the payload of the ApprovalResponse event.
type Answer struct {
	Approved bool   `json:"approved"`
	By       string `json:"by"`
	Comment  string `json:"comment"`
}

// ApprovalWorkflow asks the approver for a decision, escalates to the
// requester's manager when nobody answers within three days, and records the
// outcome.
func ApprovalWorkflow(ctx *task.OrchestrationContext) (any, error) {
	var req ApprovalRequest
	if err := ctx.GetInput(&req); err != nil {
		return nil, err
	}
	notice := Notice{To: req.Approver, RequestID: req.ID, Subject: req.Subject}
	if err := ctx.CallActivity("NotifyApprover", task.WithActivityInput(notice)).Await(nil); err != nil {
		return nil, err
	}
	var answer Answer
	if err := ctx.WaitForSingleEvent(approvalEvent, 72*time.Hour).Await(&answer); err != nil {
		return nil, err
	}
	if answer.By == "" {
		escalation := ctx.CallSubOrchestrator(Escalation,
			task.WithSubOrchestratorInput(req),
			task.WithSubOrchestrationInstanceID(ctx.ID+"-escalation"))
		if err := escalation.Await(&answer); err != nil {
			return nil, err
		}
	}

	decision := Decision{RequestID: req.ID, By: answer.By, Comment: answer.Comment}
	var outcome Outcome
	var err error
	if answer.Approved {
		err = ctx.CallActivity("Approve", task.WithActivityInput(decision)).Await(&outcome)
	} else {
		err = ctx.CallActivity("Reject", task.WithActivityInput(decision)).Await(&outcome)
	}
	if err != nil {
		return nil, err
	}
	return outcome, nil
}

// Escalation gives the approver a grace period, then sends the request to the
// requester's manager and waits a day for the answer. Its function folder is
// EscalationFlow, whose binding names the orchestration "Escalation".
func Escalation(ctx *task.OrchestrationContext) (any, error) {
	var req ApprovalRequest
	if err := ctx.GetInput(&req); err != nil {
		return nil, err
	}
	if err := ctx.CreateTimer(6 * time.Hour).Await(nil); err != nil {
		return nil, err
	}
	notice := Notice{To: req.Manager, RequestID: req.ID, Subject: req.Subject, Escalated: true}
	if err := ctx.CallActivity("NotifyApprover", task.WithActivityInput(notice)).Await(nil); err != nil {
		return nil, err
	}
	var answer Answer
	if err := ctx.WaitForSingleEvent(approvalEvent, 24*time.Hour).Await(&answer); err != nil {
		return nil, err
	}
	if answer.By == "" {
		answer = Answer{Approved: false, By: "escalation", Comment: "no answer from " + req.Manager}
	}
	return answer, nil
}
