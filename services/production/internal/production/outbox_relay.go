package production

import (
	"context"
	"time"
)

const (
	// relayAfter is progressAnnouncer.relayAfter in service: a request's
	// publish has given up by then (callTimeout), and its removal normally
	// took milliseconds, so the relay does not publish what a request is
	// publishing, yet a failed publish is retried within seconds.
	relayAfter = callTimeout
	// stopTimeout bounds the flush at stop: the removals, then the relay.
	stopTimeout = 5 * time.Second
)

// Run relays the outbox every interval until ctx ends. Each pass is one
// Query of the status index, which the emulator answers by reading the
// whole table, so the interval should be no faster than recovery needs: in
// normal work each request publishes its own announcement, and the relay
// only catches up after failures and crashes. When ctx ends, Run makes the
// removals queued and relays once more, within stopTimeout.
func (a *progressAnnouncer) Run(ctx context.Context, every time.Duration) error {
	tick := time.NewTicker(max(every, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			a.stop()
			return nil
		case now := <-tick.C:
			a.relay(ctx, now.Add(-a.relayAfter))
		}
	}
}

// stop makes the removals queued, then relays whatever is still in the
// outbox, however young: the requests have finished (the service stops the
// relay last), so it is what a publish failed to send. Past stopTimeout the
// removals are cancelled, and what they held stays in the outbox, to be
// published again by the next start.
func (a *progressAnnouncer) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	abort := context.AfterFunc(ctx, a.abortCalls)
	defer abort()
	a.removing.Close()
	a.relay(ctx, time.Now())
}

// relay publishes up to outboxBatch announcements written before before,
// oldest first, and removes from the outbox those SQS accepted.
func (a *progressAnnouncer) relay(ctx context.Context, before time.Time) {
	waiting, err := a.store.Waiting(ctx, before, outboxBatch)
	if err != nil {
		if ctx.Err() == nil {
			a.log.WarnContext(ctx, "outbox relay failed; will retry", "err", err)
		}
		return
	}
	if len(waiting) == 0 {
		return
	}
	batch := make([]pending, len(waiting))
	for i, w := range waiting {
		batch[i] = w.pending()
	}
	sent, err := a.publish(ctx, batch)
	if err != nil && ctx.Err() == nil {
		a.log.WarnContext(ctx, "outbox relay failed; will retry", "unsent", len(batch)-len(sent), "err", err)
	}
	if len(sent) == 0 {
		return
	}
	if err := a.store.Sent(ctx, sent); err != nil {
		a.log.WarnContext(ctx, "relayed announcements kept in the outbox; they will be published again", "err", err)
	}
	a.log.InfoContext(ctx, "outbox relayed", "count", len(sent))
}
