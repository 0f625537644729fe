package queue

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/comanda/comanda/services/platform/batch"
)

// deleter deletes handled messages in batches of up to ten: a deletion
// waits up to deleteLinger for company, and whatever queues up meanwhile
// (or while the previous batch is on its way) goes in the same
// DeleteMessageBatch call. A message deleted a few milliseconds later
// changes nothing (its visibility timeout is seconds away); a call per
// message would cost as much as receiving it. A delete that fails only
// means the message is handled again, which every handler tolerates.
type deleter struct {
	client  batchDeleter
	url     string
	log     *slog.Logger
	batcher *batch.Batcher[string] // receipt handles
}

// batchDeleter is the part of the SQS client a deleter uses.
type batchDeleter interface {
	DeleteMessageBatch(ctx context.Context, in *sqs.DeleteMessageBatchInput, optFns ...func(*sqs.Options)) (*sqs.DeleteMessageBatchOutput, error)
}

const (
	// deleteLinger is how long a deletion waits for others to share its call.
	deleteLinger = 20 * time.Millisecond
	// deleteCapacity bounds the deletions waiting; past it a handler waits
	// for room, which slows receiving down to what deleting keeps up with.
	deleteCapacity = 1024
)

func newDeleter(client batchDeleter, url string, log *slog.Logger) *deleter {
	d := &deleter{client: client, url: url, log: log}
	d.batcher = batch.New(batch.Config[string]{
		Max: batch.Limits{Items: 10}, Linger: deleteLinger, Capacity: deleteCapacity,
	}, d.send)
	return d
}

// delete queues the deletion of the message with receipt.
func (d *deleter) delete(receipt string) { d.batcher.Add(receipt) }

// close deletes what is queued, then stops.
func (d *deleter) close() { d.batcher.Close() }

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
