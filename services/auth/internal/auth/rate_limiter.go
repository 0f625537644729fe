package auth

import (
	"sync"
	"time"
)

// limiter allows at most limit events per key in any window-long span of
// time. It keeps, per key, the times of the events still inside the window
// (at most limit of them), so the bound is exact, with no burst at the
// edge of a fixed window. Checking and counting are one step (reserve), so
// however many requests arrive at once, no more than limit get through; an
// event that should not count after all is given back (release).
// It holds at most maxKeys keys; past that, stale keys go first, then
// arbitrary ones, so memory stays bounded whatever keys callers make up.
type limiter struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	maxKeys int
	events  map[string][]time.Time // oldest first; guarded by mu
	now     func() time.Time
}

// defaultMaxKeys bounds each limiter's memory to a few megabytes at the
// limits this service uses.
const defaultMaxKeys = 50_000

// newLimiter returns a limiter of limit events per window, or nil (which
// allows everything) when limit or window is not positive.
func newLimiter(limit int, window time.Duration) *limiter {
	if limit <= 0 || window <= 0 {
		return nil
	}
	return &limiter{limit: limit, window: window, maxKeys: defaultMaxKeys, events: map[string][]time.Time{}, now: time.Now}
}

// reserve counts one event for key when fewer than limit happened in the
// window ending now; when limit did, it counts nothing and wait is how long
// until the oldest of them leaves the window.
func (l *limiter) reserve(key string) (wait time.Duration, ok bool) {
	if l == nil {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	times, found := l.events[key]
	times = l.recent(times, now)
	if len(times) >= l.limit {
		l.events[key] = times
		return times[0].Add(l.window).Sub(now), false
	}
	if !found {
		l.makeRoom(now)
	}
	l.events[key] = append(times, now)
	return 0, true
}

// release gives back the newest event counted for key.
func (l *limiter) release(key string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	times := l.events[key]
	switch len(times) {
	case 0:
	case 1:
		delete(l.events, key)
	default:
		l.events[key] = times[:len(times)-1]
	}
}

// recent drops from times the events that left the window ending now.
func (l *limiter) recent(times []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(times) && now.Sub(times[i]) >= l.window {
		i++
	}
	if i == 0 {
		return times
	}
	return append(times[:0], times[i:]...)
}

// makeRoom frees places for a new key: stale keys first, then a tenth of
// the rest, arbitrarily (map order).
func (l *limiter) makeRoom(now time.Time) {
	if len(l.events) < l.maxKeys {
		return
	}
	for key, times := range l.events {
		if len(times) == 0 || now.Sub(times[len(times)-1]) >= l.window {
			delete(l.events, key)
		}
	}
	for key := range l.events {
		if len(l.events) < l.maxKeys-l.maxKeys/10 {
			return
		}
		delete(l.events, key)
	}
}
