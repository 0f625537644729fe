package mercadopago

import (
	"context"
	"sync"
	"time"
)

// clock is the fake's time: the base clock (Options.Now) plus an offset
// that the control API moves forward, so that a test or a developer can
// make a PIX code run out without waiting half an hour.
type clock struct {
	base func() time.Time

	mu     sync.Mutex
	offset time.Duration
	moved  chan struct{} // closed, and replaced, whenever the offset changes
}

func newClock(base func() time.Time) *clock {
	return &clock{base: base, moved: make(chan struct{})}
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base().Add(c.offset)
}

func (c *clock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
	c.wake()
	return c.base().Add(c.offset)
}

func (c *clock) setOffset(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = d
	c.wake()
}

// wake tells every wait that the clock moved; c.mu is held.
func (c *clock) wake() {
	close(c.moved)
	c.moved = make(chan struct{})
}

// wait returns once the fake's clock reaches until, or once d has passed in
// real time, whichever comes first: moving the clock only ever brings a
// wait to its end sooner, and a base clock that stands still (a test's)
// does not stop it. It reports false if ctx ended first.
func (c *clock) wait(ctx context.Context, until time.Time, d time.Duration) bool {
	timer := time.NewTimer(max(d, 0))
	defer timer.Stop()
	for {
		c.mu.Lock()
		reached := !c.base().Add(c.offset).Before(until)
		moved := c.moved
		c.mu.Unlock()
		if reached {
			return ctx.Err() == nil
		}
		select {
		case <-ctx.Done():
			return false
		case <-timer.C:
			return true
		case <-moved:
		}
	}
}

func (c *clock) currentOffset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset
}

// ClockState is the fake's clock as the control API shows it.
type ClockState struct {
	Now    time.Time `json:"now"`
	Offset Duration  `json:"offset"` // how far ahead of the real (or the configured) clock
}
