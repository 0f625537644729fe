// Package queue publishes event envelopes to SQS and consumes them with long
// polling: a handler's error leaves the message for redelivery with backoff,
// success deletes it, and a message that can never succeed is moved to the
// queue's dead-letter queue at once with the reason.
package queue

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"go.opentelemetry.io/otel/trace"

	"github.com/comanda/comanda/services/events"
)

// Names maps a base queue name (events.OrderQueue…) to the deployed name,
// which may carry a prefix.
type Names struct {
	Prefix string `env:"QUEUE_PREFIX"`
}

// Of returns the deployed name of base.
func (n Names) Of(base string) string { return n.Prefix + base }

// ResolveURL looks up a queue's URL by name.
func ResolveURL(ctx context.Context, client *sqs.Client, name string) (string, error) {
	out, err := client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("resolve queue %s: %w", name, err)
	}
	return aws.ToString(out.QueueUrl), nil
}

// Publisher sends envelopes to queues known by their base names. Calls to
// the same queue share SendMessageBatch requests (see sender), so it is
// meant to be shared by every goroutine of a service.
type Publisher struct {
	senders map[string]*sender // by base name
	tracer  trace.Tracer       // nil: not traced (Traced)
}

// NewPublisher resolves the URL of each base queue name once.
func NewPublisher(ctx context.Context, client *sqs.Client, names Names, bases ...string) (*Publisher, error) {
	p := &Publisher{senders: make(map[string]*sender, len(bases))}
	for _, base := range bases {
		url, err := ResolveURL(ctx, client, names.Of(base))
		if err != nil {
			return nil, err
		}
		p.senders[base] = newSender(client, base, url)
	}
	return p, nil
}

// Publish sends one envelope to the queue with base name queue.
func (p *Publisher) Publish(ctx context.Context, queue string, env events.Envelope) error {
	body, err := env.Marshal()
	if err != nil {
		return fmt.Errorf("encode %s: %w", env.Meta.EventName, err)
	}
	return p.PublishBodies(ctx, queue, [][]byte{body})
}

// PublishBodies sends already encoded envelopes and returns once SQS has
// accepted them all, or with the first reason one was not, so the caller can
// retry them all. Bodies go out in order, ten or 256 KiB to a request, one
// request after the other, possibly together with other calls' messages;
// a message over 256 KiB (its attributes included) fails the call before
// anything is sent.
//
// If ctx ends first, PublishBodies returns ctx.Err() at once. Messages
// already handed to SQS may still be accepted, and those not yet sent are
// dropped: like every other failure, the caller cannot tell which were
// delivered, so publishing is at-least-once and a retry may duplicate.
func (p *Publisher) PublishBodies(ctx context.Context, queue string, bodies [][]byte) error {
	s, ok := p.senders[queue]
	if !ok {
		return fmt.Errorf("publish: queue %s is not configured", queue)
	}
	if len(bodies) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	attrs, end := p.traceSends(queue, bodies)
	err := checkSizes(queue, bodies, attrs)
	if err == nil {
		err = s.publish(ctx, bodies, attrs)
	}
	end(err)
	return err
}

// checkSizes refuses the call if a message, its attributes included, is
// over the SQS limit: no request could take it.
func checkSizes(queue string, bodies [][]byte, attrs []map[string]types.MessageAttributeValue) error {
	for i, body := range bodies {
		if size := len(body) + attributesSize(attrs[i]); size > maxBatchBytes {
			return fmt.Errorf("publish to %s: message %d of %d is %d bytes, over the SQS limit of %d", queue, i+1, len(bodies), size, maxBatchBytes)
		}
	}
	return nil
}
