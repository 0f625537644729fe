package production

import (
	"fmt"
	"testing"

	"go.opentelemetry.io/otel/trace/noop"
	"time"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/outbox"
)

// A service that dies after committing a move, before publishing its
// announcement, has it published by the relay of the next start, once it
// is Settle old.
func TestCrashAfterMoveIsAnnouncedByTheRelay(t *testing.T) {
	t.Parallel()
	e := newKitchenEnv(t)
	id, _ := e.paid(t)
	started, _ := TransitionFor("started")
	crashed := announcement(logging.WithCorrelationID(t.Context(), "corr-"+id), started, noop.NewTracerProvider().Tracer("test"))
	moved, err := e.store.Transition(t.Context(), id, started, time.Now(), crashed) // and nothing published
	if err != nil {
		t.Fatal(err)
	}
	waiting := e.waiting(t)
	if len(waiting) != 1 || waiting[0].CorrelationID != "corr-"+id || waiting[0].Queue != events.OrderQueue {
		t.Fatalf("outbox = %+v; want the announcement for the order queue, in the move's flow", waiting)
	}

	runRelay(t, e.store, e.pub, outbox.Config{Interval: 20 * time.Millisecond, Settle: 50 * time.Millisecond}) // the restart
	e.expectEvent(t, events.ProductionStarted, moved)
	eventually(t, 5*time.Second, func() error {
		if left := e.waiting(t); len(left) != 0 {
			return fmt.Errorf("outbox = %v; want empty", left)
		}
		return nil
	})
}
