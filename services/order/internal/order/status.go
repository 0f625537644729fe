package order

import (
	"errors"
	"fmt"
	"slices"
)

// Status is where an order stands in its lifecycle.
type Status string

// The statuses, in lifecycle order.
const (
	StatusReceived        Status = "RECEIVED"
	StatusAwaitingPayment Status = "AWAITING_PAYMENT"
	StatusPaid            Status = "PAID"
	StatusInPreparation   Status = "IN_PREPARATION"
	StatusReady           Status = "READY"
	StatusDelivered       Status = "DELIVERED"
	StatusCancelled       Status = "CANCELLED"
)

// Statuses lists every status in lifecycle order; a status's position is its
// rank, which breaks ties between history entries reached at the same instant.
func Statuses() []Status {
	return []Status{StatusReceived, StatusAwaitingPayment, StatusPaid, StatusInPreparation,
		StatusReady, StatusDelivered, StatusCancelled}
}

// ParseStatus accepts exactly one of Statuses.
func ParseStatus(s string) (Status, error) {
	if !slices.Contains(Statuses(), Status(s)) {
		return "", fmt.Errorf("unknown status %q", s)
	}
	return Status(s), nil
}

func (s Status) rank() int { return slices.Index(Statuses(), s) }

// Trigger is what asks an order to move.
type Trigger string

// The triggers: events from the payment and production services, and the
// employee's hand-over at the counter.
const (
	TriggerPaymentCreated   Trigger = "payment created"
	TriggerPaymentApproved  Trigger = "payment approved"
	TriggerPaymentFailed    Trigger = "payment failed"
	TriggerKitchenStarted   Trigger = "kitchen started"
	TriggerKitchenCompleted Trigger = "kitchen completed"
	TriggerDelivered        Trigger = "delivered"
)

// ErrInvalidTransition is a trigger that does not fit the order's status.
var ErrInvalidTransition = errors.New("invalid transition")

// transition says that trigger, in status from, walks the order through path
// (each status entered, in order; the last is where it ends).
type transition struct {
	trigger Trigger
	from    Status
	path    []Status
}

// transitions is the status machine. Events may arrive late or out of order
// (SQS does not keep order), so a trigger may also be accepted one step early,
// walking through the status whose own event has not arrived yet: the history
// then records both statuses, and the late event no longer fits.
func transitions() []transition {
	return []transition{
		{TriggerPaymentCreated, StatusReceived, []Status{StatusAwaitingPayment}},
		{TriggerPaymentApproved, StatusAwaitingPayment, []Status{StatusPaid}},
		{TriggerPaymentApproved, StatusReceived, []Status{StatusAwaitingPayment, StatusPaid}},
		{TriggerPaymentFailed, StatusAwaitingPayment, []Status{StatusCancelled}},
		{TriggerPaymentFailed, StatusReceived, []Status{StatusAwaitingPayment, StatusCancelled}},
		{TriggerKitchenStarted, StatusPaid, []Status{StatusInPreparation}},
		{TriggerKitchenCompleted, StatusInPreparation, []Status{StatusReady}},
		{TriggerKitchenCompleted, StatusPaid, []Status{StatusInPreparation, StatusReady}},
		{TriggerDelivered, StatusReady, []Status{StatusDelivered}},
	}
}

// Next returns the statuses an order in from enters on trigger, oldest first;
// ErrInvalidTransition when the trigger does not fit.
func Next(from Status, trigger Trigger) ([]Status, error) {
	for _, t := range transitions() {
		if t.from == from && t.trigger == trigger {
			return slices.Clone(t.path), nil
		}
	}
	return nil, fmt.Errorf("%w: %s while %s", ErrInvalidTransition, trigger, from)
}
