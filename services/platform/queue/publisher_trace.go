package queue

import (
	"bytes"
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// The message attributes that carry a message's W3C trace context, as
// OpenTelemetry's messaging conventions place it: beside the body, for a
// consumer to read without decoding it. They name the producer's span that
// sent the message; the envelope's meta keeps the context of the work that
// made the event (it travels through the outbox, where no span is yet), and
// is what a consumer falls back on when the attributes are missing.
const (
	attrTraceParent = "traceparent"
	attrTraceState  = "tracestate"
)

// Traced makes the publisher trace its sends with tracers: a producer span
// "send <queue>" per message that carries a trace context, in that trace.
// Without it (or with telemetry off) the context still goes into the
// message attributes, as the envelope carries it.
func (p *Publisher) Traced(tracers trace.TracerProvider) {
	p.tracer = tracers.Tracer(tracerName)
}

// traceSends starts the send spans of bodies, and returns each body's
// message attributes (nil for a body that carries no trace context, or is
// not an envelope) and end, which ends the spans with the outcome.
func (p *Publisher) traceSends(queue string, bodies [][]byte) (attrs []map[string]types.MessageAttributeValue, end func(error)) {
	tracer := p.tracer
	if tracer == nil {
		tracer = noop.NewTracerProvider().Tracer(tracerName)
	}
	attrs = make([]map[string]types.MessageAttributeValue, len(bodies))
	var spans []trace.Span
	for i, body := range bodies {
		if !bytes.Contains(body, []byte(`"traceparent"`)) {
			continue // nothing traced it: no envelope to decode on every publish
		}
		meta, err := events.MetaOf(body)
		if err != nil || meta.TraceParent == "" {
			continue
		}
		ctx := telemetry.Carried{Parent: meta.TraceParent, State: meta.TraceState}.Context(context.Background())
		ctx, span := tracer.Start(ctx, "send "+queue, trace.WithSpanKind(trace.SpanKindProducer), trace.WithAttributes(
			semconv.MessagingSystemAWSSQS,
			semconv.MessagingOperationTypeSend,
			semconv.MessagingDestinationName(queue),
			attribute.String("comanda.event.id", meta.EventID),
			attribute.String("comanda.event.name", meta.EventName),
		))
		spans = append(spans, span)
		attrs[i] = traceAttributes(telemetry.Carry(ctx))
	}
	return attrs, func(err error) {
		for _, span := range spans {
			if err != nil {
				span.RecordError(err)
				span.SetStatus(codes.Error, "not sent")
			}
			span.End()
		}
	}
}

func traceAttributes(c telemetry.Carried) map[string]types.MessageAttributeValue {
	attrs := map[string]types.MessageAttributeValue{
		attrTraceParent: {DataType: aws.String("String"), StringValue: aws.String(c.Parent)},
	}
	if c.State != "" {
		attrs[attrTraceState] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(c.State)}
	}
	return attrs
}

// carried is the trace context msg carries: its attributes', else its
// envelope's.
func carried(msg types.Message, env events.Envelope) telemetry.Carried {
	if v, ok := msg.MessageAttributes[attrTraceParent]; ok && aws.ToString(v.StringValue) != "" {
		return telemetry.Carried{Parent: aws.ToString(v.StringValue), State: aws.ToString(msg.MessageAttributes[attrTraceState].StringValue)}
	}
	return telemetry.Carried{Parent: env.Meta.TraceParent, State: env.Meta.TraceState}
}
