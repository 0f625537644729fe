package console

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/comanda/comanda/harness/apiclient"
)

// snapshot is what the live boards show: the newest orders, the kitchen's
// records, when they were read, and why they could not be, if so.
type snapshot struct {
	Orders  []apiclient.Order
	Kitchen []apiclient.KitchenOrder
	Read    time.Time
	Err     string
}

// board keeps the latest snapshot, and wakes whoever waits for a change.
// It reads only while someone watches a live board: an idle console puts
// no requests in the services' logs.
type board struct {
	watchers atomic.Int32
	mu       sync.Mutex
	snap     snapshot
	raw      []byte        // the last snapshot's orders and kitchen, to tell a change
	changed  chan struct{} // closed at the next change
}

func newBoard() *board { return &board{changed: make(chan struct{})} }

// run reads a snapshot every poll while a live board is watched, until
// ctx ends.
func (b *board) run(ctx context.Context, poll time.Duration, read func(context.Context) snapshot) {
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if b.watchers.Load() > 0 {
			b.set(read(ctx))
		}
	}
}

// watch counts a watcher of the live boards until the returned func is
// called.
func (b *board) watch() (stop func()) {
	b.watchers.Add(1)
	return func() { b.watchers.Add(-1) }
}

// fresh is the latest snapshot if it was read within maxAge, else a new
// one read now.
func (b *board) fresh(ctx context.Context, maxAge time.Duration, read func(context.Context) snapshot) snapshot {
	b.mu.Lock()
	s := b.snap
	b.mu.Unlock()
	if time.Since(s.Read) < maxAge {
		return s
	}
	s = read(ctx)
	b.set(s)
	return s
}

func (b *board) set(s snapshot) {
	raw, _ := json.Marshal([]any{s.Orders, s.Kitchen, s.Err})
	b.mu.Lock()
	defer b.mu.Unlock()
	b.snap = s
	if bytes.Equal(raw, b.raw) {
		return
	}
	b.raw = raw
	close(b.changed)
	b.changed = make(chan struct{})
}

// current is the latest snapshot, and a channel closed at the next change.
func (b *board) current() (snapshot, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.snap, b.changed
}

// ordersShown is how many of the newest orders the board reads: the most
// the API lists at once.
const ordersShown = 200

// read takes a snapshot through the public API, as the employee.
func (c *Console) read(ctx context.Context) snapshot {
	s := snapshot{Read: time.Now()}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.getJSON(ctx, fmt.Sprintf("/order?limit=%d", ordersShown), &s.Orders); err != nil {
		s.Err = err.Error()
		return s
	}
	if err := c.getJSON(ctx, "/production", &s.Kitchen); err != nil {
		s.Err = err.Error()
	}
	return s
}

func (c *Console) getJSON(ctx context.Context, path string, v any) error {
	res, err := c.staff.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	return res.Expect(http.StatusOK, v)
}
