package production

import (
	"context"

	"go.opentelemetry.io/otel/trace"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// announcement is the Announce of rec's move along t: the
// production-started or production-completed event that tells the order
// service, in the flow of ctx's correlation id.
//
// The announcement continues the trace the order reached the kitchen in,
// with a span linked to the employee's request (tracer's).
func announcement(ctx context.Context, t Transition, tracer trace.Tracer) Announce {
	return func(rec Record) (outbox.Message, error) {
		ctx, span := telemetry.Resume(ctx, tracer, rec.Trace, "announce "+t.Event)
		defer span.End()
		env, err := events.New(t.Event, events.ProductionService, events.OrderService, logging.CorrelationID(ctx),
			events.ProductionPayload{ProductionID: rec.ID, OrderID: rec.OrderID, Status: string(rec.Status), At: rec.UpdatedAt})
		if err != nil {
			return outbox.Message{}, err
		}
		return outbox.NewMessage(events.OrderQueue, env.Traced(ctx))
	}
}
