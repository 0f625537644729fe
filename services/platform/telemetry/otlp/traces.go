package otlp

import (
	"context"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// TraceExporter sends spans to an OTLP/HTTP receiver's /v1/traces.
type TraceExporter struct {
	client *Client
	closed atomic.Bool
}

// NewTraceExporter exports spans through client.
func NewTraceExporter(client *Client) *TraceExporter {
	return &TraceExporter{client: client}
}

// ExportSpans sends spans in one request. A failure is the client's to
// report (Client.Send), so it answers nil: the spans are dropped either way.
func (x *TraceExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if len(spans) == 0 || x.closed.Load() {
		return nil
	}
	x.client.Send(ctx, EncodeSpans(spans), len(spans))
	return nil
}

// Shutdown stops the exporter: it sends nothing after.
func (x *TraceExporter) Shutdown(context.Context) error {
	x.closed.Store(true)
	return nil
}

// EncodeSpans is spans as an OTLP ExportTraceServiceRequest (the same
// message as TracesData): grouped by resource, then by instrumentation
// scope, in the order they came.
func EncodeSpans(spans []sdktrace.ReadOnlySpan) []byte {
	var e encoder
	for _, r := range groupSpans(spans) {
		e.message(1, func(e *encoder) { // ResourceSpans
			e.message(1, func(e *encoder) { resourceFields(e, r.resource) })
			for _, s := range r.scopes {
				e.message(2, func(e *encoder) { // ScopeSpans
					e.message(1, func(e *encoder) { scope(e, s.scope) })
					for _, span := range s.spans {
						e.message(2, func(e *encoder) { spanFields(e, span) })
					}
					e.text(3, s.scope.SchemaURL)
				})
			}
			e.text(3, r.resource.SchemaURL())
		})
	}
	return e.buf
}

type resourceSpans struct {
	resource *resource.Resource
	scopes   []*scopeSpans
}

type scopeSpans struct {
	scope instrumentation.Scope
	spans []sdktrace.ReadOnlySpan
}

func groupSpans(spans []sdktrace.ReadOnlySpan) []*resourceSpans {
	var out []*resourceSpans
	byResource := map[attribute.Distinct]*resourceSpans{}
	for _, span := range spans {
		key := span.Resource().Equivalent()
		r := byResource[key]
		if r == nil {
			r = &resourceSpans{resource: span.Resource()}
			byResource[key] = r
			out = append(out, r)
		}
		r.add(span)
	}
	return out
}

func (r *resourceSpans) add(span sdktrace.ReadOnlySpan) {
	scope := span.InstrumentationScope()
	for _, s := range r.scopes {
		if s.scope == scope {
			s.spans = append(s.spans, span)
			return
		}
	}
	r.scopes = append(r.scopes, &scopeSpans{scope: scope, spans: []sdktrace.ReadOnlySpan{span}})
}

// spanFields writes the fields of a Span.
func spanFields(e *encoder, s sdktrace.ReadOnlySpan) {
	sc := s.SpanContext()
	traceID, spanID := sc.TraceID(), sc.SpanID()
	e.bytes(1, traceID[:])
	e.bytes(2, spanID[:])
	e.text(3, sc.TraceState().String())
	if parent := s.Parent(); parent.SpanID().IsValid() {
		id := parent.SpanID()
		e.bytes(4, id[:])
	}
	e.text(5, s.Name())
	e.varint(6, spanKind(s.SpanKind()))
	e.time(7, s.StartTime())
	e.time(8, s.EndTime())
	keyValues(e, 9, s.Attributes())
	e.varint(10, uint64(s.DroppedAttributes()))
	for _, event := range s.Events() {
		e.message(11, func(e *encoder) {
			e.time(1, event.Time)
			e.text(2, event.Name)
			keyValues(e, 3, event.Attributes)
			e.varint(4, uint64(event.DroppedAttributeCount))
		})
	}
	e.varint(12, uint64(s.DroppedEvents()))
	for _, link := range s.Links() {
		e.message(13, func(e *encoder) { linkFields(e, link) })
	}
	e.varint(14, uint64(s.DroppedLinks()))
	if status := s.Status(); status.Code != codes.Unset {
		e.message(15, func(e *encoder) {
			e.text(2, status.Description)
			e.varint(3, statusCode(status.Code))
		})
	}
	e.fixed32(16, flags(sc.TraceFlags(), s.Parent()))
}

func linkFields(e *encoder, l sdktrace.Link) {
	traceID, spanID := l.SpanContext.TraceID(), l.SpanContext.SpanID()
	e.bytes(1, traceID[:])
	e.bytes(2, spanID[:])
	e.text(3, l.SpanContext.TraceState().String())
	keyValues(e, 4, l.Attributes)
	e.varint(5, uint64(l.DroppedAttributeCount))
	e.fixed32(6, flags(l.SpanContext.TraceFlags(), l.SpanContext))
}

// flags are the W3C trace flags, and whether the parent (of a span) or
// the span linked to was remote: SpanFlags.
func flags(traceFlags trace.TraceFlags, other trace.SpanContext) uint32 {
	const hasIsRemote, isRemote = 0x100, 0x200
	f := uint32(traceFlags) | hasIsRemote
	if other.IsRemote() {
		f |= isRemote
	}
	return f
}

// spanKind is Span.SpanKind: the same numbers as the API's.
func spanKind(k trace.SpanKind) uint64 {
	switch k {
	case trace.SpanKindInternal, trace.SpanKindServer, trace.SpanKindClient, trace.SpanKindProducer, trace.SpanKindConsumer:
		return uint64(k)
	}
	return 0 // SPAN_KIND_UNSPECIFIED
}

// statusCode is Status.StatusCode, whose numbers are not the API's.
func statusCode(c codes.Code) uint64 {
	switch c {
	case codes.Ok:
		return 1
	case codes.Error:
		return 2
	}
	return 0
}
