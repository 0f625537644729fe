package queue_test

import (
	"context"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/queue"
)

// fixture is one test's queue and dead-letter queue on an in-process emulator.
type fixture struct {
	sqs    *sqs.Client
	prefix string // unique per test: kumo shares queues across servers in a process
	name   string // prefix + "q"
	url    string
	dlqURL string
}

const baseName = "q"

func TestMain(m *testing.M) { awstest.Main(m) }

// newFixture creates <uniq>q, redriving to its dead-letter queue after
// five receives, as the deployed queues do.
func newFixture(t *testing.T) fixture {
	t.Helper()
	_, clients := awstest.Clients(t)
	f := fixture{sqs: clients.SQS, prefix: awstest.UniquePrefix()}
	f.name = f.prefix + baseName
	f.url, f.dlqURL = awstest.CreateQueue(t, clients, f.name)
	return f
}

func (f fixture) publisher(t *testing.T) *queue.Publisher {
	t.Helper()
	p, err := queue.NewPublisher(t.Context(), f.sqs, queue.Names{Prefix: f.prefix}, baseName)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// startConsumer runs a consumer of the fixture's queue until the test ends
// and returns a channel that yields Run's result.
func (f fixture) startConsumer(t *testing.T, ctx context.Context, handlers map[string]queue.HandlerFunc) <-chan error {
	t.Helper()
	c, err := queue.NewConsumer(t.Context(), f.sqs, f.name, handlers,
		queue.ConsumerConfig{RetryBase: time.Second, WaitTime: time.Second}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	return runConsumer(t, ctx, c)
}

// runConsumer runs c until the test ends (or ctx does) and returns a
// channel that yields Run's result.
func runConsumer(t *testing.T, ctx context.Context, c *queue.Consumer) <-chan error {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return done
}

// counts returns the visible and in-flight messages of a queue.
func (f fixture) counts(t *testing.T, url string) (visible, inFlight int) {
	t.Helper()
	out, err := f.sqs.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url),
		AttributeNames: []types.QueueAttributeName{
			types.QueueAttributeNameApproximateNumberOfMessages,
			types.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
		},
	})
	if err != nil {
		t.Fatalf("queue attributes: %v", err)
	}
	visible, _ = strconv.Atoi(out.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessages)])
	inFlight, _ = strconv.Atoi(out.Attributes[string(types.QueueAttributeNameApproximateNumberOfMessagesNotVisible)])
	return visible, inFlight
}

// waitEmpty waits until the main queue holds no message, visible or not.
func (f fixture) waitEmpty(t *testing.T) {
	t.Helper()
	eventually(t, 10*time.Second, "the queue to be empty", func() bool {
		v, n := f.counts(t, f.url)
		return v == 0 && n == 0
	})
}

// receiveDLQ waits for one dead-lettered message.
func (f fixture) receiveDLQ(t *testing.T) types.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for {
		out, err := f.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(f.dlqURL), WaitTimeSeconds: 1, MaxNumberOfMessages: 1,
			MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			t.Fatalf("no message reached the dead-letter queue: %v", err)
		}
		if len(out.Messages) > 0 {
			return out.Messages[0]
		}
	}
}

// envelope builds an order-paid event with the given correlation id.
func envelope(t *testing.T, name, correlationID string) events.Envelope {
	t.Helper()
	env, err := events.New(name, events.OrderService, events.ProductionService, correlationID,
		events.OrderPaidPayload{OrderID: uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// eventually polls cond every few milliseconds until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		<-tick.C
	}
}

// handled is what a test handler saw.
type handled struct {
	env           events.Envelope
	correlationID string
	at            time.Time
}

// recorder is a handler that reports each call on a channel and returns
// the next of errs (nil once they run out).
func recorder(errs ...error) (queue.HandlerFunc, <-chan handled) {
	calls := make(chan handled, 100)
	var n atomic.Int32
	return func(ctx context.Context, env events.Envelope) error {
		calls <- handled{env: env, correlationID: logging.CorrelationID(ctx), at: time.Now()}
		if i := int(n.Add(1)) - 1; i < len(errs) {
			return errs[i]
		}
		return nil
	}, calls
}

// next waits for the handler's next call.
func next(t *testing.T, calls <-chan handled, what string) handled {
	t.Helper()
	select {
	case h := <-calls:
		return h
	case <-time.After(15 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		return handled{}
	}
}

// reportVisibilityChanges returns a client like base that reports the
// timeout, in seconds, of every ChangeMessageVisibility SQS accepts on the
// returned channel, whose buffer the test must keep from filling.
func reportVisibilityChanges(base *sqs.Client) (*sqs.Client, <-chan int32) {
	changes := make(chan int32, 100)
	report := middleware.InitializeMiddlewareFunc("visibilityChanges", func(ctx context.Context, in middleware.InitializeInput, h middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
		out, md, err := h.HandleInitialize(ctx, in)
		if change, ok := in.Parameters.(*sqs.ChangeMessageVisibilityInput); ok && err == nil {
			changes <- change.VisibilityTimeout
		}
		return out, md, err
	})
	client := sqs.New(base.Options(), func(o *sqs.Options) {
		o.APIOptions = append(slices.Clone(o.APIOptions), func(s *middleware.Stack) error {
			return s.Initialize.Add(report, middleware.Before)
		})
	})
	return client, changes
}
