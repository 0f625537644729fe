package payment

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/ids"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// errNotStoredYet: a final notification arrived for an order whose
// payment record is not written yet; Mercado Pago will retry it.
var errNotStoredYet = errors.New("payment record not stored yet")

// HandleNotification follows one Mercado Pago notification about payment
// providerID. Nothing in the notification is trusted: the payment is read
// back from the API, matched to our record by its external reference, and
// the record settled. The final event is published also when the record
// was already in that state, so a publish that failed before is cured by
// Mercado Pago's retry. A nil error means "answer 200"; an error, "retry".
//
// DynamoDB calls: none for a payment still pending (Mercado Pago notifies
// every creation), one conditional UpdateItem for a final one.
func (s *Payments) HandleNotification(ctx context.Context, providerID int64) error {
	log := s.log.With("provider_payment_id", providerID)
	mp, err := s.mp.Payment(ctx, providerID)
	if errors.Is(err, ErrProviderNotFound) {
		log.WarnContext(ctx, "notification for a payment Mercado Pago does not know; ignored")
		return nil
	}
	if err != nil {
		return err
	}
	log = log.With("order_id", mp.ExternalReference, "mp_status", mp.Status, "mp_status_detail", mp.StatusDetail)
	status, ok := statusFromProvider(mp.Status)
	switch {
	case !ok:
		log.WarnContext(ctx, "unknown Mercado Pago status; ignored")
		return nil
	case status == StatusPending && !isReversal(mp.Status):
		// Our record is written PENDING, and published, by the creation:
		// a pending payment has nothing to change, so it is not even read.
		log.DebugContext(ctx, "payment still pending; nothing to do")
		return nil
	}
	orderID, err := ids.Parse(mp.ExternalReference)
	if err != nil {
		log.WarnContext(ctx, "payment without an order reference is not ours; ignored")
		return nil
	}
	id := IDForOrder(orderID)
	switch {
	case isReversal(mp.Status):
		return s.reverse(ctx, id, mp, status, log)
	case isPartialRefund(mp):
		return s.partialRefund(ctx, id, mp, log)
	}
	return s.settle(ctx, id, mp, status, log)
}

// partialRefund follows part of an approved payment's money going back:
// the payment is settled APPROVED like any approval (so one whose
// approval never reached us is approved now), then the refund is recorded
// on it and logged.
func (s *Payments) partialRefund(ctx context.Context, id string, mp ProviderPayment, log *slog.Logger) error {
	if err := s.settle(ctx, id, mp, StatusApproved, log); err != nil {
		return err
	}
	recorded, err := s.store.RecordReversal(ctx, id, mp.ID, mpPartiallyRefunded, s.now())
	if err != nil {
		return err
	}
	if recorded {
		log.WarnContext(ctx, "approved payment reversed at Mercado Pago; recorded, kept APPROVED", "payment_id", id, "reversal", mpPartiallyRefunded)
	}
	return nil
}

// reverse follows money going back at Mercado Pago: on our APPROVED
// payment it is recorded and logged, the payment staying APPROVED; on a
// payment never approved here it is never an approval: refunded or
// charged back, the payment is cancelled; disputed, nothing changes.
func (s *Payments) reverse(ctx context.Context, id string, mp ProviderPayment, status Status, log *slog.Logger) error {
	recorded, err := s.store.RecordReversal(ctx, id, mp.ID, mp.Status, s.now())
	switch {
	case err != nil:
		return err
	case recorded:
		log.WarnContext(ctx, "approved payment reversed at Mercado Pago; recorded, kept APPROVED", "payment_id", id, "reversal", mp.Status)
		return nil
	case status == StatusPending:
		log.WarnContext(ctx, "dispute on a payment not approved here; nothing to change", "payment_id", id)
		return nil
	}
	log.WarnContext(ctx, "payment reversed before it was approved here; cancelling it", "payment_id", id)
	return s.settle(ctx, id, mp, status, log)
}

// settle moves payment id to the final status, if it still holds mp for
// the payment's amount in reais, and publishes the matching event whenever
// the record ends in that status.
func (s *Payments) settle(ctx context.Context, id string, mp ProviderPayment, status Status, log *slog.Logger) error {
	if status == StatusApproved && mp.Currency != currencyBRL {
		log.ErrorContext(ctx, "approved in another currency than ours; not settled", "payment_id", id, "currency", mp.Currency)
		return nil
	}
	p, changed, err := s.store.Settle(ctx, id, mp.ID, mp.Amount, status, s.now())
	switch {
	case errors.Is(err, ErrPaymentNotFound):
		log.WarnContext(ctx, "final notification before the payment was stored; asking for a retry")
		return fmt.Errorf("order %s: %w", mp.ExternalReference, errNotStoredYet)
	case err != nil:
		return err
	case p.ProviderPaymentID != mp.ID:
		log.WarnContext(ctx, "another Mercado Pago payment than the order's; ignored", "payment_id", p.ID,
			"order_provider_payment_id", p.ProviderPaymentID)
		return nil
	case p.Amount != mp.Amount:
		log.ErrorContext(ctx, "Mercado Pago reports another amount than the payment's; not settled", "payment_id", p.ID,
			"amount", p.Amount.String(), "mp_amount", mp.Amount.String())
		return nil
	case p.Status == StatusPending:
		// Still not settled (its creation keeps racing this notification):
		// never acknowledge that, or nothing would ever settle it.
		log.WarnContext(ctx, "payment not settled yet; asking for a retry", "payment_id", p.ID)
		return fmt.Errorf("order %s: %w", mp.ExternalReference, errNotStoredYet)
	case p.Status != status:
		log.WarnContext(ctx, "payment already final in another status; ignored", "payment_id", p.ID, "status", p.Status)
		return nil
	}
	// The settlement belongs to the order's flow: its span continues the
	// trace the payment was made in, linked to the notification's.
	ctx, span := telemetry.Resume(ctx, s.tracer, p.Trace, "settle payment")
	defer span.End()
	if changed {
		log.InfoContext(ctx, "payment settled", "payment_id", p.ID, "status", p.Status)
	}
	if status == StatusApproved {
		return s.publish(ctx, events.PaymentCompleted, p, "")
	}
	return s.publish(ctx, events.PaymentFailed, p, mp.StatusDetail)
}
