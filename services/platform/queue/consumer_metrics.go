package queue

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
)

// consumerMetrics are a consumer's instruments, named by OpenTelemetry's
// messaging conventions where they have one.
type consumerMetrics struct {
	consumed metric.Int64Counter     // messages received, by outcome
	duration metric.Float64Histogram // how long handling took
	age      metric.Float64Histogram // how old the event was when received
	attrs    []attribute.KeyValue    // the queue's
}

func newConsumerMetrics(meters metric.MeterProvider, queue string) consumerMetrics {
	if meters == nil {
		meters = noop.NewMeterProvider()
	}
	meter := meters.Meter(tracerName)
	m := consumerMetrics{attrs: []attribute.KeyValue{
		semconv.MessagingSystemAWSSQS, semconv.MessagingDestinationName(queue), semconv.MessagingOperationName("process"),
	}}
	// An instrument that cannot be made is a no-op one: metrics never stop
	// a consumer.
	m.consumed, _ = meter.Int64Counter("messaging.client.consumed.messages", metric.WithUnit("{message}"),
		metric.WithDescription("Messages received, by what became of them (comanda.outcome)."))
	m.duration, _ = meter.Float64Histogram("messaging.process.duration", metric.WithUnit("s"),
		metric.WithDescription("How long handling a message took, its settling included."))
	m.age, _ = meter.Float64Histogram("comanda.messaging.message.age", metric.WithUnit("s"),
		metric.WithDescription("How old an event was when it was received: now less its event_date."))
	return m
}

// record counts one message, its outcome, how long it took and, when its
// event date is known, its age on arrival.
func (m consumerMetrics) record(ctx context.Context, outcome Outcome, took time.Duration, eventDate time.Time, received time.Time) {
	attrs := metric.WithAttributes(append(m.attrs[:len(m.attrs):len(m.attrs)], attribute.String("comanda.outcome", string(outcome)))...)
	m.consumed.Add(ctx, 1, attrs)
	m.duration.Record(ctx, took.Seconds(), attrs)
	if !eventDate.IsZero() {
		m.age.Record(ctx, max(received.Sub(eventDate), 0).Seconds(), metric.WithAttributes(m.attrs...))
	}
}
