package queue

import (
	"context"
	"log/slog"
	"maps"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// The message attributes a requeued copy carries, so that its backoff and
// its transient window go on from where the original left them.
const (
	attrAttempts     = "comanda-attempts"      // deliveries of earlier copies
	attrFailingSince = "comanda-failing-since" // RFC 3339: the first transient failure
)

// maxDelay is the longest DelaySeconds SQS takes.
const maxDelay = 15 * time.Minute

// requeue answers a transient failure: rather than setting the message's
// visibility (each receive counts towards the redrive, and five quick ones
// would dead-letter it during an outage of minutes), it sends the same body
// again as a fresh message, delayed by the backoff of all the deliveries so
// far, then deletes the original. The body, and so the event id, is the
// same: a copy that slips through twice is deduplicated by the handler.
// It reports false, leaving the message to the ordinary retry, once the
// failures have lasted longer than TransientWindow or when the copy cannot
// be sent.
func (c *Consumer) requeue(ctx context.Context, log *slog.Logger, msg types.Message, receives int, cause error) bool {
	now := time.Now()
	earlier, since := requeueState(msg, now)
	if now.Sub(since) > c.cfg.TransientWindow {
		log.WarnContext(ctx, "dependency unavailable for longer than the transient window; leaving the message to the redrive",
			"failing_since", since.Format(time.RFC3339), "err", cause)
		return false
	}
	attempts := earlier + max(receives, 1)
	delay := min(c.backoff(attempts), maxDelay)
	attrs := maps.Clone(msg.MessageAttributes)
	if attrs == nil {
		attrs = map[string]types.MessageAttributeValue{}
	}
	attrs[attrAttempts] = types.MessageAttributeValue{DataType: aws.String("Number"), StringValue: aws.String(strconv.Itoa(attempts))}
	attrs[attrFailingSince] = types.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(since.Format(time.RFC3339Nano))}
	_, err := c.client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: aws.String(c.url), MessageBody: msg.Body, DelaySeconds: int32(delay / time.Second), MessageAttributes: attrs,
	})
	if err != nil {
		log.WarnContext(ctx, "could not requeue; falling back to a retry delay", "err", err)
		return false
	}
	log.WarnContext(ctx, "dependency unavailable; requeued as a fresh message", "outcome", OutcomeRequeued, "err", cause,
		"attempts", attempts, "retry_in", delay.String(), "failing_since", since.Format(time.RFC3339))
	c.delete(ctx, msg)
	return true
}

// requeueState reads what earlier copies of msg went through: how many
// deliveries, and since when it has been failing (now for a first failure).
func requeueState(msg types.Message, now time.Time) (attempts int, since time.Time) {
	if v, ok := msg.MessageAttributes[attrAttempts]; ok {
		attempts, _ = strconv.Atoi(aws.ToString(v.StringValue))
	}
	since = now
	if v, ok := msg.MessageAttributes[attrFailingSince]; ok {
		if t, err := time.Parse(time.RFC3339Nano, aws.ToString(v.StringValue)); err == nil && t.Before(now) {
			since = t
		}
	}
	return max(attempts, 0), since
}
