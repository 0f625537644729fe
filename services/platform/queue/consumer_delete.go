package queue

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// deleter deletes handled messages in batches of up to ten: a deletion
// waits up to deleteLinger for company, and whatever queues up meanwhile
// (or while the previous batch is on its way) goes in the same
// DeleteMessageBatch call. A message deleted a few milliseconds later
// changes nothing (its visibility timeout is seconds away); a call per
// message would cost as much as receiving it. A delete that fails only
// means the message is handled again, which every handler tolerates.
type deleter struct {
	client batchDeleter
	url    string
	log    *slog.Logger
	queue  chan string // receipt handles
	done   sync.WaitGroup
}

// batchDeleter is the part of the SQS client a deleter uses.
type batchDeleter interface {
	DeleteMessageBatch(ctx context.Context, in *sqs.DeleteMessageBatchInput, optFns ...func(*sqs.Options)) (*sqs.DeleteMessageBatchOutput, error)
}

func newDeleter(client batchDeleter, url string, log *slog.Logger) *deleter {
	d := &deleter{client: client, url: url, log: log, queue: make(chan string, 1024)}
	d.done.Go(d.run)
	return d
}

// delete queues the deletion of the message with receipt.
func (d *deleter) delete(receipt string) { d.queue <- receipt }

// close deletes what is queued, then stops.
func (d *deleter) close() {
	close(d.queue)
	d.done.Wait()
}

// deleteLinger is how long a deletion waits for others to share its call.
const deleteLinger = 20 * time.Millisecond

func (d *deleter) run() {
	linger := time.NewTimer(deleteLinger)
	defer linger.Stop()
	for first := range d.queue {
		batch := []string{first}
		linger.Reset(deleteLinger)
	more:
		for len(batch) < 10 {
			select {
			case r, ok := <-d.queue:
				if !ok {
					break more
				}
				batch = append(batch, r)
			case <-linger.C:
				break more
			}
		}
		d.send(batch)
	}
}

func (d *deleter) send(receipts []string) {
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	entries := make([]types.DeleteMessageBatchRequestEntry, len(receipts))
	for i, r := range receipts {
		entries[i] = types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: aws.String(r)}
	}
	out, err := d.client.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(d.url), Entries: entries})
	switch {
	case err != nil:
		d.log.Warn("delete failed; the messages will be handled again", "messages", len(receipts), "err", err)
	case len(out.Failed) > 0:
		f := out.Failed[0]
		d.log.Warn("delete refused; the messages will be handled again", "messages", len(out.Failed),
			"code", aws.ToString(f.Code), "reason", aws.ToString(f.Message))
	}
}
