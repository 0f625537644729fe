package outbox_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/postgres"
)

func TestNotifyPublishesInOrderAndDeletes(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	pub := &fakePublisher{}
	relay, _ := startRelay(t, pool, pub)

	want := addEvents(t, pool, events.ProductionQueue, events.PaymentQueue, events.ProductionQueue)
	relay.Notify()

	// The interval is an hour: only Notify can have woken the relay in time.
	got := pub.waitSent(t, len(want), 5*time.Second)
	for _, q := range []string{events.ProductionQueue, events.PaymentQueue} {
		if w, g := onQueue(want, q), onQueue(got, q); !slices.Equal(w, g) {
			t.Errorf("%s got %v; want %v in order of writing", q, g, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("sent %d messages; want %d", len(got), len(want))
	}
	eventually(t, 5*time.Second, "relayed rows to be deleted", func() bool { return outboxRows(t, pool) == 0 })
}

func onQueue(all []sent, queue string) []string {
	var ids []string
	for _, s := range all {
		if s.queue == queue {
			ids = append(ids, s.eventID)
		}
	}
	return ids
}

func TestFailedPublishKeepsRowsForTheNextRun(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	pub := &fakePublisher{failures: 1 << 30} // SQS is down until healed
	relay, _ := startRelay(t, pool, pub)

	want := addEvents(t, pool, events.OrderQueue, events.OrderQueue)
	relay.Notify()
	eventually(t, 5*time.Second, "the first, failing publish", func() bool {
		attempts, _ := pub.snapshot()
		return attempts >= 1
	})
	if n := outboxRows(t, pool); n != len(want) {
		t.Fatalf("%d rows left after a failed publish; want all %d kept", n, len(want))
	}

	pub.heal()
	relay.Notify()
	got := pub.waitSent(t, len(want), 5*time.Second)
	if !slices.Equal(got, want) {
		t.Fatalf("sent %v; want %v", got, want)
	}
	eventually(t, 5*time.Second, "relayed rows to be deleted", func() bool { return outboxRows(t, pool) == 0 })
}

func TestRolledBackTransactionPublishesNothing(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	pub := &fakePublisher{}
	relay, _ := startRelay(t, pool, pub)

	errDeclined := errors.New("card declined")
	err := postgres.InTx(t.Context(), pool, func(tx pgx.Tx) error {
		env, err := events.New(events.PaymentFailed, events.PaymentService, events.OrderService, "corr", map[string]string{"why": "declined"})
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		if err := outbox.Queue(b, events.OrderQueue, env); err != nil {
			return err
		}
		if err := tx.SendBatch(t.Context(), b).Close(); err != nil {
			return err
		}
		return errDeclined
	})
	if !errors.Is(err, errDeclined) {
		t.Fatalf("InTx = %v; want the rollback's cause", err)
	}
	// A committed event after it: once that one is out, the relay has seen
	// everything there is to see.
	want := addEvents(t, pool, events.OrderQueue)
	relay.Notify()
	got := pub.waitSent(t, 1, 5*time.Second)
	if !slices.Equal(got, want) {
		t.Fatalf("sent %v; want only the committed %v", got, want)
	}
}

func TestRunFlushesOnCancel(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	pub := &fakePublisher{}
	_, stop := startRelay(t, pool, pub)

	want := addEvents(t, pool, events.PaymentQueue, events.PaymentQueue)
	// No Notify and an hour-long interval: only the final flush sends these.
	if err := stop(); err != nil {
		t.Fatalf("Run = %v; want nil", err)
	}
	if _, got := pub.snapshot(); !slices.Equal(got, want) {
		t.Fatalf("flushed %v; want %v", got, want)
	}
	if n := outboxRows(t, pool); n != 0 {
		t.Fatalf("%d rows left after the final flush; want 0", n)
	}
}

func TestRelayDrainsMoreThanABatch(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	queues := make([]string, 250)
	for i := range queues {
		queues[i] = events.ProductionQueue
	}
	want := addEvents(t, pool, queues...)

	pub := &fakePublisher{}
	relay, _ := startRelay(t, pool, pub)
	relay.Notify()
	got := pub.waitSent(t, len(want), 10*time.Second)
	if !slices.Equal(got, want) {
		t.Fatalf("sent %d messages out of order or not all; want %d in order", len(got), len(want))
	}
}

func TestReplicasRelayEachRowOnce(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	queues := make([]string, 300)
	for i := range queues {
		queues[i] = events.OrderQueue
	}
	want := addEvents(t, pool, queues...)

	pub := &fakePublisher{}
	a := outbox.NewRelay(outbox.NewPostgresStore(pool), pub, outbox.Config{Interval: time.Hour}, logging.Discard())
	b := outbox.NewRelay(outbox.NewPostgresStore(pool), pub, outbox.Config{Interval: time.Hour}, logging.Discard())
	for _, r := range []*outbox.Relay{a, b} {
		run(t, r)
		r.Notify()
	}
	pub.waitSent(t, len(want), 10*time.Second)
	eventually(t, 5*time.Second, "relayed rows to be deleted", func() bool { return outboxRows(t, pool) == 0 })
	_, got := pub.snapshot()
	seen := map[string]int{}
	for _, s := range got {
		seen[s.eventID]++
	}
	for _, w := range want {
		if seen[w.eventID] != 1 {
			t.Fatalf("event %s sent %d times; want once", w.eventID, seen[w.eventID])
		}
	}
}

// A commit no one announced (its Notify lost with a replica that died)
// is relayed at the next tick.
func TestATickRelaysWhatNoOneAnnounced(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	pub := &fakePublisher{}
	run(t, outbox.NewRelay(outbox.NewPostgresStore(pool), pub, outbox.Config{Interval: 20 * time.Millisecond}, logging.Discard()))
	want := addEvents(t, pool, events.PaymentQueue) // and no Notify
	if got := pub.waitSent(t, 1, 5*time.Second); !slices.Equal(got, want) {
		t.Fatalf("sent %v; want %v", got, want)
	}
}

// A sweep that publishes one queue's rows and fails another's deletes the
// published ones only, and reports the failure.
func TestSweepDeletesOnlyWhatWasPublished(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	want := addEvents(t, pool, events.PaymentQueue, events.ProductionQueue, events.PaymentQueue)
	pub := &fakePublisher{down: map[string]bool{events.ProductionQueue: true}}
	relay := outbox.NewRelay(outbox.NewPostgresStore(pool), pub, outbox.Config{Interval: time.Hour}, logging.Discard())
	stop := run(t, relay)
	relay.Notify()
	got := pub.waitSent(t, 2, 5*time.Second)
	if w := onQueue(want, events.PaymentQueue); !slices.Equal(onQueue(got, events.PaymentQueue), w) {
		t.Fatalf("sent %v; want the payment queue's %v", got, w)
	}
	eventually(t, 5*time.Second, "the published rows to be deleted", func() bool { return outboxRows(t, pool) == 1 })
	pub.mu.Lock()
	pub.down = nil
	pub.mu.Unlock()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, got := pub.snapshot(); len(got) != 3 || got[2] != want[1] {
		t.Fatalf("sent %v; want the production queue's %v last, by the flush", got, want[1])
	}
}

// Sweep takes only rows at least minAge old, by the database's clock;
// Remove deletes rows by the IDs a sweep handed over.
func TestSweepByAgeAndRemove(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	store := outbox.NewPostgresStore(pool)
	want := addEvents(t, pool, events.OrderQueue, events.OrderQueue)
	var taken []outbox.Message
	peek := func(_ context.Context, msgs []outbox.Message) ([]string, error) {
		taken = msgs
		return nil, nil
	}
	if n, err := store.Sweep(t.Context(), time.Hour, 10, peek); err != nil || n != 0 {
		t.Fatalf("Sweep(an hour old) = %d, %v; want nothing", n, err)
	}
	if n, err := store.Sweep(t.Context(), 0, 10, peek); err != nil || n != 2 {
		t.Fatalf("Sweep(any age) = %d, %v; want both rows", n, err)
	}
	for i, m := range taken {
		if m.EventID != want[i].eventID || m.Queue != events.OrderQueue || m.EventName != events.OrderPaid || m.CorrelationID != "corr" {
			t.Errorf("message %d = %+v; want event %s from its envelope", i, m, want[i].eventID)
		}
	}
	if err := store.Remove(t.Context(), []string{taken[0].ID}); err != nil {
		t.Fatal(err)
	}
	if n := outboxRows(t, pool); n != 1 {
		t.Fatalf("%d rows after removing one of two; want 1", n)
	}
}
