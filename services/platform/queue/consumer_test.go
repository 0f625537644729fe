package queue_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
)

func TestConsumerHandlesAndDeletes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	handler, calls := recorder()
	f.startConsumer(t, t.Context(), map[string]queue.HandlerFunc{events.OrderPaid: handler})

	sent := envelope(t, events.OrderPaid, "corr-"+f.prefix)
	if err := f.publisher(t).Publish(t.Context(), baseName, sent); err != nil {
		t.Fatal(err)
	}

	got := next(t, calls, "the handler")
	if got.env.Meta.EventID != sent.Meta.EventID || string(got.env.Payload) != string(sent.Payload) {
		t.Errorf("handler saw %+v; want the published envelope %+v", got.env, sent)
	}
	if got.correlationID != sent.Meta.CorrelationID {
		t.Errorf("correlation id in the handler's context = %q; want %q", got.correlationID, sent.Meta.CorrelationID)
	}
	f.waitEmpty(t)
}

func TestConsumerRedeliversAfterAnError(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	handler, calls := recorder(errors.New("kitchen database is down"))
	f.startConsumer(t, t.Context(), map[string]queue.HandlerFunc{events.OrderPaid: handler})

	sent := envelope(t, events.OrderPaid, "corr-retry")
	if err := f.publisher(t).Publish(t.Context(), baseName, sent); err != nil {
		t.Fatal(err)
	}

	first := next(t, calls, "the first delivery")
	second := next(t, calls, "the redelivery")
	if second.env.Meta.EventID != sent.Meta.EventID {
		t.Fatalf("redelivered %s; want %s", second.env.Meta.EventID, sent.Meta.EventID)
	}
	// The redelivery waits for the backoff instead of coming back at once.
	if gap := second.at.Sub(first.at); gap < 900*time.Millisecond {
		t.Errorf("redelivered after %s; want about RetryBase (1s)", gap)
	}
	f.waitEmpty(t)
	select {
	case h := <-calls:
		t.Errorf("handled again after success: %+v", h.env.Meta)
	default:
	}
}

func TestHandlerTimeoutStillSettlesTheMessage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	calls := make(chan handled, 10)
	var n atomic.Int32
	client, changes := reportVisibilityChanges(f.sqs)
	c, err := queue.NewConsumer(t.Context(), client, f.name, map[string]queue.HandlerFunc{
		events.OrderPaid: func(ctx context.Context, env events.Envelope) error {
			calls <- handled{env: env, at: time.Now()}
			if n.Add(1) == 1 {
				<-ctx.Done() // a stuck dependency: the handler runs out its time
				return ctx.Err()
			}
			return nil
		},
	}, queue.ConsumerConfig{RetryBase: time.Second, WaitTime: time.Second, HandlerTimeout: time.Second}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	runConsumer(t, t.Context(), c)

	if err := f.publisher(t).Publish(t.Context(), baseName, envelope(t, events.OrderPaid, "corr-timeout")); err != nil {
		t.Fatal(err)
	}
	next(t, calls, "the first delivery")
	// The retry delay is set even though the handler's context is spent, so
	// the message returns after the backoff, not the queue's 30s visibility
	// timeout. (The handler is too short for any renewal, which would ask
	// for 30s.)
	select {
	case secs := <-changes:
		if secs != 1 {
			t.Fatalf("visibility set to %ds; want the 1s backoff", secs)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no retry delay was set after the handler timed out")
	}
	next(t, calls, "the redelivery")
	f.waitEmpty(t)
}

func TestConsumerDeadLettersWhatCanNeverSucceed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		body    func(t *testing.T) string
		handler error
		reason  string
	}{
		{
			name: "permanent handler error",
			body: func(t *testing.T) string {
				return string(must(envelope(t, events.OrderPaid, "corr-perm").Marshal()))
			},
			handler: queue.Permanent(errors.New("order has no items")),
			reason:  "order has no items",
		},
		{
			name:   "malformed JSON",
			body:   func(*testing.T) string { return `{"meta": not json` },
			reason: "malformed",
		},
		{
			name:   "not an envelope",
			body:   func(*testing.T) string { return `{"hello":"world"}` },
			reason: "malformed",
		},
		{
			name: "unknown event name",
			body: func(t *testing.T) string {
				return string(must(envelope(t, "order-exploded-event", "corr-unknown").Marshal()))
			},
			reason: "order-exploded-event",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			var bad atomic.Int32
			handler, calls := recorder()
			f.startConsumer(t, t.Context(), map[string]queue.HandlerFunc{
				events.OrderPaid: func(ctx context.Context, env events.Envelope) error {
					if env.Meta.CorrelationID == "corr-perm" {
						bad.Add(1)
						return c.handler
					}
					return handler(ctx, env)
				},
			})
			badBody := c.body(t)
			good := envelope(t, events.OrderPaid, "corr-good")
			pub := f.publisher(t)
			if err := pub.PublishBodies(t.Context(), baseName, [][]byte{[]byte(badBody)}); err != nil {
				t.Fatal(err)
			}
			if err := pub.Publish(t.Context(), baseName, good); err != nil {
				t.Fatal(err)
			}

			dead := f.receiveDLQ(t)
			if aws.ToString(dead.Body) != badBody {
				t.Errorf("dead-lettered body = %q; want %q", aws.ToString(dead.Body), badBody)
			}
			reason := aws.ToString(dead.MessageAttributes["reason"].StringValue)
			if !strings.Contains(reason, c.reason) {
				t.Errorf("reason attribute = %q; want it to mention %q", reason, c.reason)
			}
			// The queue keeps flowing past the poison message.
			if h := next(t, calls, "the good message"); h.env.Meta.EventID != good.Meta.EventID {
				t.Errorf("handled %s; want the good message %s", h.env.Meta.EventID, good.Meta.EventID)
			}
			f.waitEmpty(t)
			if n := bad.Load(); n > 1 {
				t.Errorf("a permanent failure was retried: handled %d times", n)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestRunWaitsForInFlightHandler(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Once the handler runs, hold Run's next receive (for the second free
	// handler) until it is cancelled, so the test knows when Run has seen
	// the cancel.
	hold := &holdReceive{entered: make(chan struct{}), returned: make(chan struct{})}
	client := sqs.New(f.sqs.Options(), func(o *sqs.Options) {
		hold.next = o.HTTPClient
		o.HTTPClient = hold
	})
	started, release := make(chan struct{}), make(chan struct{})
	var finished atomic.Bool
	handlerCtxErr := make(chan error, 1)
	c, err := queue.NewConsumer(t.Context(), client, f.name, map[string]queue.HandlerFunc{
		events.OrderPaid: func(ctx context.Context, _ events.Envelope) error {
			hold.active.Store(true)
			close(started)
			<-release
			handlerCtxErr <- ctx.Err()
			finished.Store(true)
			return nil
		},
	}, queue.ConsumerConfig{Concurrency: 2, RetryBase: time.Second, WaitTime: time.Second, HandlerTimeout: time.Minute}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()

	if err := f.publisher(t).Publish(t.Context(), baseName, envelope(t, events.OrderPaid, "corr-drain")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, started, "the handler to start")
	waitFor(t, hold.entered, "Run to receive again while the handler runs")
	cancel()
	waitFor(t, hold.returned, "Run's receive to be cancelled")
	select {
	case err := <-done:
		t.Fatalf("Run returned %v while a handler was in flight", err)
	default:
	}

	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v; want nil after a graceful stop", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the handler finished")
	}
	if !finished.Load() {
		t.Fatal("Run returned before the in-flight handler finished")
	}
	if err := <-handlerCtxErr; err != nil {
		t.Errorf("the handler's context ended with Run's (%v); it should be left to finish", err)
	}
	// The finished message was still deleted, not left for redelivery.
	f.waitEmpty(t)
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// holdReceive is an HTTP client for the SQS SDK that, once active, holds
// the first ReceiveMessage call to start until its context ends. A receive
// already under way when it becomes active finishes its long poll first.
type holdReceive struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
	active            atomic.Bool
	once              sync.Once
	entered, returned chan struct{}
}

func (h *holdReceive) Do(r *http.Request) (*http.Response, error) {
	if !h.active.Load() || r.Header.Get("X-Amz-Target") != "AmazonSQS.ReceiveMessage" {
		return h.next.Do(r)
	}
	held := false
	h.once.Do(func() { held = true })
	if !held {
		return h.next.Do(r)
	}
	close(h.entered)
	<-r.Context().Done()
	close(h.returned)
	return nil, r.Context().Err()
}

func TestNewConsumerNeedsTheQueues(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := queue.NewConsumer(t.Context(), f.sqs, "missing-"+uuid.NewString(), nil, queue.ConsumerConfig{}, logging.Discard())
	if err == nil {
		t.Fatal("NewConsumer on a missing queue succeeded")
	}
}
