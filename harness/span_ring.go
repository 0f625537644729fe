package harness

import (
	"context"
	"sync"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// spanRing is a span processor that keeps the spans ended, the newest
// limit of them (all, with no limit): a sandbox left running under load
// keeps a window, not every span of the day.
type spanRing struct {
	mu    sync.Mutex
	limit int
	spans []sdktrace.ReadOnlySpan
	next  int // where the next span goes, once the ring is full
}

func newSpanRing(limit int) *spanRing { return &spanRing{limit: limit} }

func (r *spanRing) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

func (r *spanRing) OnEnd(s sdktrace.ReadOnlySpan) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.limit <= 0 || len(r.spans) < r.limit {
		r.spans = append(r.spans, s)
		return
	}
	r.spans[r.next] = s
	r.next = (r.next + 1) % r.limit
}

func (r *spanRing) Shutdown(context.Context) error   { return nil }
func (r *spanRing) ForceFlush(context.Context) error { return nil }

// Ended is the spans kept, oldest first.
func (r *spanRing) Ended() []sdktrace.ReadOnlySpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]sdktrace.ReadOnlySpan, 0, len(r.spans))
	out = append(out, r.spans[r.next:]...)
	return append(out, r.spans[:r.next]...)
}
