package console

import (
	"slices"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

// waterfall is one trace as rows of spans, each placed on the trace's
// time line: a child under its parent, children in the order they began.
type waterfall struct {
	TraceID string
	Start   time.Time
	Total   time.Duration
	Rows    []spanRow
}

type spanRow struct {
	Service  string
	Name     string
	Kind     string
	Depth    int
	Offset   float64 // percent of the trace's time line before it began
	Width    float64 // percent of the time line it lasted (at least a sliver)
	Duration time.Duration
	Failed   bool
	Links    []string // trace ids it links to
}

// newWaterfall lays out the spans of trace id out of all.
func newWaterfall(id trace.TraceID, all []sdktrace.ReadOnlySpan) *waterfall {
	var spans []sdktrace.ReadOnlySpan
	for _, s := range all {
		if s.SpanContext().TraceID() == id {
			spans = append(spans, s)
		}
	}
	if len(spans) == 0 {
		return nil
	}
	w := &waterfall{TraceID: id.String(), Start: spans[0].StartTime()}
	end := spans[0].EndTime()
	children := map[trace.SpanID][]sdktrace.ReadOnlySpan{}
	ids := map[trace.SpanID]bool{}
	for _, s := range spans {
		ids[s.SpanContext().SpanID()] = true
		w.Start = minTime(w.Start, s.StartTime())
		if s.EndTime().After(end) {
			end = s.EndTime()
		}
	}
	var roots []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if parent := s.Parent().SpanID(); ids[parent] {
			children[parent] = append(children[parent], s)
		} else {
			roots = append(roots, s)
		}
	}
	w.Total = max(end.Sub(w.Start), time.Microsecond)
	var walk func(list []sdktrace.ReadOnlySpan, depth int)
	walk = func(list []sdktrace.ReadOnlySpan, depth int) {
		slices.SortFunc(list, func(a, b sdktrace.ReadOnlySpan) int { return a.StartTime().Compare(b.StartTime()) })
		for _, s := range list {
			w.Rows = append(w.Rows, w.row(s, depth))
			walk(children[s.SpanContext().SpanID()], depth+1)
		}
	}
	walk(roots, 0)
	return w
}

func (w *waterfall) row(s sdktrace.ReadOnlySpan, depth int) spanRow {
	d := s.EndTime().Sub(s.StartTime())
	r := spanRow{
		Service: serviceOf(s), Name: s.Name(), Kind: s.SpanKind().String(), Depth: depth, Duration: d,
		Offset: 100 * float64(s.StartTime().Sub(w.Start)) / float64(w.Total),
		Width:  max(100*float64(d)/float64(w.Total), 0.3),
		Failed: s.Status().Code == codes.Error,
	}
	for _, l := range s.Links() {
		r.Links = append(r.Links, l.SpanContext.TraceID().String())
	}
	return r
}

func serviceOf(s sdktrace.ReadOnlySpan) string {
	if v, ok := s.Resource().Set().Value(semconv.ServiceNameKey); ok {
		return v.AsString()
	}
	return "?"
}

// linkedTraces are the traces the spans of w link to, in the order met.
func linkedTraces(w *waterfall) []trace.TraceID {
	var out []trace.TraceID
	for _, r := range w.Rows {
		for _, l := range r.Links {
			id, err := trace.TraceIDFromHex(l)
			if err == nil && l != w.TraceID && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// message is one message an order caused: its send span and, once
// handled, the span that handled it.
type message struct {
	Event    string
	Queue    string
	From     string // the service that sent it
	Sent     time.Time
	By       string // the service that handled it
	Took     time.Duration
	Handled  bool
	Failures int // handlings that failed before (or without) the one that succeeded
}

// messagesOf lists the messages sent within trace id, from their send
// spans (producer) and the process spans (consumer) under them.
func messagesOf(id trace.TraceID, all []sdktrace.ReadOnlySpan) []message {
	processed := map[trace.SpanID][]sdktrace.ReadOnlySpan{}
	var sends []sdktrace.ReadOnlySpan
	for _, s := range all {
		if s.SpanContext().TraceID() != id {
			continue
		}
		switch s.SpanKind() {
		case trace.SpanKindProducer:
			sends = append(sends, s)
		case trace.SpanKindConsumer:
			processed[s.Parent().SpanID()] = append(processed[s.Parent().SpanID()], s)
		}
	}
	var out []message
	for _, s := range sends {
		m := message{Event: attr(s, "comanda.event.name"), Queue: attr(s, string(semconv.MessagingDestinationNameKey)),
			From: serviceOf(s), Sent: s.StartTime()}
		for _, p := range processed[s.SpanContext().SpanID()] {
			if p.Status().Code == codes.Error {
				m.Failures++
				continue
			}
			m.Handled, m.By, m.Took = true, serviceOf(p), p.EndTime().Sub(p.StartTime())
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b message) int { return a.Sent.Compare(b.Sent) })
	return out
}

func attr(s sdktrace.ReadOnlySpan, key string) string {
	for _, kv := range s.Attributes() {
		if kv.Key == attribute.Key(key) {
			return kv.Value.String()
		}
	}
	return ""
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
