package payment

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
)

// errNotStoredYet: a final notification arrived for an order whose
// payment record is not written yet; Mercado Pago will retry it.
var errNotStoredYet = errors.New("payment record not stored yet")

// HandleNotification follows one Mercado Pago notification about payment
// providerID. Nothing in the notification is trusted: the payment is read
// back from the API, matched to our record by its external reference, and
// the record advanced. The final event is published also when the record
// was already in that state, so a publish that failed before is cured by
// Mercado Pago's retry. A nil error means "answer 200"; an error, "retry".
func (s *payments) HandleNotification(ctx context.Context, providerID int64) error {
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
	if !ok {
		log.WarnContext(ctx, "unknown Mercado Pago status; ignored")
		return nil
	}
	p, err := s.ours(ctx, mp, status, log)
	if err != nil || p.ID == "" {
		return err
	}
	return s.settle(ctx, p, mp, status, log)
}

// ours finds our record of mp. A zero Payment and nil error mean there is
// nothing to do: not our payment, or still pending before we stored it.
func (s *payments) ours(ctx context.Context, mp ProviderPayment, status Status, log *slog.Logger) (Payment, error) {
	orderID, err := uuid.Parse(mp.ExternalReference)
	if err != nil {
		log.WarnContext(ctx, "payment without an order reference is not ours; ignored")
		return Payment{}, nil
	}
	p, err := s.store.Get(ctx, IDForOrder(orderID.String()))
	switch {
	case errors.Is(err, ErrPaymentNotFound) && status == StatusPending:
		log.InfoContext(ctx, "pending payment not stored yet; the creation will publish it")
		return Payment{}, nil
	case errors.Is(err, ErrPaymentNotFound):
		log.WarnContext(ctx, "final notification before the payment was stored; asking for a retry")
		return Payment{}, fmt.Errorf("order %s: %w", orderID, errNotStoredYet)
	case err != nil:
		return Payment{}, err
	case p.ProviderPaymentID != mp.ID:
		log.WarnContext(ctx, "another Mercado Pago payment than the order's; ignored", "payment_id", p.ID,
			"order_provider_payment_id", p.ProviderPaymentID)
		return Payment{}, nil
	}
	return p, nil
}

// settle advances p to status and publishes the matching event.
func (s *payments) settle(ctx context.Context, p Payment, mp ProviderPayment, status Status, log *slog.Logger) error {
	if status == StatusPending {
		log.DebugContext(ctx, "payment still pending")
		return nil
	}
	if afterApproval(mp.Status) {
		log.WarnContext(ctx, "payment reversed after approval at Mercado Pago; kept APPROVED", "payment_id", p.ID)
	}
	changed := false
	if CanAdvance(p.Status, status) {
		var err error
		if p, changed, err = s.store.Advance(ctx, p.ID, status, s.now()); err != nil {
			return err
		}
	}
	if p.Status != status {
		log.WarnContext(ctx, "payment already final in another status; ignored", "payment_id", p.ID, "status", p.Status)
		return nil
	}
	if changed {
		log.InfoContext(ctx, "payment settled", "payment_id", p.ID, "status", p.Status)
	}
	if status == StatusApproved {
		return s.publish(ctx, events.PaymentCompleted, p, "")
	}
	return s.publish(ctx, events.PaymentFailed, p, mp.StatusDetail)
}
