package mercadopago

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// ErrInvalidAmount is returned for a refund of less than a cent, or of
// more than what remains of the payment.
var ErrInvalidAmount = errors.New("invalid refund amount")

// Refund is one refund of a payment, as /v1/payments/{id}/refunds and the
// payment's own refunds list show it.
type Refund struct {
	ID          int64        `json:"id"`
	PaymentID   int64        `json:"payment_id"`
	Amount      float64      `json:"amount"`
	Source      RefundSource `json:"source"`
	DateCreated Timestamp    `json:"date_created"`
	// UniqueSequenceNumber and Reason are always null here, as in Mercado
	// Pago's answers to a refund the seller asked for.
	UniqueSequenceNumber *string `json:"unique_sequence_number"`
	RefundMode           string  `json:"refund_mode"`
	AdjustmentAmount     float64 `json:"adjustment_amount"`
	Status               string  `json:"status"`
	Reason               *string `json:"reason"`
}

// RefundSource says who asked for a refund: here, always the seller.
type RefundSource struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// collectorName is the seller's name, as a refund's source shows it.
const collectorName = "Comanda Test Seller"

// refundOrder is what a refund asks for: amount, or (whole) all that
// remains of the payment.
type refundOrder struct {
	amount float64
	whole  bool
}

// give refunds p as the refund id at now, or says why it cannot. The
// money is counted in cents, so that partial refunds add up exactly: a
// refund that reaches the payment's amount makes it refunded/refunded (the
// refund transition), one short of it approved/partially_refunded.
func (o refundOrder) give(p *Payment, id int64, now time.Time) (Refund, error) {
	t := refundTransition()
	if !t.allows(p.Status) {
		return Refund{}, &transitionError{id: p.ID, status: p.Status, verb: t.verb}
	}
	total, refunded := cents(p.TransactionAmount), cents(p.TransactionAmountRefunded)
	amount := total - refunded
	if !o.whole {
		amount = cents(o.amount)
	}
	switch {
	case math.IsNaN(o.amount) || math.IsInf(o.amount, 0) || amount < 1:
		return Refund{}, &amountError{id: p.ID, reason: "a refund must be at least 0.01, got " + strconv.FormatFloat(o.amount, 'f', -1, 64)}
	case refunded+amount > total:
		return Refund{}, &amountError{id: p.ID, reason: fmt.Sprintf("%.2f remains to refund; it cannot refund %.2f", float64(total-refunded)/100, float64(amount)/100)}
	}
	r := Refund{
		ID:          id,
		PaymentID:   p.ID,
		Amount:      float64(amount) / 100,
		Source:      RefundSource{ID: strconv.FormatInt(collectorID, 10), Name: collectorName, Type: "collector"},
		DateCreated: newTimestamp(now),
		RefundMode:  "standard",
		Status:      StatusApproved,
	}
	p.Refunds = append(p.Refunds, r)
	if refunded+amount == total {
		return r, t.apply(p, now)
	}
	p.StatusDetail = DetailPartiallyRefunded
	p.TransactionAmountRefunded = float64(refunded+amount) / 100
	p.DateLastUpdated = newTimestamp(now)
	return r, nil
}

// cents is an amount in whole cents.
func cents(amount float64) int64 { return int64(math.Round(amount * 100)) }

// amountError says why a refund's amount does not fit its payment.
type amountError struct {
	id     int64
	reason string
}

func (e *amountError) Error() string { return fmt.Sprintf("payment %d: %s", e.id, e.reason) }

func (e *amountError) Is(target error) bool { return target == ErrInvalidAmount }

// RefundAmount gives amount (at least 0.01, at most what remains) of an
// approved payment's money back as a refund of its own. The payment stays
// approved/partially_refunded until all of it is back, then is
// refunded/refunded; each refund sends a payment.updated webhook.
func (f *Fake) RefundAmount(ctx context.Context, id int64, amount float64) (Payment, error) {
	_, p, _, err := f.refund(ctx, id, refundOrder{amount: amount}, "", "")
	return p, err
}

// Refunds returns a payment's refunds, oldest first, and whether the
// payment exists.
func (f *Fake) Refunds(id int64) ([]Refund, bool) {
	p, ok := f.Payment(id)
	return p.Refunds, ok
}

// refund runs order on a payment; key and fingerprint, unless key is "",
// dedupe it as X-Idempotency-Key does (created is false for a replay).
func (f *Fake) refund(ctx context.Context, id int64, order refundOrder, key, fingerprint string) (r Refund, p Payment, created bool, err error) {
	if err := ctx.Err(); err != nil {
		return Refund{}, Payment{}, false, fmt.Errorf("refund payment %d: %w", id, err)
	}
	f.expireDue()
	now := f.now()
	return f.store.refund(id, key, fingerprint, now, func(p *Payment, refundID int64) (Refund, error) {
		return order.give(p, refundID, now)
	})
}

// refund stores the refund give makes of payment id, unless key was seen
// within the ttl: then it returns the refund that key made (created is
// false), or errIdempotencyConflict if it came with another request.
// Refund ids come from the payments' sequence, so that no id is ever
// given twice, across resets and restarts alike.
func (s *paymentStore) refund(id int64, key, fingerprint string, now time.Time,
	give func(p *Payment, refundID int64) (Refund, error)) (r Refund, p Payment, created bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if key != "" {
		if r, p, found, err := s.replayRefundLocked(key, fingerprint, now); found || err != nil {
			return r, p, false, err
		}
	}
	stored, ok := s.byID[id]
	if !ok {
		return Refund{}, Payment{}, false, &notFoundError{id: id}
	}
	next := stored.clone()
	r, err = give(&next, s.nextID)
	if err != nil {
		return Refund{}, Payment{}, false, err
	}
	s.nextID++
	*stored = next
	s.track(stored)
	if key != "" {
		s.idempotency[key] = idempotencyRecord{Fingerprint: fingerprint, PaymentID: id, RefundID: r.ID, At: now}
	}
	s.changed(next.clone(), actionUpdated)
	return r, next.clone(), true, nil
}

// replayRefundLocked returns the refund key made, as replayLocked does a
// payment; a key that made a payment is a conflict.
func (s *paymentStore) replayRefundLocked(key, fingerprint string, now time.Time) (Refund, Payment, bool, error) {
	p, found, err := s.replayLocked(key, fingerprint, now)
	if !found || err != nil {
		return Refund{}, Payment{}, found, err
	}
	want := s.idempotency[key].RefundID
	for _, r := range p.Refunds {
		if r.ID == want {
			return r, p, true, nil
		}
	}
	return Refund{}, Payment{}, false, errIdempotencyConflict
}
