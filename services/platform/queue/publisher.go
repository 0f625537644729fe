// Package queue publishes event envelopes to SQS and consumes them with long
// polling: a handler's error leaves the message for redelivery with backoff,
// success deletes it, and a message that can never succeed is moved to the
// queue's dead-letter queue at once with the reason.
package queue

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

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

// Publisher sends envelopes to queues known by their base names.
type Publisher struct {
	client *sqs.Client
	urls   map[string]string
}

// NewPublisher resolves the URL of each base queue name once.
func NewPublisher(ctx context.Context, client *sqs.Client, names Names, bases ...string) (*Publisher, error) {
	p := &Publisher{client: client, urls: make(map[string]string, len(bases))}
	for _, base := range bases {
		url, err := ResolveURL(ctx, client, names.Of(base))
		if err != nil {
			return nil, err
		}
		p.urls[base] = url
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

// PublishBodies sends already encoded envelopes, ten to a batch; it fails
// if any message was not accepted, so the caller can retry them all.
func (p *Publisher) PublishBodies(ctx context.Context, queue string, bodies [][]byte) error {
	url, ok := p.urls[queue]
	if !ok {
		return fmt.Errorf("publish: queue %s is not configured", queue)
	}
	for start := 0; start < len(bodies); start += 10 {
		end := min(start+10, len(bodies))
		entries := make([]types.SendMessageBatchRequestEntry, 0, end-start)
		for i, body := range bodies[start:end] {
			entries = append(entries, types.SendMessageBatchRequestEntry{
				Id:          aws.String(strconv.Itoa(i)),
				MessageBody: aws.String(string(body)),
			})
		}
		out, err := p.client.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: entries})
		if err != nil {
			return fmt.Errorf("publish to %s: %w", queue, err)
		}
		if len(out.Failed) > 0 {
			f := out.Failed[0]
			return fmt.Errorf("publish to %s: %d of %d messages refused (%s: %s)", queue, len(out.Failed), len(entries), aws.ToString(f.Code), aws.ToString(f.Message))
		}
	}
	return nil
}
