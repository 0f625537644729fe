package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/outbox"
)

// These tests run the relay in a synctest bubble against a store in
// memory: time moves only when every goroutine waits, so a tick, a
// linger or a message's age is exact, and nothing sleeps for real.

// Messages published right after their commit are removed in batches: a
// full one at once, the rest after lingering for company, or at once when
// the relay stops, before Run returns; the stop's sweep then takes every
// message, however young.
func TestPublishNowRemovesInBatchesAndFlushesAtStop(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		store := &memStore{}
		relay := outbox.NewRelay(store, &fakePublisher{}, outbox.Config{Interval: time.Hour, Settle: outbox.PublishTimeout}, logging.Discard())
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- relay.Run(ctx) }()

		var want []string
		for i := range 28 {
			m := store.add(fmt.Sprintf("m%02d", i), "q")
			relay.PublishNow(t.Context(), m)
			want = append(want, m.ID)
		}
		synctest.Wait()
		if got := store.removed(); len(got) != 1 || !slices.Equal(got[0], want[:25]) {
			t.Fatalf("removals = %v; want the first 25 at once, together", got)
		}
		stopped := time.Now()
		cancel() // the last 3 still linger: the stop must not wait for company
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if got := store.removed(); len(got) != 2 || !slices.Equal(got[1], want[25:]) {
			t.Errorf("removals = %v; want a second call with the last 3", got)
		}
		if !time.Now().Equal(stopped) {
			t.Errorf("the stop took %s; want no wait for company", time.Since(stopped))
		}
		if sweeps := store.sweeps(); len(sweeps) != 1 || sweeps[0] != 0 {
			t.Errorf("sweeps took messages at least %v old; want one, at the stop, of any age", sweeps)
		}
	})
}

// A tick's sweep leaves alone what is younger than Config.Settle: a
// request may still be publishing it.
func TestTicksSweepOnlySettledMessages(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const every, settle = 10 * time.Millisecond, time.Second
		store := &memStore{}
		pub := &fakePublisher{}
		relay := outbox.NewRelay(store, pub, outbox.Config{Interval: every, Settle: settle}, logging.Discard())
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- relay.Run(ctx) }()
		m := store.add("young", "q")
		time.Sleep(settle - every)
		synctest.Wait()
		if _, got := pub.snapshot(); len(got) != 0 {
			t.Fatalf("sent %v before the message settled; want nothing", got)
		}
		time.Sleep(every)
		synctest.Wait()
		if _, got := pub.snapshot(); len(got) != 1 || got[0].eventID != m.EventID {
			t.Fatalf("sent %v once the message settled; want %s", got, m.EventID)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if sweeps := store.sweeps(); len(sweeps) < 2 || sweeps[0] != settle || sweeps[len(sweeps)-1] != 0 {
			t.Errorf("sweeps took messages at least %v old; want %v on ticks, 0 at the stop", sweeps, settle)
		}
	})
}

// Notify sweeps at once; a sweep that comes back full sweeps again.
func TestNotifyDrainsTheStore(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		store := &memStore{}
		pub := &fakePublisher{}
		relay := outbox.NewRelay(store, pub, outbox.Config{Interval: time.Hour}, logging.Discard())
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() { _ = relay.Run(ctx) }()
		for i := range 250 {
			store.add(fmt.Sprintf("m%03d", i), "q")
		}
		relay.Notify()
		synctest.Wait()
		if _, got := pub.snapshot(); len(got) != 250 || store.left() != 0 {
			t.Fatalf("sent %d, left %d; want all 250 sent and removed", len(got), store.left())
		}
		if sweeps := store.sweeps(); len(sweeps) != 3 {
			t.Errorf("%d sweeps; want 3 (100, 100, 50)", len(sweeps))
		}
	})
}

// A sweep publishes one call per queue, each queue's messages in order;
// when a queue fails, what went to the queues before it is removed, and
// nothing after it is tried.
func TestSweepPublishesPerQueueUntilAFailure(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		store := &memStore{}
		pub := &fakePublisher{down: map[string]bool{"b": true}}
		relay := outbox.NewRelay(store, pub, outbox.Config{Interval: time.Hour}, logging.Discard())
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() { _ = relay.Run(ctx) }()
		a1, _, a2, _ := store.add("a1", "a"), store.add("b1", "b"), store.add("a2", "a"), store.add("c1", "c")
		relay.Notify()
		synctest.Wait()
		attempts, got := pub.snapshot()
		want := []sent{{"a", a1.EventID}, {"a", a2.EventID}}
		if attempts != 2 || !slices.Equal(got, want) {
			t.Fatalf("%d calls sent %v; want a's two in one call, then b's failing, c's not tried", attempts, got)
		}
		if store.left() != 2 {
			t.Errorf("%d messages left; want b's and c's", store.left())
		}
	})
}

// A message PublishNow cannot publish stays in the store, its removal not
// queued, for a sweep.
func TestPublishNowFailureLeavesTheMessage(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		store := &memStore{}
		relay := outbox.NewRelay(store, &fakePublisher{failures: 1}, outbox.Config{Interval: time.Hour}, logging.Discard())
		relay.PublishNow(t.Context(), store.add("m", "q"))
		time.Sleep(time.Second) // past any linger
		synctest.Wait()
		if store.left() != 1 || len(store.removed()) != 0 {
			t.Fatalf("left %d, removals %v; want the message kept, no removal", store.left(), store.removed())
		}
	})
}

// memStore is an outbox in memory that notes what it is asked.
type memStore struct {
	mu       sync.Mutex
	waiting  []memMessage
	minAges  []time.Duration
	removals [][]string
}

type memMessage struct {
	outbox.Message
	at time.Time
}

// add stores a message to queue whose event id is id, now.
func (s *memStore) add(id, queue string) outbox.Message {
	m := outbox.Message{ID: id, Queue: queue, Body: []byte(fmt.Sprintf(`{"meta":{"event_id":%q,"event_name":"e"},"payload":{}}`, id)),
		EventID: id, EventName: "e"}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waiting = append(s.waiting, memMessage{Message: m, at: time.Now()})
	return m
}

func (s *memStore) Sweep(ctx context.Context, minAge time.Duration, limit int, publish outbox.PublishFunc) (int, error) {
	s.mu.Lock()
	s.minAges = append(s.minAges, minAge)
	var msgs []outbox.Message
	for _, m := range s.waiting {
		if len(msgs) < limit && !m.at.After(time.Now().Add(-minAge)) {
			msgs = append(msgs, m.Message)
		}
	}
	s.mu.Unlock()
	if len(msgs) == 0 {
		return 0, nil
	}
	sent, err := publish(ctx, msgs)
	s.drop(sent)
	return len(msgs), err
}

func (s *memStore) Remove(_ context.Context, ids []string) error {
	s.mu.Lock()
	s.removals = append(s.removals, slices.Clone(ids))
	s.mu.Unlock()
	s.drop(ids)
	return nil
}

func (s *memStore) drop(ids []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waiting = slices.DeleteFunc(s.waiting, func(m memMessage) bool { return slices.Contains(ids, m.ID) })
}

func (s *memStore) removed() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.removals)
}

func (s *memStore) sweeps() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.minAges)
}

func (s *memStore) left() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.waiting)
}
