package production

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
)

// eventPublisher sends encoded envelopes to a base queue (queue.Publisher).
type eventPublisher interface {
	PublishBodies(ctx context.Context, queue string, bodies [][]byte) error
}

// outboxStore is the kitchen outbox (kitchen_outbox.go).
type outboxStore interface {
	Waiting(ctx context.Context, limit int32) ([]announcement, error)
	Sent(ctx context.Context, eventID string) error
}

// progressAnnouncer publishes production-started and production-completed
// events to the order service, at least once. Each is written to the
// kitchen outbox in the same transaction as the move it announces
// (KitchenStore.Transition); the request publishes it at once and removes it,
// and Run relays whatever a failed publish or a crash left there: every
// interval, and a last time when the service stops.
type progressAnnouncer struct {
	store outboxStore
	pub   eventPublisher
	log   *slog.Logger
}

func newProgressAnnouncer(store outboxStore, pub eventPublisher, log *slog.Logger) *progressAnnouncer {
	return &progressAnnouncer{store: store, pub: pub, log: log.With("component", "outbox")}
}

// announcement builds the event that announces rec's move along t.
func (a *progressAnnouncer) announcement(ctx context.Context, t Transition) Announce {
	return func(rec Record) (events.Envelope, error) {
		return events.New(t.Event, events.ProductionService, events.OrderService, logging.CorrelationID(ctx),
			events.ProductionPayload{ProductionID: rec.ID, OrderID: rec.OrderID, Status: string(rec.Status), At: rec.UpdatedAt})
	}
}

// publish sends one announcement and takes it out of the outbox. A failure
// is only logged: the announcement stays in the outbox, for Run.
func (a *progressAnnouncer) publish(ctx context.Context, queue, eventID, name string, body []byte) {
	err := a.pub.PublishBodies(ctx, queue, [][]byte{body})
	if err == nil {
		a.log.InfoContext(ctx, "event published", "event_name", name, "event_id", eventID)
		err = a.store.Sent(ctx, eventID)
	}
	if err != nil {
		a.log.WarnContext(ctx, "announcement left in the outbox for the relay", "event_name", name, "event_id", eventID, "err", err)
	}
}

// publishNow publishes env, just written to the outbox, without waiting
// for the relay.
func (a *progressAnnouncer) publishNow(ctx context.Context, env events.Envelope) {
	body, err := env.Marshal()
	if err != nil {
		return // it was marshalled once already, into the outbox
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	a.publish(ctx, events.OrderQueue, env.Meta.EventID, env.Meta.EventName, body)
}

// Run relays the outbox every interval until ctx ends, then once more,
// within a deadline.
func (a *progressAnnouncer) Run(ctx context.Context, every time.Duration) error {
	tick := time.NewTicker(max(every, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			flush, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			a.relay(flush)
			return nil
		case <-tick.C:
			a.relay(ctx)
		}
	}
}

// relay publishes what waits in the outbox, oldest first.
func (a *progressAnnouncer) relay(ctx context.Context) {
	waiting, err := a.store.Waiting(ctx, outboxBatch)
	if err != nil {
		if ctx.Err() == nil {
			a.log.WarnContext(ctx, "outbox relay failed; will retry", "err", err)
		}
		return
	}
	for _, w := range waiting {
		a.publish(ctx, w.Queue, strings.TrimPrefix(w.ID, outboxID("")), w.EventName, []byte(w.Body))
	}
	if len(waiting) > 0 {
		a.log.InfoContext(ctx, "outbox relayed", "count", len(waiting))
	}
}
