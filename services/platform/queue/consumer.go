package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/topology"
)

// ErrPermanent marks a handler error that no retry can cure: the message is
// dead-lettered at once instead of being redelivered.
var ErrPermanent = errors.New("permanent failure")

// Permanent wraps err as ErrPermanent.
func Permanent(err error) error { return fmt.Errorf("%w: %w", ErrPermanent, err) }

// ErrTransient marks a handler error caused by a dependency that is down
// (Mercado Pago, a database): waiting is the cure, however long it takes,
// so the message is requeued with a delay instead of counting towards the
// queue's redrive to the dead-letter queue, up to TransientWindow.
var ErrTransient = errors.New("dependency unavailable")

// Transient wraps err as ErrTransient.
func Transient(err error) error { return fmt.Errorf("%w: %w", ErrTransient, err) }

// HandlerFunc processes one event. Returning nil deletes the message.
type HandlerFunc func(ctx context.Context, env events.Envelope) error

// ConsumerConfig tunes a consumer.
type ConsumerConfig struct {
	Concurrency    int           `env:"CONSUMER_CONCURRENCY, default=16"`
	WaitTime       time.Duration `env:"CONSUMER_WAIT_TIME, default=10s"`
	RetryBase      time.Duration `env:"CONSUMER_RETRY_BASE, default=1s"`
	RetryMax       time.Duration `env:"CONSUMER_RETRY_MAX, default=5m"`
	HandlerTimeout time.Duration `env:"CONSUMER_HANDLER_TIMEOUT, default=25s"`
	// VisibilityTimeout, when set, is asked for on every receive instead of
	// the queue's own: it is how soon the message of a consumer that died
	// mid-handler comes back. It is renewed while a handler runs.
	VisibilityTimeout time.Duration `env:"CONSUMER_VISIBILITY_TIMEOUT"`
	// TransientWindow bounds how long a message failing with ErrTransient
	// is requeued, counted from its first such failure; past it, the
	// queue's redrive takes over.
	TransientWindow time.Duration `env:"CONSUMER_TRANSIENT_WINDOW, default=1h"`

	// Tracers, when set (by the service's Run), traces every message
	// handled: a consumer span, child of the span that made the event.
	Tracers trace.TracerProvider
	// Meters, when set (by the service's Run), measures every message
	// handled (consumer_metrics.go).
	Meters metric.MeterProvider
}

// Consumer long-polls one queue and dispatches by event name.
type Consumer struct {
	client   *sqs.Client
	queue    string
	url      string
	dlqURL   string
	handlers map[string]HandlerFunc
	cfg      ConsumerConfig
	log      *slog.Logger
	// visibility is the queue's visibility timeout, renewed while a handler runs.
	visibility time.Duration
	counts     counters
	metrics    consumerMetrics
	deletes    *deleter // handled messages, deleted in batches
}

// NewConsumer resolves the queue name and its dead-letter queue, named as
// the topology names it (topology.Queues.DeadLetterName), as Terraform and
// the harness make it.
func NewConsumer(ctx context.Context, client *sqs.Client, name string, handlers map[string]HandlerFunc, cfg ConsumerConfig, log *slog.Logger) (*Consumer, error) {
	topo, err := topology.Load()
	if err != nil {
		return nil, err
	}
	url, err := ResolveURL(ctx, client, name)
	if err != nil {
		return nil, err
	}
	dlqURL, err := ResolveURL(ctx, client, topo.Queues.DeadLetterName(name))
	if err != nil {
		return nil, err
	}
	cfg.Concurrency = max(cfg.Concurrency, 1)
	cfg.WaitTime = min(max(cfg.WaitTime, time.Second), 20*time.Second)
	cfg.RetryBase = max(cfg.RetryBase, time.Second)
	cfg.RetryMax = max(cfg.RetryMax, cfg.RetryBase)
	cfg.HandlerTimeout = max(cfg.HandlerTimeout, time.Second)
	if cfg.TransientWindow <= 0 {
		cfg.TransientWindow = time.Hour
	}
	visibility := max(cfg.VisibilityTimeout.Truncate(time.Second), time.Second)
	if cfg.VisibilityTimeout <= 0 {
		visibility = queueVisibility(ctx, client, url)
	}
	return &Consumer{client: client, queue: name, url: url, dlqURL: dlqURL, handlers: handlers, cfg: cfg,
		log: log.With("queue", name), visibility: visibility, metrics: newConsumerMetrics(cfg.Meters, name)}, nil
}

// Stats counts what became of the messages received so far.
func (c *Consumer) Stats() Stats { return c.counts.snapshot() }

// Run receives until ctx ends, then lets in-flight handlers finish and
// their messages be deleted.
func (c *Consumer) Run(ctx context.Context) error {
	slots := make(chan struct{}, c.cfg.Concurrency)
	var wg sync.WaitGroup
	c.deletes = newDeleter(c.client, c.url, c.log)
	defer func() { c.log.Info("consumer stopped", "stats", c.Stats()) }()
	defer c.deletes.close()
	defer wg.Wait()
	// One handler goroutine per slot, for the consumer's life: a goroutine
	// per message would grow a fresh stack for every one, the SDK's calls
	// running deep. A reserved slot
	// means a handler is free or about to be, so handing a message over
	// does not wait.
	work := make(chan types.Message)
	for range c.cfg.Concurrency {
		wg.Go(func() {
			for msg := range work {
				c.process(context.WithoutCancel(ctx), msg)
				<-slots
			}
		})
	}
	defer close(work)
	backlog := false
	for ctx.Err() == nil {
		// Receive only as many messages as there are free handlers: a
		// message received and left waiting for one would have its
		// visibility timeout run out, under load, and come back to be
		// handled twice, which adds to the load. While the queue has a
		// backlog, wait until a batch's worth of handlers is free: one
		// receive per message freed would cost the emulator (and AWS's
		// bill) as much as the messages themselves.
		least := 1
		if backlog {
			least = c.batchUnderLoad()
		}
		free := reserve(ctx, slots, least)
		if free == 0 {
			break
		}
		out, err := c.client.ReceiveMessage(ctx, c.receiveInput(free))
		var msgs []types.Message
		if err == nil {
			msgs = out.Messages
		}
		backlog = len(msgs) == free
		for range free - len(msgs) {
			<-slots
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			c.log.Warn("receive failed; retrying", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		for _, msg := range msgs {
			work <- msg
		}
	}
	return nil
}

// batchUnderLoad is how many handlers a receive waits for while the queue
// has a backlog: half of them, up to a receive's most.
func (c *Consumer) batchUnderLoad() int {
	return max(1, min(maxReceive, c.cfg.Concurrency/2))
}

// maxReceive is the most messages one receive returns.
const maxReceive = 10

// reserve takes least free slots, waiting for them, then every other free
// one up to maxReceive; it returns how many it took, 0 if ctx ended (the
// slots it took are given back then).
func reserve(ctx context.Context, slots chan struct{}, least int) int {
	n := 0
	for n < least {
		select {
		case slots <- struct{}{}:
			n++
		case <-ctx.Done():
			for range n {
				<-slots
			}
			return 0
		}
	}
	for n < maxReceive {
		select {
		case slots <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}

func (c *Consumer) receiveInput(most int) *sqs.ReceiveMessageInput {
	in := &sqs.ReceiveMessageInput{
		QueueUrl:                    aws.String(c.url),
		MaxNumberOfMessages:         int32(most),
		WaitTimeSeconds:             int32(c.cfg.WaitTime / time.Second),
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameApproximateReceiveCount},
		MessageAttributeNames:       []string{"All"},
	}
	if c.cfg.VisibilityTimeout > 0 {
		in.VisibilityTimeout = int32(c.visibility / time.Second)
	}
	return in
}

// settleTimeout bounds the SQS call that settles a message (delete, retry
// delay or dead-letter) after its handler returned.
const settleTimeout = 10 * time.Second

func (c *Consumer) process(ctx context.Context, msg types.Message) {
	received := time.Now()
	receives, _ := strconv.Atoi(msg.Attributes[string(types.MessageSystemAttributeNameApproximateReceiveCount)])
	env, err := events.Parse([]byte(aws.ToString(msg.Body)))
	if err == nil {
		ctx = logging.WithCorrelationID(ctx, env.Meta.CorrelationID)
		var span trace.Span
		ctx, span = c.startSpan(ctx, env, msg, receives)
		defer span.End()
		stop := c.keepInvisible(ctx, msg)
		err = c.dispatch(ctx, env)
		stop()
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, "the handler failed")
		}
	}
	// Settle with a deadline of its own: a handler that used up its timeout
	// must still have its message deleted, delayed or dead-lettered.
	ctx, cancel := context.WithTimeout(ctx, settleTimeout)
	defer cancel()
	log := c.log.With("event_id", env.Meta.EventID, "event_name", env.Meta.EventName, "receive_count", receives)
	var outcome Outcome
	switch {
	case err == nil:
		log.InfoContext(ctx, "event handled", "outcome", OutcomeHandled)
		c.deletes.delete(aws.ToString(msg.ReceiptHandle))
		outcome = OutcomeHandled
	case errors.Is(err, events.ErrMalformed), errors.Is(err, ErrPermanent):
		log.ErrorContext(ctx, "event can never succeed; dead-lettering", "outcome", OutcomeDeadLettered, "reason", err)
		c.deadLetter(ctx, msg, err)
		outcome = OutcomeDeadLettered
	case errors.Is(err, ErrTransient) && c.requeue(ctx, log, msg, receives, err):
		outcome = OutcomeRequeued
	default:
		delay := c.backoff(receives)
		log.WarnContext(ctx, "event failed; will be redelivered", "outcome", OutcomeRetried, "err", err, "retry_in", delay.String())
		c.retryLater(ctx, msg, delay)
		outcome = OutcomeRetried
	}
	c.counts.add(outcome)
	c.metrics.record(ctx, outcome, time.Since(received), env.Meta.EventDate, received)
}

func (c *Consumer) startSpan(ctx context.Context, env events.Envelope, msg types.Message, receives int) (context.Context, trace.Span) {
	tracers := c.cfg.Tracers
	if tracers == nil {
		tracers = noop.NewTracerProvider()
	}
	return tracers.Tracer(tracerName).Start(carried(msg, env).Context(ctx), "process "+env.Meta.EventName,
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			semconv.MessagingSystemAWSSQS,
			semconv.MessagingOperationTypeProcess,
			semconv.MessagingDestinationName(c.queue),
			semconv.MessagingMessageID(aws.ToString(msg.MessageId)),
			attribute.String("comanda.event.id", env.Meta.EventID),
			attribute.String("comanda.event.name", env.Meta.EventName),
			attribute.Int("messaging.aws_sqs.receive_count", receives),
		))
}

// tracerName is this package's, on the spans it starts.
const tracerName = "github.com/comanda/comanda/services/platform/queue"

func (c *Consumer) dispatch(ctx context.Context, env events.Envelope) error {
	h, ok := c.handlers[env.Meta.EventName]
	if !ok {
		return Permanent(fmt.Errorf("no handler for event %q on %s", env.Meta.EventName, c.queue))
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.HandlerTimeout)
	defer cancel()
	return h(ctx, env)
}

// backoff doubles with each receive: base, 2·base, 4·base… up to RetryMax.
func (c *Consumer) backoff(receives int) time.Duration {
	d := c.cfg.RetryBase
	for i := 1; i < receives && d < c.cfg.RetryMax; i++ {
		d *= 2
	}
	return min(d, c.cfg.RetryMax)
}

func (c *Consumer) delete(ctx context.Context, msg types.Message) {
	if _, err := c.client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(c.url), ReceiptHandle: msg.ReceiptHandle}); err != nil {
		c.log.WarnContext(ctx, "delete failed; the message will be handled again", "err", err)
	}
}

func (c *Consumer) retryLater(ctx context.Context, msg types.Message, delay time.Duration) {
	_, err := c.client.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{
		QueueUrl: aws.String(c.url), ReceiptHandle: msg.ReceiptHandle, VisibilityTimeout: int32(delay / time.Second),
	})
	if err != nil {
		c.log.WarnContext(ctx, "could not set retry delay", "err", err)
	}
}

func (c *Consumer) deadLetter(ctx context.Context, msg types.Message, reason error) {
	attrs := map[string]types.MessageAttributeValue{
		"reason": {DataType: aws.String("String"), StringValue: aws.String(truncate(reason.Error(), 1024))},
	}
	for _, name := range []string{attrTraceParent, attrTraceState} { // a redriven message stays in its trace
		if v, ok := msg.MessageAttributes[name]; ok {
			attrs[name] = v
		}
	}
	_, err := c.client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: aws.String(c.dlqURL), MessageBody: msg.Body, MessageAttributes: attrs,
	})
	if err != nil {
		c.log.ErrorContext(ctx, "dead-lettering failed; the message stays for redelivery", "err", err)
		return
	}
	c.delete(ctx, msg)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
