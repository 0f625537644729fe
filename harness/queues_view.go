package harness

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// QueueStats is what waits on a queue and its dead-letter queue.
type QueueStats struct {
	Name       string // the base name, e.g. order-service-queue
	Visible    int    // waiting to be received
	InFlight   int    // received, not yet deleted
	Delayed    int    // sent with a delay, not yet visible
	DeadLetter int    // on its dead-letter queue
}

// QueueStats counts the messages of every queue the services consume, by
// base name.
func (s *System) QueueStats(ctx context.Context) ([]QueueStats, error) {
	var out []QueueStats
	for _, base := range slices.Sorted(maps.Keys(s.aws.Queues)) {
		attrs, err := s.queueAttributes(ctx, s.aws.Queues[base])
		if err != nil {
			return nil, fmt.Errorf("count the messages on %s: %w", base, err)
		}
		st := QueueStats{Name: base,
			Visible:  attrs[types.QueueAttributeNameApproximateNumberOfMessages],
			InFlight: attrs[types.QueueAttributeNameApproximateNumberOfMessagesNotVisible],
			Delayed:  attrs[types.QueueAttributeNameApproximateNumberOfMessagesDelayed]}
		if dlq, ok := s.aws.DeadLetterQueues[base]; ok {
			dead, err := s.queueAttributes(ctx, dlq)
			if err != nil {
				return nil, fmt.Errorf("count the messages on the dead-letter queue of %s: %w", base, err)
			}
			st.DeadLetter = dead[types.QueueAttributeNameApproximateNumberOfMessages] +
				dead[types.QueueAttributeNameApproximateNumberOfMessagesNotVisible]
		}
		out = append(out, st)
	}
	return out, nil
}

func (s *System) queueAttributes(ctx context.Context, url string) (map[types.QueueAttributeName]int, error) {
	names := []types.QueueAttributeName{
		types.QueueAttributeNameApproximateNumberOfMessages,
		types.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
		types.QueueAttributeNameApproximateNumberOfMessagesDelayed,
	}
	res, err := s.aws.Clients.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url), AttributeNames: names})
	if err != nil {
		return nil, err
	}
	out := map[types.QueueAttributeName]int{}
	for _, name := range names {
		out[name], _ = strconv.Atoi(res.Attributes[string(name)])
	}
	return out, nil
}

// QueuedMessage is a message seen on a queue without taking it.
type QueuedMessage struct {
	ID       string
	Body     string
	Sent     time.Time
	Receives int               // how many times it was received, this look included
	Attrs    map[string]string // its message attributes (the dead-letter reason, the trace context)
}

// Peek returns up to most of the messages waiting on the queue with base
// name queue, or on its dead-letter queue, oldest first, leaving them
// there: they are received, then made visible again at once. Each look is
// a receive: harmless on a dead-letter queue, which redrives nowhere, but
// on a service's own queue it counts towards the message's redrive to the
// dead-letter queue, and it hides the message from its consumer for the
// moment of the look.
func (s *System) Peek(ctx context.Context, queue string, dead bool, most int) ([]QueuedMessage, error) {
	urls := s.aws.Queues
	if dead {
		urls = s.aws.DeadLetterQueues
	}
	url, ok := urls[queue]
	if !ok {
		return nil, fmt.Errorf("no queue %q (dead letters: %t)", queue, dead)
	}
	var msgs []QueuedMessage
	var handles []*string
	defer func() {
		for _, h := range handles { // visible again, for the next look, its consumer or a redrive
			_, _ = s.aws.Clients.SQS.ChangeMessageVisibility(context.WithoutCancel(ctx), &sqs.ChangeMessageVisibilityInput{
				QueueUrl: aws.String(url), ReceiptHandle: h, VisibilityTimeout: 0})
		}
	}()
	for len(msgs) < most {
		out, err := s.aws.Clients.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: int32(min(most-len(msgs), 10)), VisibilityTimeout: 30,
			MessageAttributeNames:       []string{"All"},
			MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
		})
		if err != nil {
			return nil, fmt.Errorf("peek at %s (dead letters: %t): %w", queue, dead, err)
		}
		if len(out.Messages) == 0 {
			break
		}
		for _, m := range out.Messages {
			msgs = append(msgs, queuedMessage(m))
			handles = append(handles, m.ReceiptHandle)
		}
	}
	slices.SortFunc(msgs, func(a, b QueuedMessage) int { return a.Sent.Compare(b.Sent) })
	return msgs, nil
}

func queuedMessage(m types.Message) QueuedMessage {
	q := QueuedMessage{ID: aws.ToString(m.MessageId), Body: aws.ToString(m.Body), Attrs: map[string]string{}}
	if ms, err := strconv.ParseInt(m.Attributes[string(types.MessageSystemAttributeNameSentTimestamp)], 10, 64); err == nil {
		q.Sent = time.UnixMilli(ms)
	}
	q.Receives, _ = strconv.Atoi(m.Attributes[string(types.MessageSystemAttributeNameApproximateReceiveCount)])
	for k, v := range m.MessageAttributes {
		q.Attrs[k] = aws.ToString(v.StringValue)
	}
	return q
}

// Redrive moves the messages of the dead-letter queue of the queue with
// base name queue back onto that queue, their bodies as they were, and
// returns how many it moved. Only those dead-lettered before it began: a
// message that fails again comes back to the dead-letter queue as a new
// one, and is left there (else a poison message would go round for
// ever). A message is deleted from the dead-letter queue only once the
// queue has it: at worst, one is moved twice.
func (s *System) Redrive(ctx context.Context, queue string) (int, error) {
	dlq, ok := s.aws.DeadLetterQueues[queue]
	if !ok {
		return 0, fmt.Errorf("no dead-letter queue for %q", queue)
	}
	began := time.Now().Truncate(time.Millisecond) // SQS's timestamps are in milliseconds
	moved := 0
	for {
		out, err := s.aws.Clients.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(dlq), MaxNumberOfMessages: 10, MessageAttributeNames: []string{"All"},
			MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameSentTimestamp},
		})
		if err != nil {
			return moved, fmt.Errorf("read the dead-letter queue of %s: %w", queue, err)
		}
		if len(out.Messages) == 0 {
			return moved, nil
		}
		newer := 0
		for _, m := range out.Messages {
			if !queuedMessage(m).Sent.Before(began) {
				newer++
				_, _ = s.aws.Clients.SQS.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{
					QueueUrl: aws.String(dlq), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0})
				continue
			}
			if err := s.redriveOne(ctx, queue, dlq, m); err != nil {
				return moved, err
			}
			moved++
		}
		if newer == len(out.Messages) {
			return moved, nil // only messages dead-lettered since: the rest waits its turn
		}
	}
}

func (s *System) redriveOne(ctx context.Context, queue, dlq string, m types.Message) error {
	attrs := maps.Clone(m.MessageAttributes)
	delete(attrs, "reason") // the consumer's reason for the dead letter, not the message's
	if _, err := s.aws.Clients.SQS.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: aws.String(s.aws.Queues[queue]), MessageBody: m.Body, MessageAttributes: attrs,
	}); err != nil {
		return fmt.Errorf("redrive to %s: %w", queue, err)
	}
	if _, err := s.aws.Clients.SQS.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(dlq), ReceiptHandle: m.ReceiptHandle}); err != nil {
		return fmt.Errorf("delete from the dead-letter queue of %s: %w", queue, err)
	}
	return nil
}
