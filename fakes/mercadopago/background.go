package mercadopago

import (
	"context"
	"sync"
	"time"
)

// background runs the fake's goroutines (webhook deliveries, auto-approvals,
// the expiry sweep, the state file writer) and stops them all on close, so
// that none outlives the fake.
type background struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
}

func newBackground() *background {
	ctx, cancel := context.WithCancel(context.Background())
	return &background{ctx: ctx, cancel: cancel}
}

// run starts fn in a goroutine unless the fake is closed; it reports
// whether fn was started. The check and wg.Add happen under mu, so that
// close cannot slip in between.
func (b *background) run(fn func(ctx context.Context)) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		fn(b.ctx)
	}()
	return true
}

// after runs fn once d has passed, unless the fake is closed first.
func (b *background) after(d time.Duration, fn func(ctx context.Context)) bool {
	return b.run(func(ctx context.Context) {
		if sleep(ctx, d) {
			fn(ctx)
		}
	})
}

// every runs fn each interval until the fake is closed.
func (b *background) every(interval time.Duration, fn func(ctx context.Context)) bool {
	return b.run(func(ctx context.Context) {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				fn(ctx)
			}
		}
	})
}

// close cancels every goroutine's context and waits for them all.
func (b *background) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.cancel()
	b.wg.Wait()
}

// sleep waits d, or less if ctx ends first; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}
