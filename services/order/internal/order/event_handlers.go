package order

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/ids"
	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/queue"
)

// eventHandlers are the consumer's handlers for the order-service queue.
func eventHandlers(s *Orders, log *slog.Logger) map[string]queue.HandlerFunc {
	h := &eventHandler{orders: s, log: log}
	return map[string]queue.HandlerFunc{
		events.PaymentCreated:      h.payment,
		events.PaymentCompleted:    h.payment,
		events.PaymentFailed:       h.payment,
		events.ProductionStarted:   h.kitchen(TriggerKitchenStarted),
		events.ProductionCompleted: h.kitchen(TriggerKitchenCompleted),
	}
}

type eventHandler struct {
	orders *Orders
	log    *slog.Logger
}

// payment applies a payment event, which only the payment service may send.
func (h *eventHandler) payment(ctx context.Context, env events.Envelope) error {
	var p events.PaymentPayload
	if err := env.Decode(&p); err != nil {
		return err
	}
	if err := checkOrderID(p.OrderID); err != nil {
		return err
	}
	if env.Meta.EventSource != events.PaymentService {
		err := &RejectedEventError{Reason: fmt.Sprintf("payment event from %q, not from %s", env.Meta.EventSource, events.PaymentService)}
		return h.outcome(ctx, env, err)
	}
	err := h.orders.ApplyPayment(ctx, env.Meta.EventID, p.OrderID, paymentSnapshot(p), money.Cents(p.AmountCents), p.Reason)
	return h.outcome(ctx, env, err)
}

func (h *eventHandler) kitchen(trigger Trigger) queue.HandlerFunc {
	return func(ctx context.Context, env events.Envelope) error {
		var p events.ProductionPayload
		if err := env.Decode(&p); err != nil {
			return err
		}
		if err := checkOrderID(p.OrderID); err != nil {
			return err
		}
		err := h.orders.ApplyKitchen(ctx, env.Meta.EventID, p.OrderID, trigger)
		return h.outcome(ctx, env, err)
	}
}

// outcome acknowledges duplicates, and dead-letters events about orders that
// do not exist (orders are stored before any event can name them, so no retry
// would find one), events whose content is invalid and events that cannot be
// true of their order (logged as a warning: someone may be forging them).
// A database that is down or restarting is waited for (queue.Transient),
// however long.
func (h *eventHandler) outcome(ctx context.Context, env events.Envelope, err error) error {
	var invalid *FieldError
	var rejected *RejectedEventError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errDuplicateEvent):
		h.log.InfoContext(ctx, "duplicate event acknowledged", "event_id", env.Meta.EventID, "event_name", env.Meta.EventName)
		return nil
	case errors.As(err, &rejected):
		h.log.WarnContext(ctx, "event rejected", "event_id", env.Meta.EventID, "event_name", env.Meta.EventName,
			"event_source", env.Meta.EventSource, "reason", rejected.Reason)
		return queue.Permanent(err)
	case errors.Is(err, ErrOrderNotFound), errors.As(err, &invalid):
		return queue.Permanent(err)
	case postgres.Unavailable(err):
		return queue.Transient(fmt.Errorf("apply %s: %w", env.Meta.EventName, err))
	default:
		return fmt.Errorf("apply %s: %w", env.Meta.EventName, err)
	}
}

func checkOrderID(id string) error {
	if !ids.Valid(id) {
		return queue.Permanent(fmt.Errorf("order_id %q is not a UUID", id))
	}
	return nil
}

func paymentSnapshot(p events.PaymentPayload) Payment {
	s := Payment{ID: p.PaymentID, Status: p.Status, QRCode: p.QRCode, QRCodeBase64: p.QRCodeBase64, TicketURL: p.TicketURL}
	if !p.ExpiresAt.IsZero() {
		t := p.ExpiresAt.UTC()
		s.ExpiresAt = &t
	}
	return s
}
