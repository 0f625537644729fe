package payment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/queue"
)

// minRemaining is the least time a PIX code must have left when created.
const minRemaining = time.Minute

// HandlePaymentRequested consumes order-payment-requested-event: it makes
// sure the order has its one payment, then publishes payment-created. A
// redelivery finds the payment stored and only publishes again, with the
// payment as stored (its status may be final by then), which is harmless:
// the order service dedupes.
func (s *payments) HandlePaymentRequested(ctx context.Context, env events.Envelope) error {
	var req events.OrderPaymentRequestedPayload
	if err := env.Decode(&req); err != nil {
		return err
	}
	orderID, err := validateRequest(req)
	if err != nil {
		return queue.Permanent(err)
	}
	req.OrderID = orderID
	p, err := s.ensure(ctx, req, env.Meta.EventDate)
	if err != nil {
		return err
	}
	return s.publish(ctx, events.PaymentCreated, p, "")
}

func validateRequest(req events.OrderPaymentRequestedPayload) (string, error) {
	id, err := uuid.Parse(req.OrderID)
	switch {
	case err != nil || len(req.OrderID) != 36:
		return "", fmt.Errorf("order_id %q is not a UUID", req.OrderID)
	case req.CustomerID == "":
		return "", errors.New("customer_id is required")
	case req.AmountCents <= 0:
		return "", fmt.Errorf("amount_cents must be positive, got %d", req.AmountCents)
	}
	return id.String(), nil
}

// ensure returns the order's payment, creating it at Mercado Pago and
// storing it if it does not exist yet. Two deliveries racing here send the
// same idempotency key, get the same Mercado Pago payment, and only one
// conditional put wins; the other reads the winner's record.
func (s *payments) ensure(ctx context.Context, req events.OrderPaymentRequestedPayload, requestedAt time.Time) (Payment, error) {
	id := IDForOrder(req.OrderID)
	p, err := s.store.Get(ctx, id)
	if err == nil || !errors.Is(err, ErrPaymentNotFound) {
		return p, err
	}
	pix := s.pixRequest(req, requestedAt)
	mp, err := s.createAtProvider(ctx, pix)
	if err != nil {
		return Payment{}, err
	}
	if mp.ExpiresAt.IsZero() {
		mp.ExpiresAt = pix.ExpiresAt
	}
	p = s.newPayment(ctx, id, req, mp)
	err = s.store.Create(ctx, p)
	if errors.Is(err, ErrPaymentExists) {
		return s.store.Get(ctx, id)
	}
	if err != nil {
		return Payment{}, err
	}
	s.log.InfoContext(ctx, "payment created", "payment_id", id, "order_id", req.OrderID,
		"provider_payment_id", mp.ID, "amount", p.Amount.String())
	return p, nil
}

// createAtProvider creates the PIX payment. If Mercado Pago refuses the
// idempotency key because an earlier delivery used it with another body
// (another expiry), that earlier payment is the order's: it is found by
// its external reference. A validation error can never succeed.
func (s *payments) createAtProvider(ctx context.Context, pix PixRequest) (ProviderPayment, error) {
	mp, err := s.mp.CreatePix(ctx, pix)
	switch {
	case errors.Is(err, ErrIdempotencyConflict):
		s.log.WarnContext(ctx, "idempotency key reused with another body; adopting the existing payment",
			"order_id", pix.ExternalReference)
		return s.mp.FindByReference(ctx, pix.ExternalReference)
	case errors.Is(err, ErrProviderRejected):
		return ProviderPayment{}, queue.Permanent(err)
	}
	return mp, err
}

// pixRequest builds the creation. Its body is the same on every delivery
// of one request message (the expiry counts from the message's date, not
// from now) so that Mercado Pago's idempotency sees the same request;
// only a delivery too late for that falls back to now.
func (s *payments) pixRequest(req events.OrderPaymentRequestedPayload, requestedAt time.Time) PixRequest {
	now := s.now()
	expires := requestedAt.Truncate(time.Second).Add(s.settings.TTL)
	if requestedAt.IsZero() || expires.Before(now.Add(minRemaining)) {
		expires = now.Truncate(time.Second).Add(s.settings.TTL)
	}
	return PixRequest{
		IdempotencyKey:    IdempotencyKey(req.OrderID),
		Amount:            money.Cents(req.AmountCents),
		PayerEmail:        req.CustomerID + "@" + s.settings.PayerEmailDomain,
		Description:       "Comanda order " + req.OrderID[:8],
		ExternalReference: req.OrderID,
		NotificationURL:   s.settings.WebhookURL,
		ExpiresAt:         expires.UTC(),
		Metadata:          map[string]any{"order_id": req.OrderID, "payment_id": IDForOrder(req.OrderID)},
	}
}

func (s *payments) newPayment(ctx context.Context, id string, req events.OrderPaymentRequestedPayload, mp ProviderPayment) Payment {
	status, ok := statusFromProvider(mp.Status)
	if !ok {
		status = StatusPending
	}
	now := s.now().UTC()
	return Payment{
		ID: id, OrderID: req.OrderID, CustomerID: req.CustomerID, Status: status,
		Amount: money.Cents(req.AmountCents), ProviderPaymentID: mp.ID,
		QRCode: mp.QRCode, QRCodeBase64: mp.QRCodeBase64, TicketURL: mp.TicketURL,
		ExpiresAt: mp.ExpiresAt, CreatedAt: now, UpdatedAt: now,
		CorrelationID: logging.CorrelationID(ctx),
	}
}
