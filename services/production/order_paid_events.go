package production

import (
	"context"
	"errors"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/queue"
)

// HandleOrderPaid turns an order-paid-event into the order's kitchen record.
// Idempotent twice over: the record id comes from the order id (one record
// per order), and the event's marker is written in the record's own
// transaction (one effect per event), so a redelivered or duplicated event
// finds them there and does nothing.
func (k *Kitchen) HandleOrderPaid(ctx context.Context, env events.Envelope) error {
	var p events.OrderPaidPayload
	if err := env.Decode(&p); err != nil {
		return err // wraps events.ErrMalformed: dead-lettered
	}
	rec, err := NewRecord(p, k.now())
	if err != nil {
		return queue.Permanent(err)
	}
	created, err := k.store.Create(ctx, rec, env.Meta.EventID)
	if errors.Is(err, ErrDuplicateEvent) {
		k.log.InfoContext(ctx, "duplicate event acknowledged", "order_id", rec.OrderID, "event_id", env.Meta.EventID)
		return nil
	}
	if err != nil {
		return err
	}
	if !created {
		k.log.InfoContext(ctx, "order already in the kitchen; duplicate event ignored",
			"order_id", rec.OrderID, "production_id", rec.ID, "event_id", env.Meta.EventID)
		return nil
	}
	k.log.InfoContext(ctx, "order received in the kitchen", "order_id", rec.OrderID, "production_id", rec.ID,
		"event_id", env.Meta.EventID)
	return nil
}
