package mercadopago

import (
	"context"
	"fmt"
	"slices"
)

// RejectFor refuses a payment still awaiting its money for reason, one of
// RejectionDetails.
func (f *Fake) RejectFor(ctx context.Context, id int64, reason string) (Payment, error) {
	if !slices.Contains(RejectionDetails(), reason) {
		return Payment{}, fmt.Errorf("%w: %q is not a rejection detail (known: %v)", errBadControlRequest, reason, RejectionDetails())
	}
	return f.move(ctx, id, rejectTransition(reason))
}

// Process puts a pending payment under review (in_process/pending_review_manual):
// not paid yet, not refused either.
func (f *Fake) Process(ctx context.Context, id int64) (Payment, error) {
	return f.move(ctx, id, processTransition())
}

// Authorize marks a pending or in-process payment authorized and waiting
// for capture (authorized/pending_capture): still not paid.
func (f *Fake) Authorize(ctx context.Context, id int64) (Payment, error) {
	return f.move(ctx, id, authorizeTransition())
}

// Dispute opens a dispute on an approved payment (in_mediation): the
// payer claims the money back.
func (f *Fake) Dispute(ctx context.Context, id int64) (Payment, error) {
	return f.move(ctx, id, disputeTransition())
}

// ChargeBack takes an approved or disputed payment's money back
// (charged_back/settled).
func (f *Fake) ChargeBack(ctx context.Context, id int64) (Payment, error) {
	return f.move(ctx, id, chargeBackTransition())
}
