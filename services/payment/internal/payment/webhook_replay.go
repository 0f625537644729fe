package payment

import (
	"crypto/sha256"
	"sync"
	"time"
)

// replayKey identifies one delivery: Mercado Pago's x-request-id with the
// signature that covers it. Hashing bounds each entry's size whatever the
// headers hold.
type replayKey [sha256.Size]byte

func newReplayKey(requestID, signature string) replayKey {
	return sha256.Sum256([]byte(requestID + "\x00" + signature))
}

// replayGuard remembers the deliveries answered 200 for window, so that the
// same signed request sent again is acknowledged without being processed
// again. It holds at most max entries; past that the oldest are forgotten
// first. A nil guard remembers nothing.
type replayGuard struct {
	mu     sync.Mutex
	window time.Duration
	max    int
	until  map[replayKey]time.Time
	order  []replayEntry // oldest first, the order entries expire in
	now    func() time.Time
}

type replayEntry struct {
	key   replayKey
	until time.Time
}

// newReplayGuard returns a guard, or nil when window or max is not positive.
func newReplayGuard(window time.Duration, max int) *replayGuard {
	if window <= 0 || max <= 0 {
		return nil
	}
	return &replayGuard{window: window, max: max, until: map[replayKey]time.Time{}, now: time.Now}
}

// seen reports whether key was remembered within the window.
func (g *replayGuard) seen(key replayKey) bool {
	if g == nil {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.expire(0)
	_, ok := g.until[key]
	return ok
}

// remember records key for the window.
func (g *replayGuard) remember(key replayKey) {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.expire(1)
	until := g.now().Add(g.window)
	g.until[key] = until
	g.order = append(g.order, replayEntry{key: key, until: until})
}

// expire forgets the entries past their window, and the oldest ones while
// fewer than room places are free.
func (g *replayGuard) expire(room int) {
	now := g.now()
	for len(g.order) > 0 {
		oldest := g.order[0]
		if now.Before(oldest.until) && len(g.until)+room <= g.max {
			return
		}
		if g.until[oldest.key].Equal(oldest.until) {
			delete(g.until, oldest.key)
		}
		g.order = g.order[1:]
	}
}

// size is how many deliveries are remembered.
func (g *replayGuard) size() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.until)
}
