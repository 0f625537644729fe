package auth

import (
	"strconv"
	"sync"
	"sync/atomic"
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
		if _, ok := l.reserve("k"); !ok {
			t.Fatalf("event %d refused under the limit", i+1)
		}
		c.advance(time.Second)
	}
	wait, ok := l.reserve("k")
	if ok {
		t.Fatal("the sixth event within a minute was allowed")
	}
	// The first event was 5 s ago: it leaves the window in 55 s.
	if wait != 55*time.Second {
		t.Fatalf("wait %s; want the 55 s until the oldest event leaves the window", wait)
	}
	if _, ok := l.reserve("other"); !ok {
		t.Fatal("another key was limited")
	}
	c.advance(wait - time.Millisecond)
	if _, ok := l.reserve("k"); ok {
		t.Fatal("allowed before the oldest event left the window")
	}
	c.advance(time.Millisecond)
	if _, ok := l.reserve("k"); !ok {
		t.Fatalf("still limited after waiting the %s it said", wait)
	}
	if _, ok := l.reserve("k"); ok {
		t.Fatal("one event left the window, two were allowed")
	}
}

// No span of a window's length ever holds more than limit events, however
// they are spread: a burst at the end of one minute leaves nothing for the
// start of the next.
func TestLimiterHasNoEdgeBurst(t *testing.T) {
	t.Parallel()
	l, c := newTestLimiter(5, time.Minute)
	var allowed []time.Time
	for range 600 { // ten minutes, a try every second
		if _, ok := l.reserve("k"); ok {
			allowed = append(allowed, c.now())
		}
		c.advance(time.Second)
	}
	for i := range allowed {
		if i >= 5 && allowed[i].Sub(allowed[i-5]) < time.Minute {
			t.Fatalf("6 events within %s", allowed[i].Sub(allowed[i-5]))
		}
	}
	if len(allowed) != 50 {
		t.Fatalf("%d events allowed in ten minutes; want 50", len(allowed))
	}
}

// Checking and counting are one step: however many ask at once, exactly
// limit get through.
func TestLimiterHoldsUnderParallelism(t *testing.T) {
	t.Parallel()
	l := newLimiter(5, time.Minute)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			if _, ok := l.reserve("k"); ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 5 {
		t.Fatalf("%d of 200 parallel events allowed; want 5", n)
	}
}

func TestLimiterRelease(t *testing.T) {
	t.Parallel()
	l, _ := newTestLimiter(1, time.Minute)
	l.reserve("k")
	if _, ok := l.reserve("k"); ok {
		t.Fatal("over the limit yet allowed")
	}
	l.release("k")
	if _, ok := l.reserve("k"); !ok {
		t.Fatal("still limited after the event was given back")
	}
	l.release("never-seen") // harmless
}

// However many keys callers make up, the limiter keeps at most maxKeys.
func TestLimiterIsBounded(t *testing.T) {
	t.Parallel()
	l, c := newTestLimiter(3, time.Minute)
	l.maxKeys = 100
	for i := range 10_000 {
		l.reserve("key-" + strconv.Itoa(i))
		if i%1000 == 0 {
			c.advance(time.Second)
		}
	}
	if n := len(l.events); n > 100 {
		t.Fatalf("%d keys kept; want at most 100", n)
	}
}

func TestLimiterOff(t *testing.T) {
	t.Parallel()
	for _, l := range []*limiter{newLimiter(0, time.Minute), newLimiter(5, 0)} {
		for range 10 {
			if _, ok := l.reserve("k"); !ok || l != nil {
				t.Fatal("a limiter turned off limited")
			}
		}
		l.release("k")
	}
}
