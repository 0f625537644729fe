package order

import (
	"fmt"
	"time"

	"github.com/comanda/comanda/services/platform/money"
)

// Payment statuses, as the payment service reports them.
const (
	PaymentPending   = "PENDING"
	PaymentApproved  = "APPROVED"
	PaymentRejected  = "REJECTED"
	PaymentCancelled = "CANCELLED"
)

// Payment is the order's copy of its payment as last reported: enough for
// the customer to pay (the PIX QR code) without asking the payment service.
type Payment struct {
	ID           string
	Status       string
	QRCode       string
	QRCodeBase64 string
	TicketURL    string
	ExpiresAt    *time.Time
}

// PaymentTrigger maps a reported payment status to the trigger it pulls. The
// status, not the event name, decides: every payment event carries the
// payment as it stands, so any one of them can bring the order up to date.
func PaymentTrigger(status string) (Trigger, error) {
	switch status {
	case PaymentPending:
		return TriggerPaymentCreated, nil
	case PaymentApproved:
		return TriggerPaymentApproved, nil
	case PaymentRejected, PaymentCancelled:
		return TriggerPaymentFailed, nil
	default:
		return "", invalid("status", "unknown payment status %q", status)
	}
}

// paymentStage orders snapshots: a pending payment can still change, a
// settled one (approved, rejected, cancelled) cannot.
func paymentStage(status string) int {
	if status == PaymentPending {
		return 1
	}
	return 2
}

// CheckPayment refuses a report about another payment than the one the
// order holds, or for another amount than the order's total: the payment
// service charges exactly the total, once per order, so either is a forgery
// or a bug, and neither may move the order.
func (o *Order) CheckPayment(p Payment, amount money.Cents) error {
	switch {
	case p.ID == "":
		return &RejectedEventError{Reason: "payment event without a payment id"}
	case o.Payment != nil && o.Payment.ID != p.ID:
		return &RejectedEventError{Reason: fmt.Sprintf("payment %s is not the order's payment %s", p.ID, o.Payment.ID)}
	case amount != o.Total:
		return &RejectedEventError{Reason: fmt.Sprintf("payment amount %s differs from the order's total %s", amount, o.Total)}
	}
	return nil
}

// RecordPayment keeps p as the order's payment unless it is older than the
// one held: a pending snapshot never replaces a settled one, a settled one
// never replaces another settled differently, and a different payment never
// replaces the order's first one. It reports whether the order changed.
func (o *Order) RecordPayment(p Payment) bool {
	cur := o.Payment
	if cur != nil {
		switch {
		case cur.same(p):
			return false
		case cur.ID != p.ID:
			return false
		case paymentStage(p.Status) < paymentStage(cur.Status):
			return false
		case paymentStage(cur.Status) == 2 && p.Status != cur.Status:
			return false
		}
	}
	o.Payment = &p
	return true
}

func (p Payment) same(q Payment) bool {
	pe, qe := p.ExpiresAt, q.ExpiresAt
	sameExpiry := (pe == nil && qe == nil) || (pe != nil && qe != nil && pe.Equal(*qe))
	p.ExpiresAt, q.ExpiresAt = nil, nil
	return p == q && sameExpiry
}
