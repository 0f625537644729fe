package queue

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// defaultVisibility is SQS's own default, used when the queue does not say.
const defaultVisibility = 30 * time.Second

// queueVisibility reads the queue's visibility timeout.
func queueVisibility(ctx context.Context, client *sqs.Client, url string) time.Duration {
	out, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(url),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameVisibilityTimeout},
	})
	if err != nil {
		return defaultVisibility
	}
	secs, err := strconv.Atoi(out.Attributes[string(types.QueueAttributeNameVisibilityTimeout)])
	if err != nil || secs <= 0 {
		return defaultVisibility
	}
	return time.Duration(secs) * time.Second
}

// keepInvisible extends msg's visibility timeout every half timeout while a
// handler runs, so that a slow handler is not raced by a second delivery of
// the same message; the returned func stops it.
func (c *Consumer) keepInvisible(ctx context.Context, msg types.Message) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(max(c.visibility/2, time.Second))
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			_, err := c.client.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{
				QueueUrl: aws.String(c.url), ReceiptHandle: msg.ReceiptHandle,
				VisibilityTimeout: int32(c.visibility / time.Second),
			})
			if err != nil && ctx.Err() == nil {
				c.log.WarnContext(ctx, "could not extend visibility of a message still being handled", "err", err)
			}
		}
	}()
	return func() { cancel(); <-done }
}
