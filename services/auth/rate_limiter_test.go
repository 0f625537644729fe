package auth

import (
	"strconv"
	"testing"
	"time"
)

// clock is a time tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestLimiter(limit int, window time.Duration) (*limiter, *clock) {
	c := &clock{t: time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)}
	l := newLimiter(limit, window)
	l.now = c.now
	return l, c
}

func TestLimiterSlidingWindow(t *testing.T) {
	t.Parallel()
	l, c := newTestLimiter(5, time.Minute)
	for i := range 5 {
		if _, ok := l.allow("k"); !ok {
			t.Fatalf("event %d refused under the limit", i+1)
		}
		l.add("k")
		c.advance(time.Second)
	}
	wait, ok := l.allow("k")
	if ok {
		t.Fatal("the sixth event within a minute was allowed")
	}
	// 5 events, the window started 5 s ago: they must slide out far enough.
	if wait <= 55*time.Second || wait > 2*time.Minute {
		t.Fatalf("wait %s; want a little over the window's remaining 55 s", wait)
	}
	if _, ok := l.allow("other"); !ok {
		t.Fatal("another key was limited")
	}
	c.advance(wait)
	if _, ok := l.allow("k"); !ok {
		t.Fatalf("still limited after waiting the %s it said", wait)
	}
	c.advance(2 * time.Minute)
	l.add("k")
	if _, ok := l.allow("k"); !ok {
		t.Fatal("old events still count two windows later")
	}
}

// A burst at the end of one window still counts at the start of the next:
// one more event slips through at most, not a whole new allowance.
func TestLimiterDoesNotResetAtTheWindowEdge(t *testing.T) {
	t.Parallel()
	l, c := newTestLimiter(5, time.Minute)
	l.add("k") // opens the window
	c.advance(59 * time.Second)
	for range 4 {
		l.add("k")
	}
	c.advance(2 * time.Second) // a new fixed window, 1 s in
	allowed := 0
	for range 5 {
		if _, ok := l.allow("k"); ok {
			allowed++
			l.add("k")
		}
	}
	if allowed > 1 {
		t.Fatalf("%d more events allowed right after a full window; want at most 1", allowed)
	}
}

func TestLimiterForget(t *testing.T) {
	t.Parallel()
	l, _ := newTestLimiter(1, time.Minute)
	l.add("k")
	if _, ok := l.allow("k"); ok {
		t.Fatal("over the limit yet allowed")
	}
	l.forget("k")
	if _, ok := l.allow("k"); !ok {
		t.Fatal("still limited after forget")
	}
}

// However many keys callers make up, the limiter keeps at most maxKeys.
func TestLimiterIsBounded(t *testing.T) {
	t.Parallel()
	l, c := newTestLimiter(3, time.Minute)
	l.maxKeys = 100
	for i := range 10_000 {
		l.add("key-" + strconv.Itoa(i))
		if i%1000 == 0 {
			c.advance(time.Second)
		}
	}
	if n := len(l.counts); n > 100 {
		t.Fatalf("%d keys kept; want at most 100", n)
	}
}

func TestLimiterOff(t *testing.T) {
	t.Parallel()
	for _, l := range []*limiter{newLimiter(0, time.Minute), newLimiter(5, 0)} {
		l.add("k")
		if _, ok := l.allow("k"); !ok || l != nil {
			t.Fatal("a limiter turned off limited")
		}
	}
}
