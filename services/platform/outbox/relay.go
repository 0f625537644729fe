package outbox

import (
	"context"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/comanda/comanda/services/platform/batch"
	"github.com/comanda/comanda/services/platform/logging"
)

const (
	// PublishTimeout bounds PublishNow, and each removal of what it
	// published. Config.Settle must be at least this long where PublishNow
	// is used: by then a request's publish has given up or succeeded.
	PublishTimeout = 5 * time.Second
	// stopTimeout bounds the flush when Run stops: the removals, then a
	// last sweep of everything.
	stopTimeout = 5 * time.Second
	// sweepLimit bounds the messages one Sweep takes; a sweep that takes
	// that many sweeps again at once.
	sweepLimit = 100
	// minInterval is the shortest period between sweeps that are not woken.
	minInterval = 10 * time.Millisecond
)

// Removals of what PublishNow published wait for company: no one waits for
// them (the answer has gone, and the sweep leaves a message alone for
// Config.Settle), so lingering costs nothing, and it turns a removal per
// message into one call per removalBatch, DynamoDB's most per
// BatchWriteItem. A removal that does not fit in removalCapacity is left
// to the sweep, which publishes its message again.
const (
	removalBatch    = 25
	removalLinger   = 50 * time.Millisecond
	removalCapacity = 4096
)

// Config tunes a relay.
type Config struct {
	// Interval is how often the relay sweeps without being woken: the
	// bound on how late a message whose wake-up or publish was lost goes.
	Interval time.Duration
	// Settle is how old a message must be before a sweep takes it, but the
	// last one at stop. Zero takes every message at once; a service that
	// publishes with PublishNow sets it to at least PublishTimeout, so that
	// a sweep does not publish again what a request is still publishing.
	Settle time.Duration
}

// Relay publishes what waits in one store and removes it once its queue
// has accepted it. Several relays, in several replicas, may share a store.
type Relay struct {
	store Store
	pub   Publisher
	log   *slog.Logger
	cfg   Config
	wake  chan struct{}

	removals *batch.Batcher[string] // IDs of messages PublishNow published
	// removing is the context of the removals, cancelled when a stop runs
	// out of time.
	removing      context.Context
	abortRemovals context.CancelFunc
	measured      metric.Registration // the backlog gauges' (Measure), if any
}

// NewRelay returns a relay of store that publishes through pub; Run runs it.
func NewRelay(store Store, pub Publisher, cfg Config, log *slog.Logger) *Relay {
	r := &Relay{store: store, pub: pub, log: log.With("component", "outbox"), cfg: cfg, wake: make(chan struct{}, 1)}
	r.removing, r.abortRemovals = context.WithCancel(context.Background())
	r.removals = batch.New(batch.Config[string]{
		Max: batch.Limits{Items: removalBatch}, Linger: removalLinger, Capacity: removalCapacity,
	}, r.remove)
	return r
}

// Notify wakes the relay to sweep now; call it after committing a
// transaction that wrote messages. It never waits: wake-ups that come
// while one is pending make one sweep.
//
// It wakes this process's relay only. That is enough: the replica that
// commits is the one that wakes, and should it die before its relay
// publishes, every replica's next tick sweeps what it left.
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run sweeps every Config.Interval and whenever woken, until ctx ends.
// Then it makes the removals queued and sweeps once more, taking every
// message however young (the service stops its relay last, so no request
// is publishing any more), within stopTimeout. What a stop leaves is
// published by the next start.
func (r *Relay) Run(ctx context.Context) error {
	tick := time.NewTicker(max(r.cfg.Interval, minInterval))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			r.stop(ctx)
			return nil
		case <-r.wake:
		case <-tick.C:
		}
		r.drain(ctx, r.cfg.Settle)
	}
}

func (r *Relay) stop(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	stopRemovals := context.AfterFunc(ctx, r.abortRemovals)
	defer stopRemovals()
	r.removals.Close()
	r.drain(ctx, 0)
	if r.measured != nil {
		if err := r.measured.Unregister(); err != nil {
			r.log.Warn("outbox gauges not stopped", "err", err)
		}
	}
}

// drain sweeps until the store has nothing older than minAge or a sweep
// fails.
func (r *Relay) drain(ctx context.Context, minAge time.Duration) {
	for {
		n, err := r.store.Sweep(ctx, minAge, sweepLimit, r.publish)
		if err != nil {
			if ctx.Err() == nil {
				r.log.WarnContext(ctx, "outbox relay failed; will retry", "err", err)
			}
			return
		}
		if n < sweepLimit {
			return
		}
	}
}

// PublishNow publishes m, just committed to the store, without waiting for
// a sweep, and queues its removal from the store. It never fails: a message
// it could not publish stays in the store, and a sweep publishes it once
// it is Config.Settle old.
func (r *Relay) PublishNow(ctx context.Context, m Message) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), PublishTimeout)
	defer cancel()
	if _, err := r.publish(ctx, []Message{m}); err != nil {
		r.log.WarnContext(ctx, "message left in the outbox for the relay", "event_name", m.EventName, "event_id", m.EventID, "err", err)
		return
	}
	if !r.removals.TryAdd(m.ID) {
		r.log.WarnContext(ctx, "published message kept in the outbox: removals are full or stopped; the relay will publish it again",
			"event_name", m.EventName, "event_id", m.EventID)
	}
}

// remove removes published messages from the store, for the removals'
// batcher. A removal lost here only means a sweep publishes the message
// again, with the same event id.
func (r *Relay) remove(ids []string) {
	ctx, cancel := context.WithTimeout(r.removing, PublishTimeout)
	defer cancel()
	if err := r.store.Remove(ctx, ids); err != nil {
		r.log.Warn("published messages kept in the outbox; the relay will publish them again", "count", len(ids), "err", err)
	}
}

// publish sends msgs, one PublishBodies call per queue, each queue's in
// their order, and logs every message sent. It stops at the first failure
// and returns the IDs sent until then.
func (r *Relay) publish(ctx context.Context, msgs []Message) ([]string, error) {
	sent := make([]string, 0, len(msgs))
	for _, group := range byQueue(msgs) {
		bodies := make([][]byte, len(group))
		for i, m := range group {
			bodies[i] = m.Body
		}
		if err := r.pub.PublishBodies(ctx, group[0].Queue, bodies); err != nil {
			return sent, err
		}
		for _, m := range group {
			r.log.InfoContext(logging.WithCorrelationID(ctx, m.CorrelationID), "event published",
				"event_name", m.EventName, "event_id", m.EventID, "queue", m.Queue)
			sent = append(sent, m.ID)
		}
	}
	return sent, nil
}

// byQueue groups msgs by queue, in order of each queue's first message,
// keeping the order of each queue's messages.
func byQueue(msgs []Message) [][]Message {
	var groups [][]Message
next:
	for _, m := range msgs {
		for i, g := range groups {
			if g[0].Queue == m.Queue {
				groups[i] = append(g, m)
				continue next
			}
		}
		groups = append(groups, []Message{m})
	}
	return groups
}
