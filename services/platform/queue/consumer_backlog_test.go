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
// spend one receive on each: the emulator, and AWS's bill, pay per call.
// (Deletions share calls too, over a linger: TestDeleterGathersTheDeletionsOfItsLinger.)
func TestConsumerReceivesInBatchesUnderABacklog(t *testing.T) {
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
			// Handlers take different times, so that they free up one by
			// one; how long does not matter, only that it differs.
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
	// The first receive takes eight, each later one waits for four free
	// handlers (half of eight): 14 at most, whatever the handlers' pace.
	// One per handler freed would be close to 60.
	if n := calls.receives.Load(); n > 25 {
		t.Errorf("%d receives for a backlog of %d messages and 8 handlers; want about %d", n, backlog, backlog/4)
	}
	f.waitEmpty(t)
}

// countCalls counts the receive calls it passes on.
type countCalls struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
	receives atomic.Int64
}

func (c *countCalls) Do(r *http.Request) (*http.Response, error) {
	if r.Header.Get("X-Amz-Target") == "AmazonSQS.ReceiveMessage" {
		c.receives.Add(1)
	}
	return c.next.Do(r)
}
