package queue_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
)

// A handler slower than the queue's visibility timeout keeps its message:
// the consumer renews the timeout while it runs, so no second delivery races it.
func TestSlowHandlerIsNotRedeliveredWhileRunning(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := f.sqs.SetQueueAttributes(t.Context(), &sqs.SetQueueAttributesInput{
		QueueUrl: aws.String(f.url), Attributes: map[string]string{"VisibilityTimeout": "2"},
	}); err != nil {
		t.Fatal(err)
	}
	client, renewals := reportVisibilityChanges(f.sqs)
	var runs atomic.Int32
	c, err := queue.NewConsumer(t.Context(), client, f.name, map[string]queue.HandlerFunc{
		events.OrderPaid: func(ctx context.Context, _ events.Envelope) error {
			runs.Add(1)
			// Work through four renewals, a second apart: two visibility
			// timeouts at least, however long each renewal takes.
			for range 4 {
				select {
				case <-renewals:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		},
	}, queue.ConsumerConfig{Concurrency: 4, WaitTime: time.Second, HandlerTimeout: time.Minute}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	runConsumer(t, t.Context(), c)

	if err := f.publisher(t).Publish(t.Context(), baseName, envelope(t, events.OrderPaid, "corr-slow")); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the slow handler to finish", func() bool { return c.Stats().Handled == 1 })
	f.waitEmpty(t)
	if n := runs.Load(); n != 1 {
		t.Fatalf("the handler ran %d times; want once", n)
	}
}

// Every outcome is counted: handled, retried, dead-lettered.
func TestConsumerCountsOutcomes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var failures atomic.Int32
	c, err := queue.NewConsumer(t.Context(), f.sqs, f.name, map[string]queue.HandlerFunc{
		events.OrderPaid: func(context.Context, events.Envelope) error {
			if failures.Add(1) == 1 {
				return errors.New("first try fails")
			}
			return nil
		},
	}, queue.ConsumerConfig{RetryBase: time.Second, WaitTime: time.Second}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	runConsumer(t, t.Context(), c)

	pub := f.publisher(t)
	if err := pub.Publish(t.Context(), baseName, envelope(t, events.OrderPaid, "corr-count")); err != nil {
		t.Fatal(err)
	}
	if err := pub.PublishBodies(t.Context(), baseName, [][]byte{[]byte("not an envelope")}); err != nil {
		t.Fatal(err)
	}
	want := queue.Stats{Handled: 1, Retried: 1, DeadLettered: 1}
	eventually(t, 15*time.Second, "every outcome counted", func() bool { return c.Stats() == want })
}
