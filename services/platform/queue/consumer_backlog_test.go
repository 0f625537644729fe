package queue_test

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
)

// Under a backlog, handlers finish one at a time; the consumer must not
// spend one receive, nor one delete, on each: the emulator, and AWS's
// bill, pay per call.
func TestConsumerReceivesAndDeletesInBatchesUnderABacklog(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const backlog = 60
	pub := f.publisher(t)
	for i := range backlog {
		if err := pub.Publish(t.Context(), baseName, envelope(t, events.OrderPaid, "corr-"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	calls := &countCalls{}
	client := sqs.New(f.sqs.Options(), func(o *sqs.Options) {
		calls.next = o.HTTPClient
		o.HTTPClient = calls
	})
	var handled atomic.Int64
	done := make(chan struct{})
	c, err := queue.NewConsumer(t.Context(), client, f.name, map[string]queue.HandlerFunc{
		events.OrderPaid: func(context.Context, events.Envelope) error {
			// Handlers take different times, so that they free up one by one.
			n := handled.Add(1)
			time.Sleep(time.Duration(1+n%7) * 3 * time.Millisecond)
			if n == backlog {
				close(done)
			}
			return nil
		},
	}, queue.ConsumerConfig{Concurrency: 8, RetryBase: time.Second, WaitTime: time.Second}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	runConsumer(t, t.Context(), c)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("handled %d of %d messages", handled.Load(), backlog)
	}
	// Four handlers a receive (half of eight) is 15 receives; one per
	// handler freed would be close to 60.
	if n := calls.receives.Load(); n > 25 {
		t.Errorf("%d receives for a backlog of %d messages and 8 handlers; want about %d", n, backlog, backlog/4)
	}
	// Deletions wait a little for company: a handler finishes every
	// millisecond or so here, so batches of several.
	f.waitEmpty(t)
	if n := calls.deletes.Load(); n > backlog/3 {
		t.Errorf("%d delete calls for %d messages; want batches", n, backlog)
	}
}

// countCalls counts the receive and delete calls it passes on.
type countCalls struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
	receives, deletes atomic.Int64
}

func (c *countCalls) Do(r *http.Request) (*http.Response, error) {
	switch r.Header.Get("X-Amz-Target") {
	case "AmazonSQS.ReceiveMessage":
		c.receives.Add(1)
	case "AmazonSQS.DeleteMessage", "AmazonSQS.DeleteMessageBatch":
		c.deletes.Add(1)
	}
	return c.next.Do(r)
}
