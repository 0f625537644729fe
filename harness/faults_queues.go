package harness

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// DeadLetter is a message that reached a dead-letter queue.
type DeadLetter struct {
	Queue  string // the base name of the queue it was dead-lettered from
	Body   string
	Reason string // the consumer's reason, when it dead-lettered it itself
}

// deadLetters keeps what DeadLetters took out of the dead-letter queues.
type deadLetters struct {
	mu   sync.Mutex
	seen []DeadLetter
}

// DeadLetters takes every message out of the dead-letter queues and
// returns all those taken so far, since the start.
func (s *System) DeadLetters(ctx context.Context) ([]DeadLetter, error) {
	s.dead.mu.Lock()
	defer s.dead.mu.Unlock()
	for _, base := range slices.Sorted(maps.Keys(s.aws.DeadLetterQueues)) {
		if err := s.drainDLQ(ctx, base); err != nil {
			return nil, err
		}
	}
	return slices.Clone(s.dead.seen), nil
}

func (s *System) drainDLQ(ctx context.Context, base string) error {
	url := s.aws.DeadLetterQueues[base]
	for {
		out, err := s.aws.Clients.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: 10, MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			return fmt.Errorf("read the dead-letter queue of %s: %w", base, err)
		}
		if len(out.Messages) == 0 {
			return nil
		}
		for _, m := range out.Messages {
			s.dead.seen = append(s.dead.seen, DeadLetter{Queue: base, Body: aws.ToString(m.Body),
				Reason: aws.ToString(m.MessageAttributes["reason"].StringValue)})
			_, err := s.aws.Clients.SQS.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
			if err != nil {
				return fmt.Errorf("delete from the dead-letter queue of %s: %w", base, err)
			}
		}
	}
}

// SendMessage puts body on the queue with base name queue (e.g.
// "order-service-queue") as it is, straight to the emulator: the way to
// inject a poison message.
func (s *System) SendMessage(ctx context.Context, queue, body string) error {
	url, ok := s.aws.Queues[queue]
	if !ok {
		return fmt.Errorf("no queue %q", queue)
	}
	_, err := s.aws.Clients.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body)})
	if err != nil {
		return fmt.Errorf("send to %s: %w", queue, err)
	}
	return nil
}

// QueuedMessages counts the messages on the services' queues (not their
// dead-letter queues): waiting, delayed or being handled. Zero, for a
// while, means the system is quiet.
func (s *System) QueuedMessages(ctx context.Context) (int, error) {
	total := 0
	for base, url := range s.aws.Queues {
		counts, err := s.queueAttributes(ctx, url)
		if err != nil {
			return 0, fmt.Errorf("count the messages on %s: %w", base, err)
		}
		for _, n := range counts {
			total += n
		}
	}
	return total, nil
}
