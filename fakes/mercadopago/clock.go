package mercadopago

import (
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
	return c.base().Add(c.offset)
}

func (c *clock) setOffset(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = d
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
