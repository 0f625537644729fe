package production

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
)

// eventPublisher sends one envelope to a base queue (queue.Publisher).
type eventPublisher interface {
	Publish(ctx context.Context, queue string, env events.Envelope) error
}

// progressAnnouncer publishes production-started and production-completed
// events to the order service.
//
// The record's update and the publish are not atomic: there is no outbox
// here yet. So the publish is retried a few times within the request, on a
// context the client cannot cancel by hanging up; if it still fails, the
// caller answers 503 publish_failed and the event is logged in full at error
// level so that it can be replayed by hand. A proper outbox replaces this.
type progressAnnouncer struct {
	pub      eventPublisher
	attempts int
	backoff  time.Duration // doubles after each failed attempt
	timeout  time.Duration // for all attempts together
	log      *slog.Logger
}

func newProgressAnnouncer(pub eventPublisher, log *slog.Logger) *progressAnnouncer {
	return &progressAnnouncer{pub: pub, attempts: 4, backoff: 100 * time.Millisecond, timeout: 5 * time.Second, log: log}
}

// announce publishes t's event for rec, retrying; it wraps ErrPublishFailed.
func (a *progressAnnouncer) announce(ctx context.Context, t Transition, rec Record) error {
	env, err := events.New(t.Event, events.ProductionService, events.OrderService, logging.CorrelationID(ctx),
		events.ProductionPayload{ProductionID: rec.ID, OrderID: rec.OrderID, Status: string(rec.Status), At: rec.UpdatedAt})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPublishFailed, err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.timeout)
	defer cancel()
	delay := a.backoff
	for attempt := 1; attempt <= a.attempts; attempt++ {
		if err = a.pub.Publish(ctx, events.OrderQueue, env); err == nil {
			return nil
		}
		a.log.WarnContext(ctx, "publish failed", "event_name", t.Event, "attempt", attempt, "err", err)
		if attempt == a.attempts || !sleep(ctx, delay) {
			break
		}
		delay *= 2
	}
	body, _ := env.Marshal()
	a.log.ErrorContext(ctx, "EVENT LOST: kitchen record moved but the order service was not told; replay this envelope to "+events.OrderQueue,
		"production_id", rec.ID, "order_id", rec.OrderID, "event_name", t.Event, "envelope", string(body), "err", err)
	return fmt.Errorf("%w: %s for %s: %w", ErrPublishFailed, t.Event, rec.ID, err)
}

// sleep waits d, or reports false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}
