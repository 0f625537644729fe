package production

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/comanda/comanda/services/platform/outbox"
)

// recordStore is what the kitchen needs from storage (store).
type recordStore interface {
	Create(ctx context.Context, rec Record) (bool, error)
	Get(ctx context.Context, id string) (Record, error)
	List(ctx context.Context, statuses ...Status) ([]Record, error)
	Transition(ctx context.Context, id string, t Transition, at time.Time, announce Announce) (Record, error)
}

// announcer publishes an announcement just committed to the outbox, and
// leaves it to the outbox's relay if it cannot (outbox.Relay).
type announcer interface {
	PublishNow(ctx context.Context, m outbox.Message)
}

// Kitchen is the service's use cases: receive paid orders, list and read
// records, move them along and announce each move.
type Kitchen struct {
	store     recordStore
	announcer announcer
	now       func() time.Time
	log       *slog.Logger
	// tracer starts the spans of moves (a no-op one until Run gives the
	// service's, Traced).
	tracer trace.Tracer
}

// NewKitchen wires the use cases to their store and to the relay of the
// store's outbox.
func NewKitchen(store *store, relay announcer, log *slog.Logger) *Kitchen {
	return &Kitchen{store: store, announcer: relay, now: time.Now, log: log, tracer: noop.NewTracerProvider().Tracer(tracerName)}
}

// tracerName names the service's own spans.
const tracerName = "github.com/comanda/comanda/services/production"

// Traced has the kitchen's own spans started by tracers.
func (k *Kitchen) Traced(tracers trace.TracerProvider) { k.tracer = tracers.Tracer(tracerName) }

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
// transaction, then published at once; if that publish fails, the outbox
// relay publishes it later, so the move stands and the answer is still a
// success.
//
// The move needs the record (store.Transition): the announcement
// needs its order id, which the record id does not reveal, and the answer is
// the whole record. The store reads it first unless it knows it already.
func (k *Kitchen) Advance(ctx context.Context, id, action string) (Record, error) {
	t, ok := TransitionFor(action)
	if !ok {
		return Record{}, fmt.Errorf("%w: no action %q", ErrInvalidTransition, action)
	}
	var msg outbox.Message
	announce := announcement(ctx, t, k.tracer)
	rec, err := k.store.Transition(ctx, id, t, k.now(), func(moved Record) (outbox.Message, error) {
		var err error
		msg, err = announce(moved)
		return msg, err
	})
	if err != nil {
		return Record{}, err
	}
	k.log.InfoContext(ctx, "kitchen record moved", "production_id", rec.ID, "order_id", rec.OrderID, "status", rec.Status)
	k.announcer.PublishNow(ctx, msg)
	return rec, nil
}
