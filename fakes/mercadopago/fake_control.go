package mercadopago

import (
	"context"
	"fmt"
)

// Approve marks a payment awaiting its money (pending, in_process or
// authorized) paid (approved/accredited).
func (f *Fake) Approve(ctx context.Context, id int64) (Payment, error) {
	return f.move(ctx, id, approveTransition())
}

// Reject marks a payment still awaiting its money refused by the bank
// (rejected/rejected_by_bank).
func (f *Fake) Reject(ctx context.Context, id int64) (Payment, error) {
	return f.move(ctx, id, rejectTransition(DetailRejectedByBank))
}

// Expire cancels a pending payment as if its PIX code had run out
// (cancelled/expired).
func (f *Fake) Expire(ctx context.Context, id int64) (Payment, error) {
	return f.move(ctx, id, expireTransition())
}

// Cancel cancels a pending payment on the seller's behalf
// (cancelled/by_collector), as PUT /v1/payments/{id} does.
func (f *Fake) Cancel(ctx context.Context, id int64) (Payment, error) {
	return f.move(ctx, id, cancelTransition())
}

// Refund gives back all that remains of an approved payment's money, as a
// refund of its own (refunded/refunded); RefundAmount gives back part.
func (f *Fake) Refund(ctx context.Context, id int64) (Payment, error) {
	_, p, _, err := f.refund(ctx, id, refundOrder{whole: true}, "", "")
	return p, err
}

// Payment returns the payment in its current state.
func (f *Fake) Payment(id int64) (Payment, bool) {
	f.expireDue()
	return f.store.get(id)
}

// FindByExternalReference returns the newest payment with that
// external_reference.
func (f *Fake) FindByExternalReference(ref string) (Payment, bool) {
	found := f.paymentsWhere(func(p *Payment) bool { return p.ExternalReference == ref })
	if len(found) == 0 {
		return Payment{}, false
	}
	return found[len(found)-1], true
}

// Payments returns every payment, oldest first.
func (f *Fake) Payments() []Payment {
	return f.paymentsWhere(func(*Payment) bool { return true })
}

// Deliveries returns the webhook delivery log, one entry per attempt, in
// the order the attempts finished.
func (f *Fake) Deliveries() []Delivery {
	return f.webhooks.history()
}

func (f *Fake) paymentsWhere(keep func(*Payment) bool) []Payment {
	f.expireDue()
	return f.store.list(keep)
}

// move applies a transition; the store reports the change.
func (f *Fake) move(ctx context.Context, id int64, t transition) (Payment, error) {
	if err := ctx.Err(); err != nil {
		return Payment{}, fmt.Errorf("%s payment %d: %w", t.verb, id, err)
	}
	f.expireDue()
	return f.store.update(id, func(p *Payment) error { return t.apply(p, f.now()) })
}

// expireDue expires the payments the clock has passed, so that every read
// and every control call sees them cancelled.
func (f *Fake) expireDue() { f.store.expireDue(f.now()) }

// paymentChanged logs a creation or a state change, sends its webhook,
// schedules the auto-approval of a new payment and saves the state. It
// runs under the store's lock, so it never blocks.
func (f *Fake) paymentChanged(p Payment, action string) {
	f.log.Info(action, "payment_id", p.ID, "status", p.Status, "status_detail", p.StatusDetail,
		"external_reference", p.ExternalReference, "amount", p.TransactionAmount)
	f.webhooks.notify(p, action)
	if action == actionCreated {
		f.scheduleAutoApprove(p.ID)
	}
	f.changed()
}

// changed tells the state file writer there is something new to write.
func (f *Fake) changed() {
	if f.persist != nil {
		f.persist.changed()
	}
}
