package queue_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
)

// startConsumerWith runs a consumer with cfg until the test ends.
func (f fixture) startConsumerWith(t *testing.T, cfg queue.ConsumerConfig, handlers map[string]queue.HandlerFunc) *queue.Consumer {
	t.Helper()
	c, err := queue.NewConsumer(t.Context(), f.sqs, f.name, handlers, cfg, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	runConsumer(t, t.Context(), c)
	return c
}

// failing returns a handler whose first n calls fail with err, and a
// counter of its calls.
func failing(n int32, err error) (queue.HandlerFunc, *atomic.Int32) {
	var calls atomic.Int32
	return func(context.Context, events.Envelope) error {
		if calls.Add(1) <= n {
			return err
		}
		return nil
	}, &calls
}

// A dependency down for longer than the redrive's five receives does not
// dead-letter the message: each transient failure sends a fresh copy.
func TestTransientFailuresOutlastTheRedrive(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	handler, calls := failing(5, queue.Transient(errors.New("mercado pago is down")))
	c := f.startConsumerWith(t, queue.ConsumerConfig{RetryBase: time.Second, RetryMax: time.Second, WaitTime: time.Second},
		map[string]queue.HandlerFunc{events.OrderPaid: handler})

	if err := f.publisher(t).Publish(t.Context(), baseName, envelope(t, events.OrderPaid, "corr-outage")); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the message handled after five transient failures", func() bool { return calls.Load() == 6 })
	f.waitEmpty(t)
	if v, n := f.counts(t, f.dlqURL); v+n != 0 {
		t.Errorf("the dead-letter queue holds %d messages; want none", v+n)
	}
	if got, want := c.Stats(), (queue.Stats{Handled: 1, Requeued: 5}); got != want {
		t.Errorf("stats = %+v; want %+v", got, want)
	}
}

// Past the transient window, the redrive takes over again. The window is
// counted from the first failure, so however tiny it is that one is
// requeued; its copy comes back a backoff (1s) later, past it.
func TestTransientFailuresEndInTheRedriveAfterTheWindow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	handler, _ := failing(100, queue.Transient(errors.New("still down")))
	c := f.startConsumerWith(t, queue.ConsumerConfig{RetryBase: time.Second, RetryMax: time.Second, WaitTime: time.Second,
		TransientWindow: time.Millisecond}, map[string]queue.HandlerFunc{events.OrderPaid: handler})

	sent := envelope(t, events.OrderPaid, "corr-window")
	if err := f.publisher(t).Publish(t.Context(), baseName, sent); err != nil {
		t.Fatal(err)
	}
	dead := f.receiveDLQ(t)
	got, err := events.Parse([]byte(*dead.Body))
	if err != nil || got.Meta.EventID != sent.Meta.EventID {
		t.Fatalf("dead-lettered %q (%v); want the event %s", *dead.Body, err, sent.Meta.EventID)
	}
	if s := c.Stats(); s.Requeued != 1 || s.Retried < 4 {
		t.Errorf("stats = %+v; want one requeue, then retries until the redrive", s)
	}
}

// A receive asks for the configured visibility timeout: the message of a
// consumer that died mid-handler (no renewals any more) is back that soon,
// not after the queue's own timeout, here twelve hours.
func TestVisibilityTimeoutBringsBackTheMessageOfADeadConsumer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := f.sqs.SetQueueAttributes(t.Context(), &sqs.SetQueueAttributesInput{
		QueueUrl: aws.String(f.url), Attributes: map[string]string{"VisibilityTimeout": "43200"},
	}); err != nil {
		t.Fatal(err)
	}
	// A dead process renews nothing: drop every visibility change.
	client := sqs.New(f.sqs.Options(), func(o *sqs.Options) {
		o.HTTPClient = dropAction{next: o.HTTPClient, action: "AmazonSQS.ChangeMessageVisibility"}
	})
	var calls atomic.Int32
	hung, back := make(chan struct{}), make(chan struct{})
	c, err := queue.NewConsumer(t.Context(), client, f.name, map[string]queue.HandlerFunc{
		events.OrderPaid: func(ctx context.Context, _ events.Envelope) error {
			if calls.Add(1) == 1 {
				select { // as good as dead until the test ends
				case <-hung:
				case <-ctx.Done():
				}
				return errors.New("hung")
			}
			close(back)
			return nil
		},
	}, queue.ConsumerConfig{RetryBase: time.Second, WaitTime: time.Second, VisibilityTimeout: 2 * time.Second,
		HandlerTimeout: time.Hour, Concurrency: 2}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	runConsumer(t, t.Context(), c)
	t.Cleanup(func() { close(hung) }) // before the consumer's clean-up, which waits for the handler
	if err := f.publisher(t).Publish(t.Context(), baseName, envelope(t, events.OrderPaid, "corr-dead")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-back:
	case <-time.After(30 * time.Second):
		t.Fatal("the message of the hung handler never came back")
	}
}

// dropAction is an HTTP client for the SQS SDK that answers one action
// with a server error without sending it.
type dropAction struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
	action string
}

func (d dropAction) Do(r *http.Request) (*http.Response, error) {
	if r.Header.Get("X-Amz-Target") != d.action {
		return d.next.Do(r)
	}
	return nil, errors.New("dropped " + d.action)
}
