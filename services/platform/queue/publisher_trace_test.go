package queue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// made is the trace context of the work that made an event: a span of
// another service, remote to the publisher.
const made = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

// A traced publisher sends each message in a producer span of the trace
// its envelope carries, and names that span in the message's attributes;
// the consumer's span is that span's child.
func TestTraceContextTravelsInMessageAttributes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rec := tracetest.NewSpanRecorder()
	tracers := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	pub := f.publisher(t)
	pub.Traced(tracers)
	env := envelope(t, events.OrderPaid, "corr-"+f.prefix)
	env.Meta.TraceParent = made
	if err := pub.Publish(t.Context(), baseName, env); err != nil {
		t.Fatal(err)
	}
	msg := f.receive(t)
	send := endedSpan(t, rec, "send "+baseName)
	if send.SpanKind() != trace.SpanKindProducer || send.Parent().SpanID().String() != "00f067aa0ba902b7" ||
		send.SpanContext().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("send span %v, parent %v; want a producer span, child of the envelope's", send.SpanContext(), send.Parent())
	}
	if got, want := aws.ToString(msg.MessageAttributes["traceparent"].StringValue), telemetry.Carry(trace.ContextWithSpanContext(context.Background(), send.SpanContext())).Parent; got != want {
		t.Errorf("traceparent attribute %q; want the send span's, %q", got, want)
	}
	if err := f.sendRaw(t, msg.Body, msg.MessageAttributes); err != nil {
		t.Fatal(err)
	}
	handler, calls := recorder()
	c, err := queue.NewConsumer(t.Context(), f.sqs, f.name, map[string]queue.HandlerFunc{events.OrderPaid: handler},
		queue.ConsumerConfig{WaitTime: time.Second, Tracers: tracers}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	runConsumer(t, t.Context(), c)
	next(t, calls, "the handler")
	f.waitEmpty(t)
	if process := endedSpan(t, rec, "process "+events.OrderPaid); process.Parent().SpanID() != send.SpanContext().SpanID() {
		t.Errorf("process span's parent %s; want the send span %s", process.Parent().SpanID(), send.SpanContext().SpanID())
	}
}

// Untraced, a publisher still passes the envelope's context on in the
// attributes; a body that carries none gets none; and a message without
// them is processed in its envelope's trace.
func TestTraceContextWithoutTracing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	env := envelope(t, events.OrderPaid, "corr-"+f.prefix)
	env.Meta.TraceParent = made
	if err := f.publisher(t).Publish(t.Context(), baseName, env); err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(f.receive(t).MessageAttributes["traceparent"].StringValue); got != made {
		t.Errorf("traceparent attribute %q; want the envelope's %q", got, made)
	}
	if err := f.publisher(t).Publish(t.Context(), baseName, envelope(t, events.OrderPaid, "corr-"+f.prefix)); err != nil {
		t.Fatal(err)
	}
	if attrs := f.receive(t).MessageAttributes; len(attrs) != 0 {
		t.Errorf("attributes %v on a message that carries no trace context", attrs)
	}

	body, _ := env.Marshal()
	if err := f.sendRaw(t, aws.String(string(body)), nil); err != nil {
		t.Fatal(err)
	}
	rec := tracetest.NewSpanRecorder()
	handler, calls := recorder()
	c, err := queue.NewConsumer(t.Context(), f.sqs, f.name, map[string]queue.HandlerFunc{events.OrderPaid: handler},
		queue.ConsumerConfig{WaitTime: time.Second, Tracers: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	runConsumer(t, t.Context(), c)
	next(t, calls, "the handler")
	f.waitEmpty(t)
	if process := endedSpan(t, rec, "process "+events.OrderPaid); process.Parent().SpanID().String() != "00f067aa0ba902b7" {
		t.Errorf("process span's parent %s; want the envelope's", process.Parent().SpanID())
	}
}

// receive takes one message off the fixture's queue, attributes and all.
func (f fixture) receive(t *testing.T) types.Message {
	t.Helper()
	for {
		out, err := f.sqs.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(f.url), WaitTimeSeconds: 1, MaxNumberOfMessages: 1, MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) == 1 {
			m := out.Messages[0]
			if _, err := f.sqs.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{QueueUrl: aws.String(f.url), ReceiptHandle: m.ReceiptHandle}); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
}

func (f fixture) sendRaw(t *testing.T, body *string, attrs map[string]types.MessageAttributeValue) error {
	_, err := f.sqs.SendMessage(t.Context(), &sqs.SendMessageInput{QueueUrl: aws.String(f.url), MessageBody: body, MessageAttributes: attrs})
	return err
}

// endedSpan is the span named name rec saw end; eventually, since a
// consumer ends its span after the handler returns.
func endedSpan(t *testing.T, rec *tracetest.SpanRecorder, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	var found sdktrace.ReadOnlySpan
	eventually(t, 10*time.Second, "the span "+name, func() bool {
		for _, s := range rec.Ended() {
			if s.Name() == name {
				found = s
			}
		}
		return found != nil
	})
	return found
}

// A message's trace context counts towards the SQS size limit: a body
// that fits alone but not with its attributes is refused before anything
// is sent, rather than by every request that would carry it.
func TestTraceAttributesCountTowardsTheSizeLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	env := envelope(t, events.OrderPaid, "corr-"+f.prefix)
	env.Meta.TraceParent = made
	padded := func(n int) []byte {
		env.Payload = []byte(`{"pad":"` + strings.Repeat("x", n) + `"}`)
		body, err := env.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	body := padded(0)
	body = padded(256<<10 - 10 - len(body))
	if len(body) != 256<<10-10 {
		t.Fatalf("body of %d bytes", len(body))
	}
	err := f.publisher(t).PublishBodies(t.Context(), baseName, [][]byte{body})
	if err == nil || !strings.Contains(err.Error(), "over the SQS limit") {
		t.Errorf("PublishBodies = %v; want it refused as over the limit, attributes included", err)
	}
}
