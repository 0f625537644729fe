package telemetry

import (
	"context"

	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
)

// childrenOnly wraps a tracer provider so that its tracers start spans
// only within a trace: a query, an AWS call made for a request or a message
// is a span of its trace, while the background work that polls (the outbox
// relay's sweeps, the consumers' long polls) makes no trace of its own
// every few hundred milliseconds.
type childrenOnly struct {
	embedded.TracerProvider
	tracers trace.TracerProvider
}

func (c childrenOnly) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	return childTracer{tracer: c.tracers.Tracer(name, opts...)}
}

type childTracer struct {
	embedded.Tracer
	tracer trace.Tracer
}

// Start starts a span if ctx is in a trace; otherwise it returns ctx as it
// is and a span that records nothing.
func (c childTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return ctx, trace.SpanFromContext(ctx)
	}
	return c.tracer.Start(ctx, name, opts...)
}
