package production

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/comanda/comanda/services/events"
)

// recordStore is what the kitchen needs from storage (store).
type recordStore interface {
	Create(ctx context.Context, rec Record) (bool, error)
	Get(ctx context.Context, id string) (Record, error)
	List(ctx context.Context, statuses ...Status) ([]Record, error)
	Transition(ctx context.Context, id string, t Transition, at time.Time, announce Announce) (Record, error)
}

// Kitchen is the service's use cases: receive paid orders, list and read
// records, move them along and announce each move.
type Kitchen struct {
	store     recordStore
	announcer *progressAnnouncer
	now       func() time.Time
	log       *slog.Logger
}

// NewKitchen wires the use cases to their store and publisher.
func NewKitchen(store *store, pub eventPublisher, log *slog.Logger) *Kitchen {
	return &Kitchen{store: store, announcer: newProgressAnnouncer(store, pub, log), now: time.Now, log: log}
}

// RelayOutbox publishes, every interval until ctx ends, the announcements a
// failed publish or a crash left in the outbox; when ctx ends, it flushes
// the announcements of the last moves and relays once more.
func (k *Kitchen) RelayOutbox(ctx context.Context, every time.Duration) error {
	return k.announcer.Run(ctx, every)
}

// List returns the records in status, or every record not yet COMPLETED when
// status is "", oldest first.
func (k *Kitchen) List(ctx context.Context, status string) ([]Record, error) {
	if status == "" {
		return k.store.List(ctx, StatusReceived, StatusInPreparation)
	}
	st, err := ParseStatus(status)
	if err != nil {
		return nil, err
	}
	return k.store.List(ctx, st)
}

// Get returns one record.
func (k *Kitchen) Get(ctx context.Context, id string) (Record, error) {
	return k.store.Get(ctx, id)
}

// Advance applies the transition named action to record id and tells the
// order service: the announcement is stored with the move, in one
// transaction, then published; if the publish fails, the outbox relay
// publishes it later, so the move stands and the answer is still a success.
//
// The move needs the record (store.Transition): the announcement
// needs its order id, which the record id does not reveal, and the answer is
// the whole record. The store reads it first unless it knows it already.
func (k *Kitchen) Advance(ctx context.Context, id, action string) (Record, error) {
	t, ok := TransitionFor(action)
	if !ok {
		return Record{}, fmt.Errorf("%w: no action %q", ErrInvalidTransition, action)
	}
	var env events.Envelope
	announce := k.announcer.announcement(ctx, t)
	rec, err := k.store.Transition(ctx, id, t, k.now(), func(moved Record) (events.Envelope, error) {
		var err error
		env, err = announce(moved)
		return env, err
	})
	if err != nil {
		return Record{}, err
	}
	k.log.InfoContext(ctx, "kitchen record moved", "production_id", rec.ID, "order_id", rec.OrderID, "status", rec.Status)
	k.announcer.publishNow(ctx, env)
	return rec, nil
}
