package otlp_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/comanda/comanda/services/platform/telemetry/otlp"
)

// Spans are written as OTLP's generated code reads them: every field a
// collector shows, each attribute type, events, links, status, the
// parent, and the remote flags.
func TestSpansDecodeAsOTLP(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	res := resource.NewSchemaless(attribute.String("service.name", "order"))
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithSpanProcessor(rec))
	remote := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1, 2, 3}, SpanID: trace.SpanID{4, 5, 6}, TraceFlags: trace.FlagsSampled, Remote: true,
	})
	ctx := trace.ContextWithRemoteSpanContext(context.Background(), remote)
	tracer := tp.Tracer("comanda/order", trace.WithInstrumentationVersion("1.0"))
	ctx, parent := tracer.Start(ctx, "POST /order", trace.WithSpanKind(trace.SpanKindServer))
	_, child := tracer.Start(ctx, "INSERT orders", trace.WithSpanKind(trace.SpanKindClient),
		trace.WithLinks(trace.Link{SpanContext: remote, Attributes: []attribute.KeyValue{attribute.String("why", "webhook")}}))
	child.SetAttributes(
		attribute.String("empty", ""), attribute.Bool("ok", true), attribute.Int64("zero", 0), attribute.Int64("minus", -7),
		attribute.Float64("pi", 3.25), attribute.StringSlice("items", []string{"x-burger", "soda"}),
		attribute.Int64Slice("qty", []int64{2, 1}),
	)
	child.AddEvent("retry", trace.WithAttributes(attribute.Int("attempt", 2)))
	child.SetStatus(codes.Error, "deadlock")
	child.End()
	parent.End()

	var got tracepb.TracesData
	if err := proto.Unmarshal(otlp.EncodeSpans(rec.Ended()), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.ResourceSpans) != 1 || len(got.ResourceSpans[0].ScopeSpans) != 1 {
		t.Fatalf("want one resource and one scope; got %v", &got)
	}
	rs := got.ResourceSpans[0]
	if v := attrs(rs.Resource.Attributes)["service.name"]; v.GetStringValue() != "order" {
		t.Errorf("service.name = %v", v)
	}
	scope := rs.ScopeSpans[0].Scope
	if scope.Name != "comanda/order" || scope.Version != "1.0" {
		t.Errorf("scope %v", scope)
	}
	spans := rs.ScopeSpans[0].Spans
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	c, p := spans[0], spans[1]
	if trace.TraceID(c.TraceId) != remote.TraceID() || trace.TraceID(p.TraceId) != remote.TraceID() {
		t.Errorf("trace id %x, want %s", c.TraceId, remote.TraceID())
	}
	if string(c.ParentSpanId) != string(p.SpanId) || trace.SpanID(p.ParentSpanId) != remote.SpanID() {
		t.Errorf("parents: child's %x (want %x), parent's %x (want %s)", c.ParentSpanId, p.SpanId, p.ParentSpanId, remote.SpanID())
	}
	if c.Name != "INSERT orders" || c.Kind != tracepb.Span_SPAN_KIND_CLIENT || p.Kind != tracepb.Span_SPAN_KIND_SERVER {
		t.Errorf("name %q kinds %v %v", c.Name, c.Kind, p.Kind)
	}
	if c.StartTimeUnixNano == 0 || c.EndTimeUnixNano < c.StartTimeUnixNano {
		t.Errorf("times %d → %d", c.StartTimeUnixNano, c.EndTimeUnixNano)
	}
	if c.Flags != 0x101 || p.Flags != 0x301 {
		t.Errorf("flags child %#x (local parent, want 0x101), parent %#x (remote parent, want 0x301)", c.Flags, p.Flags)
	}
	a := attrs(c.Attributes)
	if _, isString := a["empty"].GetValue().(*commonpb.AnyValue_StringValue); !isString || !a["ok"].GetBoolValue() ||
		a["minus"].GetIntValue() != -7 || a["pi"].GetDoubleValue() != 3.25 {
		t.Errorf("attributes %v", a)
	}
	if _, isInt := a["zero"].GetValue().(*commonpb.AnyValue_IntValue); !isInt {
		t.Errorf("a zero int64 is %v; want an int value of 0", a["zero"])
	}
	if items := a["items"].GetArrayValue().GetValues(); len(items) != 2 || items[1].GetStringValue() != "soda" {
		t.Errorf("items %v", items)
	}
	if qty := a["qty"].GetArrayValue().GetValues(); len(qty) != 2 || qty[0].GetIntValue() != 2 {
		t.Errorf("qty %v", qty)
	}
	if len(c.Events) != 1 || c.Events[0].Name != "retry" || attrs(c.Events[0].Attributes)["attempt"].GetIntValue() != 2 {
		t.Errorf("events %v", c.Events)
	}
	if len(c.Links) != 1 || trace.SpanID(c.Links[0].SpanId) != remote.SpanID() || c.Links[0].Flags != 0x301 ||
		attrs(c.Links[0].Attributes)["why"].GetStringValue() != "webhook" {
		t.Errorf("links %v", c.Links)
	}
	if c.Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR || c.Status.GetMessage() != "deadlock" || p.Status != nil {
		t.Errorf("statuses %v, %v", c.Status, p.Status)
	}
}

// Spans of two services' providers go in two resources.
func TestSpansGroupByResource(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	for _, service := range []string{"order", "payment", "order"} {
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec),
			sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))))
		_, span := tp.Tracer("t").Start(context.Background(), service)
		span.End()
	}
	var got tracepb.TracesData
	if err := proto.Unmarshal(otlp.EncodeSpans(rec.Ended()), &got); err != nil {
		t.Fatal(err)
	}
	var per []int
	for _, rs := range got.ResourceSpans {
		per = append(per, len(rs.ScopeSpans[0].Spans))
	}
	if len(per) != 2 || per[0] != 2 || per[1] != 1 {
		t.Errorf("spans per resource %v; want [2 1]", per)
	}
}

func attrs(kvs []*commonpb.KeyValue) map[string]*commonpb.AnyValue {
	out := map[string]*commonpb.AnyValue{}
	for _, kv := range kvs {
		out[kv.Key] = kv.Value
	}
	return out
}
