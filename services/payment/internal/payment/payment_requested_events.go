package payment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/ids"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// minRemaining is the least time a PIX code must have left when created.
const minRemaining = time.Minute

// HandlePaymentRequested consumes order-payment-requested-event: it makes
// sure the order has its one payment, then tells the order service about it
// (payment-created, or payment-failed when the payment can never be made).
//
// Idempotent by business key alone: the payment id derives from the order
// id, Mercado Pago's idempotency key from the payment id, and the record is
// written only if absent. A new order costs two DynamoDB calls (GetItem,
// PutItem), a redelivery one (GetItem).
//
// The payment service publishes without an outbox, and this is why that
// holds. What it publishes is the payment as stored, so the stored record
// is already the durable "still to publish": every delivery publishes it
// again, and the request's message, deleted only once this returns nil, is
// what relays it. A delivery that dies between storing and publishing, or
// fails to publish, is delivered again and publishes what was lost; one
// after a publish sends a duplicate, which the order service acknowledges
// without effect (its status machine and its payment snapshots never apply
// a payment twice, nor go backwards). Webhooks hold the same way: an
// outcome is published also when the payment was already final, and a
// failed publish answers 5xx, so Mercado Pago notifies again. An outbox
// would cost every payment a transaction and a removal, and the payments
// table an index, to spare only those duplicates.
func (s *Payments) HandlePaymentRequested(ctx context.Context, env events.Envelope) error {
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
	return s.publishOutcome(ctx, p)
}

// publishOutcome tells the order service where a new payment stands: made
// (payment-created), or never to be made (payment-failed). A payment
// Mercado Pago settled before it was stored (a delivery that created it,
// then failed to store it and was retried while the customer paid) has its
// settlement published too: the webhooks that told of it may all have come
// while there was no record to settle, and nothing else would ever say so.
// The order service applies each of these once, however often it hears them.
func (s *Payments) publishOutcome(ctx context.Context, p Payment) error {
	if p.Status == StatusRejected && p.ProviderPaymentID == 0 {
		return s.publish(ctx, events.PaymentFailed, p, p.FailureReason)
	}
	if err := s.publish(ctx, events.PaymentCreated, p, ""); err != nil {
		return err
	}
	switch p.Status {
	case StatusApproved:
		return s.publish(ctx, events.PaymentCompleted, p, "")
	case StatusRejected, StatusCancelled:
		return s.publish(ctx, events.PaymentFailed, p, "settled at Mercado Pago before the payment was stored")
	}
	return nil
}

func validateRequest(req events.OrderPaymentRequestedPayload) (string, error) {
	id, err := ids.Parse(req.OrderID)
	switch {
	case err != nil:
		return "", fmt.Errorf("order_id %q is not a UUID", req.OrderID)
	case req.CustomerID == "":
		return "", errors.New("customer_id is required")
	case req.AmountCents <= 0:
		return "", fmt.Errorf("amount_cents must be positive, got %d", req.AmountCents)
	}
	return id, nil
}

// ensure returns the order's payment, creating it at Mercado Pago and
// storing it if it does not exist yet. Two deliveries racing here send the
// same idempotency key, get the same Mercado Pago payment, and only one
// conditional write wins; the other reads the winner's record.
//
// A payment Mercado Pago refuses for good (4xx) is stored REJECTED with the
// reason, so that the order is cancelled rather than left waiting. While
// Mercado Pago is unavailable the error is transient (the message is
// requeued, however many times) until Deadline after the order asked; then
// the payment is given up the same way. While DynamoDB is unavailable the
// error is transient too, with no deadline: nothing is given up for it.
func (s *Payments) ensure(ctx context.Context, req events.OrderPaymentRequestedPayload, requestedAt time.Time) (Payment, error) {
	id := IDForOrder(req.OrderID)
	p, err := s.store.Get(ctx, id)
	if err == nil || !errors.Is(err, ErrPaymentNotFound) {
		return p, storeFailure(err)
	}
	pix := s.pixRequest(req, requestedAt)
	mp, err := s.createAtProvider(ctx, pix)
	switch {
	case errors.Is(err, ErrProviderRejected):
		p = s.failedPayment(ctx, id, req, "mercado pago refused the payment: "+err.Error())
	case err != nil && s.pastDeadline(requestedAt):
		p = s.failedPayment(ctx, id, req, fmt.Sprintf("mercado pago unavailable for more than %s: %v", s.settings.Deadline, err))
	case err != nil:
		return Payment{}, queue.Transient(err)
	default:
		if mp.ExpiresAt.IsZero() {
			mp.ExpiresAt = pix.ExpiresAt
		}
		p = s.newPayment(ctx, id, req, mp)
	}
	err = s.store.Create(ctx, p)
	if errors.Is(err, ErrPaymentExists) {
		// Rare (two deliveries at once), so the winner is read back
		// rather than asked of every creation.
		p, err = s.store.Get(ctx, id)
		return p, storeFailure(err)
	}
	if err != nil {
		return Payment{}, storeFailure(err)
	}
	s.log.InfoContext(ctx, "payment created", "payment_id", id, "order_id", req.OrderID, "status", p.Status,
		"provider_payment_id", p.ProviderPaymentID, "amount", p.Amount.String(), "reason", p.FailureReason)
	return p, nil
}

// storeFailure is what a delivery returns when the payments table failed
// it. DynamoDB unreachable or failing for now is waited out
// (queue.Transient), however many deliveries that takes, as an outage of
// Mercado Pago is; any other error is returned as it is, for the queue's
// ordinary retries and, past them, the dead-letter queue.
func storeFailure(err error) error {
	if awsconf.Unavailable(err) {
		return queue.Transient(err)
	}
	return err
}

// pastDeadline reports whether an order that asked at requestedAt has
// waited for its payment longer than the deadline.
func (s *Payments) pastDeadline(requestedAt time.Time) bool {
	return !requestedAt.IsZero() && s.settings.Deadline > 0 && s.now().Sub(requestedAt) > s.settings.Deadline
}

// createAtProvider creates the PIX payment. If Mercado Pago refuses the
// idempotency key because an earlier delivery used it with another body
// (another expiry), that earlier payment is the order's: it is found by
// its external reference.
func (s *Payments) createAtProvider(ctx context.Context, pix PixRequest) (ProviderPayment, error) {
	mp, err := s.mp.CreatePix(ctx, pix)
	if errors.Is(err, ErrIdempotencyConflict) {
		s.log.WarnContext(ctx, "idempotency key reused with another body; adopting the existing payment",
			"order_id", pix.ExternalReference)
		return s.mp.FindByReference(ctx, pix.ExternalReference)
	}
	return mp, err
}

// pixRequest builds the creation. Its body is the same on every delivery
// of one request message (the expiry counts from the message's date, not
// from now) so that Mercado Pago's idempotency sees the same request;
// only a delivery too late for that falls back to now.
func (s *Payments) pixRequest(req events.OrderPaymentRequestedPayload, requestedAt time.Time) PixRequest {
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

// failedPayment is the record of a payment that could never be created:
// REJECTED, with no Mercado Pago payment and the reason.
func (s *Payments) failedPayment(ctx context.Context, id string, req events.OrderPaymentRequestedPayload, reason string) Payment {
	s.log.WarnContext(ctx, "payment given up; the order will be cancelled", "payment_id", id, "order_id", req.OrderID, "reason", reason)
	now := s.now().UTC()
	return Payment{
		ID: id, OrderID: req.OrderID, CustomerID: req.CustomerID, Status: StatusRejected,
		Amount: money.Cents(req.AmountCents), ExpiresAt: now, CreatedAt: now, UpdatedAt: now,
		CorrelationID: logging.CorrelationID(ctx), FailureReason: reason, Trace: telemetry.Carry(ctx),
	}
}

func (s *Payments) newPayment(ctx context.Context, id string, req events.OrderPaymentRequestedPayload, mp ProviderPayment) Payment {
	status, ok := statusFromProvider(mp.Status)
	if !ok {
		status = StatusPending
	}
	// An approval for another amount or currency than ours approves nothing.
	if status == StatusApproved && (mp.Amount != money.Cents(req.AmountCents) || mp.Currency != currencyBRL) {
		s.log.ErrorContext(ctx, "Mercado Pago approved another amount or currency; kept PENDING", "payment_id", id,
			"mp_amount", mp.Amount.String(), "currency", mp.Currency)
		status = StatusPending
	}
	now := s.now().UTC()
	return Payment{
		ID: id, OrderID: req.OrderID, CustomerID: req.CustomerID, Status: status,
		Amount: money.Cents(req.AmountCents), ProviderPaymentID: mp.ID,
		QRCode: mp.QRCode, QRCodeBase64: mp.QRCodeBase64, TicketURL: mp.TicketURL,
		ExpiresAt: mp.ExpiresAt, CreatedAt: now, UpdatedAt: now,
		CorrelationID: logging.CorrelationID(ctx), Trace: telemetry.Carry(ctx),
	}
}
