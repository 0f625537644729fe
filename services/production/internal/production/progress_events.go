package production

import (
	"context"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/outbox"
)

// announcement is the Announce of rec's move along t: the
// production-started or production-completed event that tells the order
// service, in the flow of ctx's correlation id.
func announcement(ctx context.Context, t Transition) Announce {
	return func(rec Record) (outbox.Message, error) {
		env, err := events.New(t.Event, events.ProductionService, events.OrderService, logging.CorrelationID(ctx),
			events.ProductionPayload{ProductionID: rec.ID, OrderID: rec.OrderID, Status: string(rec.Status), At: rec.UpdatedAt})
		if err != nil {
			return outbox.Message{}, err
		}
		return outbox.NewMessage(events.OrderQueue, env)
	}
}
