package production

import (
	"context"
	"log/slog"
	"time"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/batch"
	"github.com/comanda/comanda/services/platform/logging"
)

// eventPublisher sends encoded envelopes to a base queue (queue.Publisher).
type eventPublisher interface {
	PublishBodies(ctx context.Context, queue string, bodies [][]byte) error
}

// outboxStore is the kitchen outbox (kitchen_outbox.go).
type outboxStore interface {
	Waiting(ctx context.Context, before time.Time, limit int32) ([]announcement, error)
	Sent(ctx context.Context, eventIDs []string) error
}

const (
	// maxPublishBatch is how many messages SQS takes in one SendMessageBatch.
	maxPublishBatch = 10
	// removalLinger is how long a removal from the outbox waits for others
	// to share its BatchWriteItem. No one waits for a removal (the answer
	// has gone, the relay leaves announcements alone for relayAfter, a stop
	// makes the removals queued at once), so waiting costs nothing, whereas
	// taking only what queued while the previous call was in flight would
	// batch little: a call is short next to the gap between two removals
	// (1.7 ms even at 300 orders a second). With it, 100 orders a second
	// (200 removals) share a call about ten at a time, 300 orders a second
	// fill every call.
	removalLinger = 50 * time.Millisecond
	// removalCapacity bounds the removals waiting for a BatchWriteItem; one
	// that does not fit is left to the relay.
	removalCapacity = 4096
	// callTimeout bounds one call to SQS or DynamoDB made for a move.
	callTimeout = 5 * time.Second
)

// pending is an announcement on its way to SQS.
type pending struct {
	queue, eventID, name, correlationID string
	body                                []byte
}

// progressAnnouncer publishes production-started and production-completed
// events to the order service, at least once. Each is written to the
// kitchen outbox in the same transaction as the move it announces
// (store.Transition); the request then publishes it and queues its
// removal from the outbox, which a batcher makes for many announcements at
// a time (BatchWriteItem). Run relays whatever a failed publish, a lost
// removal or a crash left in the outbox (outbox_relay.go).
type progressAnnouncer struct {
	store outboxStore
	pub   eventPublisher
	log   *slog.Logger
	// relayAfter is how old an announcement must be before the relay takes
	// it over: a younger one may still be on its way, in this replica or
	// another, and relaying it too would publish it twice.
	relayAfter time.Duration

	removing *batch.Batcher[string] // event ids of published announcements
	// calls is the context of the removals, cancelled when a stop runs out
	// of time.
	calls      context.Context
	abortCalls context.CancelFunc
}

func newProgressAnnouncer(store outboxStore, pub eventPublisher, log *slog.Logger) *progressAnnouncer {
	a := &progressAnnouncer{store: store, pub: pub, log: log.With("component", "outbox"), relayAfter: relayAfter}
	a.calls, a.abortCalls = context.WithCancel(context.Background())
	a.removing = batch.New(batch.Config[string]{
		Max: batch.Limits{Items: maxBatchWrite}, Linger: removalLinger, Capacity: removalCapacity,
	}, a.removeSent)
	return a
}

// announcement builds the event that announces rec's move along t.
func (a *progressAnnouncer) announcement(ctx context.Context, t Transition) Announce {
	return func(rec Record) (events.Envelope, error) {
		return events.New(t.Event, events.ProductionService, events.OrderService, logging.CorrelationID(ctx),
			events.ProductionPayload{ProductionID: rec.ID, OrderID: rec.OrderID, Status: string(rec.Status), At: rec.UpdatedAt})
	}
}

// publishNow publishes env, just written to the outbox, without waiting for
// the relay, and queues its removal from the outbox. A failure is only
// logged: the announcement stays in the outbox, for the relay.
func (a *progressAnnouncer) publishNow(ctx context.Context, env events.Envelope) {
	body, err := env.Marshal()
	if err != nil {
		return // it was marshalled once already, into the outbox
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), callTimeout)
	defer cancel()
	p := pending{queue: events.OrderQueue, eventID: env.Meta.EventID, name: env.Meta.EventName,
		correlationID: env.Meta.CorrelationID, body: body}
	if _, err := a.publish(ctx, []pending{p}); err != nil {
		a.log.WarnContext(ctx, "announcement left in the outbox for the relay", "event_name", p.name, "event_id", p.eventID, "err", err)
		return
	}
	if !a.removing.TryAdd(p.eventID) {
		a.log.WarnContext(ctx, "published announcement kept in the outbox: removals are full or stopped; the relay will publish it again",
			"event_name", p.name, "event_id", p.eventID)
	}
}

// removeSent removes published announcements from the outbox, for the
// batcher. A removal lost here only means the relay publishes the
// announcement again, with the same event id, which the order service
// acknowledges as a duplicate (its processed_events).
func (a *progressAnnouncer) removeSent(eventIDs []string) {
	ctx, cancel := context.WithTimeout(a.calls, callTimeout)
	defer cancel()
	if err := a.store.Sent(ctx, eventIDs); err != nil {
		a.log.Warn("published announcements kept in the outbox; the relay will publish them again",
			"count", len(eventIDs), "err", err)
	}
}

// publish sends batch in order, up to maxPublishBatch to a call, and returns
// the event ids SQS accepted; it stops at the first failure.
func (a *progressAnnouncer) publish(ctx context.Context, batch []pending) ([]string, error) {
	sent := make([]string, 0, len(batch))
	for len(batch) > 0 {
		n := 1 // the leading run of one queue, at most maxPublishBatch long
		for n < min(len(batch), maxPublishBatch) && batch[n].queue == batch[0].queue {
			n++
		}
		call := batch[:n]
		batch = batch[n:]
		bodies := make([][]byte, len(call))
		for i, p := range call {
			bodies[i] = p.body
		}
		if err := a.pub.PublishBodies(ctx, call[0].queue, bodies); err != nil {
			return sent, err
		}
		for _, p := range call {
			a.log.InfoContext(logging.WithCorrelationID(ctx, p.correlationID), "event published",
				"event_name", p.name, "event_id", p.eventID)
			sent = append(sent, p.eventID)
		}
	}
	return sent, nil
}
