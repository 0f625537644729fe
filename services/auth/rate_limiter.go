package auth

import (
	"sync"
	"time"
)

// limiter counts events per key over a sliding window and says when a key
// has had limit of them: it keeps, per key, the count of the current fixed
// window and of the one before, and weighs the latter by how much of it
// the sliding window still covers (two integers a key, whatever the rate).
// It holds at most maxKeys keys; past that, stale keys go first, then
// arbitrary ones, so memory stays bounded whatever keys callers make up.
type limiter struct {
	mu      sync.Mutex
	limit   int
	window  time.Duration
	maxKeys int
	counts  map[string]*windowCount
	now     func() time.Time
}

type windowCount struct {
	start      time.Time // of the current fixed window
	prev, curr int
}

// defaultMaxKeys bounds each limiter's memory to a few megabytes.
const defaultMaxKeys = 100_000

// newLimiter returns a limiter of limit events per window, or nil (which
// allows everything) when limit or window is not positive.
func newLimiter(limit int, window time.Duration) *limiter {
	if limit <= 0 || window <= 0 {
		return nil
	}
	return &limiter{limit: limit, window: window, maxKeys: defaultMaxKeys, counts: map[string]*windowCount{}, now: time.Now}
}

// allow reports whether key is under the limit; when it is not, wait is
// how long until it will be, if nothing more happens.
func (l *limiter) allow(key string) (wait time.Duration, ok bool) {
	if l == nil {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c, found := l.counts[key]
	if !found {
		return 0, true
	}
	now := l.now()
	c.roll(now, l.window)
	if c.estimate(now, l.window) < float64(l.limit) {
		return 0, true
	}
	return c.wait(now, l.window, l.limit), false
}

// add counts one event for key.
func (l *limiter) add(key string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c, found := l.counts[key]
	if !found {
		l.makeRoom(now)
		c = &windowCount{start: now}
		l.counts[key] = c
	}
	c.roll(now, l.window)
	c.curr++
}

// forget drops key's count.
func (l *limiter) forget(key string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.counts, key)
}

// makeRoom frees places for a new key: stale keys first, then a tenth of
// the rest, arbitrarily (map order).
func (l *limiter) makeRoom(now time.Time) {
	if len(l.counts) < l.maxKeys {
		return
	}
	for key, c := range l.counts {
		if now.Sub(c.start) >= 2*l.window {
			delete(l.counts, key)
		}
	}
	for key := range l.counts {
		if len(l.counts) < l.maxKeys-l.maxKeys/10 {
			return
		}
		delete(l.counts, key)
	}
}

// roll moves the fixed windows on to the one now falls in.
func (c *windowCount) roll(now time.Time, window time.Duration) {
	switch elapsed := now.Sub(c.start); {
	case elapsed < window:
	case elapsed < 2*window:
		c.start, c.prev, c.curr = c.start.Add(window), c.curr, 0
	default:
		c.start, c.prev, c.curr = now, 0, 0
	}
}

// estimate is the number of events in the sliding window ending now.
func (c *windowCount) estimate(now time.Time, window time.Duration) float64 {
	covered := 1 - float64(now.Sub(c.start))/float64(window)
	return float64(c.prev)*covered + float64(c.curr)
}

// wait is how long until the estimate falls under limit (a millisecond
// more than until it reaches it).
func (c *windowCount) wait(now time.Time, window time.Duration, limit int) time.Duration {
	var slid time.Duration
	if c.curr >= limit {
		// Only once this window is the previous one, and enough of it slid out.
		slid = window + time.Duration(float64(window)*(1-float64(limit)/float64(c.curr)))
	} else {
		// Enough of the previous window must slide out (prev > 0 here, or
		// the estimate would be under the limit).
		slid = time.Duration(float64(window) * (1 - float64(limit-c.curr)/float64(c.prev)))
	}
	return c.start.Add(slid).Sub(now) + time.Millisecond
}
