package production

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
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
// service stops, before Run returns.
func TestRemovalsAreBatchedAndFlushedAtStop(t *testing.T) {
	t.Parallel()
	out := &memOutbox{}
	a := newProgressAnnouncer(out, acceptAll{}, testLog())
	a.removing.close()
	a.removing = newBatcher(maxBatchWrite, time.Hour, removalCapacity, a.removeSent) // lingers past the test
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, time.Hour) }()

	var want []string
	for range maxBatchWrite + 3 {
		want = append(want, announceOne(t, a))
	}
	eventually(t, 5*time.Second, func() error {
		if got := out.removed(); len(got) != 1 || !slices.Equal(got[0], want[:maxBatchWrite]) {
			return fmt.Errorf("removals = %v; want the first %d at once, together", got, maxBatchWrite)
		}
		return nil
	})
	cancel() // the last 3 still linger: the stop must not wait for company
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
	if got := out.removed(); len(got) != 2 || !slices.Equal(got[1], want[maxBatchWrite:]) {
		t.Errorf("removals = %v; want a second call with the last 3", got)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if n := len(out.befores); n == 0 || time.Since(out.befores[n-1]) > time.Second {
		t.Errorf("relay passes = %v; want a last one at stop, for everything written before it", out.befores)
	}
	if a.removing.add("late") {
		t.Error("a removal was queued after the stop")
	}
}

// The periodic relay leaves alone what is younger than relayAfter: a
// request may still be publishing it.
func TestRelayLeavesYoungAnnouncementsAlone(t *testing.T) {
	t.Parallel()
	out := &memOutbox{}
	a := newProgressAnnouncer(out, acceptAll{}, testLog())
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- a.Run(ctx, 10*time.Millisecond) }()
	eventually(t, 5*time.Second, func() error {
		out.mu.Lock()
		defer out.mu.Unlock()
		if len(out.befores) == 0 {
			return context.DeadlineExceeded
		}
		return nil
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if first := out.befores[0]; first.After(time.Now().Add(-relayAfter)) || first.Before(start.Add(-relayAfter)) {
		t.Errorf("first relay pass took what was written before %v; want %v before the pass", first, relayAfter)
	}
}
