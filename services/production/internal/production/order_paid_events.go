package production

import (
	"context"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// HandleOrderPaid turns an order-paid-event into the order's kitchen record.
// Idempotent by business key: the record id comes from the order id, and the
// record is only created if absent (store.Create), so a redelivered or
// duplicated event finds it there and does nothing.
func (k *Kitchen) HandleOrderPaid(ctx context.Context, env events.Envelope) error {
	var p events.OrderPaidPayload
	if err := env.Decode(&p); err != nil {
		return err // wraps events.ErrMalformed: dead-lettered
	}
	rec, err := NewRecord(p, k.now())
	if err != nil {
		return queue.Permanent(err)
	}
	rec.Trace = telemetry.Carry(ctx)
	created, err := k.store.Create(ctx, rec)
	switch {
	case awsconf.Unavailable(err):
		// DynamoDB unreachable or failing for now: waited out however
		// long it takes, never dead-lettered for it.
		return queue.Transient(err)
	case err != nil:
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
