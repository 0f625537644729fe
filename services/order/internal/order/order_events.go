package order

import (
	"context"
	"errors"
	"slices"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/money"
)

// ApplyPayment brings the order up to date with a payment event: it keeps the
// payment snapshot unless it is older than the one held, and moves the order
// by the trigger the payment's status pulls. A PAID order is sent to the
// kitchen in the same transaction; a CANCELLED one keeps reason (the
// payment service's word on why the payment failed).
//
// The event must be about the order's payment, for the order's total: a
// payment other than the one the order holds, or another amount, is a
// *RejectedEventError and changes nothing.
func (s *Orders) ApplyPayment(ctx context.Context, eventID, orderID string, p Payment, amount money.Cents, reason string) error {
	trigger, err := PaymentTrigger(p.Status)
	if err != nil {
		return err
	}
	if trigger == TriggerPaymentFailed && reason == "" {
		reason = "payment " + p.Status
	}
	return s.applyEvent(ctx, eventID, orderID, trigger, reason, func(o *Order) error {
		if err := o.CheckPayment(p, amount); err != nil {
			return err
		}
		if o.RecordPayment(p) {
			o.UpdatedAt = s.now()
			return nil
		}
		s.log.InfoContext(ctx, "older payment snapshot ignored", "order_id", orderID, "payment_id", p.ID, "payment_status", p.Status)
		return nil
	})
}

// ApplyKitchen moves the order as the kitchen reports progress.
func (s *Orders) ApplyKitchen(ctx context.Context, eventID, orderID string, trigger Trigger) error {
	return s.applyEvent(ctx, eventID, orderID, trigger, "", nil)
}

// applyEvent runs one event's effect exactly once: a trigger that does not
// fit the order's status is logged and acknowledged, without effect. The
// change is logged once committed, so that a log line is an effect.
func (s *Orders) applyEvent(ctx context.Context, eventID, orderID string, trigger Trigger, reason string, also func(*Order) error) error {
	moved := false
	var from Status
	var steps []Status // the statuses entered, in turn
	o, err := s.store.Update(ctx, orderID, eventID, func(o *Order) ([]Message, error) {
		if also != nil {
			if err := also(o); err != nil {
				return nil, err
			}
		}
		from = o.Status
		entered, err := o.Apply(trigger, s.now())
		if errors.Is(err, ErrInvalidTransition) {
			s.log.InfoContext(ctx, "event does not fit the order's status; status unchanged", "order_id", orderID,
				"event_id", eventID, "trigger", string(trigger), "status", string(from))
			return nil, nil
		}
		moved, steps = true, entered
		if o.Status == StatusCancelled {
			o.CancellationReason = reason
		}
		if !slices.Contains(entered, StatusPaid) {
			return nil, nil
		}
		msg, err := s.orderPaid(ctx, *o)
		return []Message{msg}, err
	})
	if err == nil && moved {
		s.metrics.moved(ctx, from, steps...)
		s.log.InfoContext(ctx, "order status changed", "order_id", orderID, "from", string(from), "to", string(o.Status),
			"event_id", eventID, "reason", o.CancellationReason)
		s.relay.Notify()
	}
	return err
}

func (s *Orders) orderPaid(ctx context.Context, o Order) (Message, error) {
	env, err := events.New(events.OrderPaid, events.OrderService, events.ProductionService, logging.CorrelationID(ctx),
		events.OrderPaidPayload{OrderID: o.ID, CustomerID: o.Customer.ID, CustomerName: o.Customer.Name,
			Items: eventItems(o.Items), PaidAt: o.UpdatedAt})
	return Message{Queue: events.ProductionQueue, Envelope: env.Traced(ctx)}, err
}
