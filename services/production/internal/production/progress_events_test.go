package production

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
)

// memOutbox is an outbox in memory that notes what it is asked.
type memOutbox struct {
	mu       sync.Mutex
	removals [][]string
	befores  []time.Time
}

func (m *memOutbox) Waiting(_ context.Context, before time.Time, _ int32) ([]announcement, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.befores = append(m.befores, before)
	return nil, nil
}

func (m *memOutbox) Sent(_ context.Context, eventIDs []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.removals = append(m.removals, slices.Clone(eventIDs))
	return nil
}

func (m *memOutbox) removed() [][]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.removals)
}

// acceptAll is SQS accepting every message.
type acceptAll struct{}

func (acceptAll) PublishBodies(context.Context, string, [][]byte) error { return nil }

// announceOne publishes the announcement of a fresh move through a.
func announceOne(t *testing.T, a *progressAnnouncer) string {
	t.Helper()
	env, err := events.New(events.ProductionCompleted, events.ProductionService, events.OrderService, "corr",
		events.ProductionPayload{ProductionID: uuid.NewString(), OrderID: uuid.NewString(), Status: string(StatusCompleted), At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	a.publishNow(t.Context(), env)
	return env.Meta.EventID
}

// Published announcements are removed from the outbox in batches: a full
// one at once, the rest after lingering for company, or at once when the
// service stops, before Run returns. It runs in a synctest bubble, where
// time moves only when every goroutine waits: the linger cannot run out
// behind the test's back, and the stop's relay pass is for the very moment
// of the stop.
func TestRemovalsAreBatchedAndFlushedAtStop(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		out := &memOutbox{}
		a := newProgressAnnouncer(out, acceptAll{}, testLog())
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx, time.Hour) }()

		var want []string
		for range maxBatchWrite + 3 {
			want = append(want, announceOne(t, a))
		}
		synctest.Wait()
		if got := out.removed(); len(got) != 1 || !slices.Equal(got[0], want[:maxBatchWrite]) {
			t.Fatalf("removals = %v; want the first %d at once, together", got, maxBatchWrite)
		}
		stopped := time.Now()
		cancel() // the last 3 still linger: the stop must not wait for company
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if got := out.removed(); len(got) != 2 || !slices.Equal(got[1], want[maxBatchWrite:]) {
			t.Errorf("removals = %v; want a second call with the last 3", got)
		}
		if !time.Now().Equal(stopped) {
			t.Errorf("the stop took %s; want no wait for company", time.Since(stopped))
		}
		out.mu.Lock()
		defer out.mu.Unlock()
		if n := len(out.befores); n == 0 || !out.befores[n-1].Equal(stopped) {
			t.Errorf("relay passes = %v; want a last one at stop, for everything written before it", out.befores)
		}
		if a.removing.TryAdd("late") {
			t.Error("a removal was queued after the stop")
		}
	})
}

// The periodic relay leaves alone what is younger than relayAfter: a
// request may still be publishing it.
func TestRelayLeavesYoungAnnouncementsAlone(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		out := &memOutbox{}
		a := newProgressAnnouncer(out, acceptAll{}, testLog())
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		const every = 10 * time.Millisecond
		start := time.Now()
		go func() { done <- a.Run(ctx, every) }()
		time.Sleep(every)
		synctest.Wait() // the first pass is made
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		out.mu.Lock()
		defer out.mu.Unlock()
		if want := start.Add(every - relayAfter); len(out.befores) == 0 || !out.befores[0].Equal(want) {
			t.Errorf("relay passes took what was written before %v; want a first one %v before the pass, %v", out.befores, relayAfter, want)
		}
	})
}
