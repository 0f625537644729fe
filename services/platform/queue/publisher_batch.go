package queue

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/comanda/comanda/services/platform/batch"
)

// The most one SendMessageBatch request may carry, as SQS sets it: ten
// messages, and 256 KiB of bodies in all.
const (
	maxBatchEntries = 10
	maxBatchBytes   = 256 << 10
)

// maxSendsPerQueue bounds the requests in flight to one queue. A second one
// starts only when a full batch is waiting, so a quiet queue sends one
// request at a time and gathers everything that arrives meanwhile, while
// under load one slow request (the SDK backing off to retry) does not hold
// up every publisher of the queue.
const maxSendsPerQueue = 4

// sendTimeout bounds one request, retries included. A request carries
// several callers' messages, so no single caller's context may cancel it;
// each caller stops waiting when its own context ends.
const sendTimeout = 30 * time.Second

// Under load a message waits a moment for company before it goes: while
// the previous request left less than busyWithin ago, a batch that is not
// full goes once its oldest message has waited sendLinger. A quiet queue's
// message is sent at once; a busy one's shares its request with the
// messages of the next few milliseconds instead of costing one of its own.
const (
	busyWithin = 10 * time.Millisecond
	sendLinger = 3 * time.Millisecond
)

// batchSender is the part of the SQS client a sender uses.
type batchSender interface {
	SendMessageBatch(ctx context.Context, in *sqs.SendMessageBatchInput, optFns ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error)
}

// sender coalesces the concurrent publishes to one queue into
// SendMessageBatch requests, through a batch.Batcher whose items are
// chunks: a call's bodies, at most a request's worth, that wait together
// for their one outcome. A chunk is never split, and a call hands over its
// next chunk only once the previous one is accepted, so a call's bodies go
// out in order, one request after the other.
type sender struct {
	client  batchSender
	queue   string // base name, for errors
	url     string
	batcher *batch.Batcher[*chunk]
}

func newSender(client batchSender, queue, url string) *sender {
	s := &sender{client: client, queue: queue, url: url}
	s.batcher = batch.New(batch.Config[*chunk]{
		Max:     batch.Limits{Items: maxBatchEntries, Bytes: maxBatchBytes},
		Size:    (*chunk).size,
		Linger:  sendLinger,
		Quiet:   busyWithin,
		Senders: maxSendsPerQueue,
	}, s.sendBatch)
	return s
}

// chunk is consecutive bodies of one call, and their outcome. err may be
// read once done is closed.
type chunk struct {
	ctx    context.Context
	bodies []string
	attrs  []map[string]types.MessageAttributeValue // each body's, or nil
	bytes  int
	first  int // the index of bodies[0] in the call, for errors
	total  int // the call's bodies
	err    error
	done   chan struct{}
}

func (c *chunk) size() batch.Limits { return batch.Limits{Items: len(c.bodies), Bytes: c.bytes} }

func (c *chunk) finish(err error) {
	c.err = err
	close(c.done)
}

// publish waits until SQS has taken every body, or refused one, or ctx
// ends. Each body is at most maxBatchBytes; attrs are each body's message
// attributes, if any.
func (s *sender) publish(ctx context.Context, bodies [][]byte, attrs []map[string]types.MessageAttributeValue) error {
	for _, c := range chunks(ctx, bodies, attrs) {
		s.batcher.Add(c)
		select {
		case <-c.done:
		case <-ctx.Done():
			select {
			case <-c.done: // settled as ctx ended: the result is known
			default:
				return ctx.Err()
			}
		}
		if c.err != nil {
			return c.err
		}
	}
	return nil
}

// chunks splits bodies into requests' worths, copying them: a caller whose
// ctx ends may reuse its buffers while a request still holds the bodies.
func chunks(ctx context.Context, bodies [][]byte, attrs []map[string]types.MessageAttributeValue) []*chunk {
	var all []*chunk
	var c *chunk
	for i, body := range bodies {
		var a map[string]types.MessageAttributeValue
		if i < len(attrs) {
			a = attrs[i]
		}
		size := len(body) + attributesSize(a)
		if c == nil || len(c.bodies) == maxBatchEntries || c.bytes+size > maxBatchBytes {
			c = &chunk{ctx: ctx, first: i, total: len(bodies), done: make(chan struct{})}
			all = append(all, c)
		}
		c.bodies = append(c.bodies, string(body))
		c.attrs = append(c.attrs, a)
		c.bytes += size
	}
	return all
}

// attributesSize is what attrs weigh against SQS's size limit: each
// name, data type and value.
func attributesSize(attrs map[string]types.MessageAttributeValue) int {
	n := 0
	for name, v := range attrs {
		n += len(name) + len(aws.ToString(v.DataType)) + len(aws.ToString(v.StringValue)) + len(v.BinaryValue)
	}
	return n
}

// sendBatch sends the chunks whose callers still wait in one request, and
// settles each. A caller that gave up has its chunk dropped unsent.
func (s *sender) sendBatch(batch []*chunk) {
	var live []*chunk
	var entries []types.SendMessageBatchRequestEntry
	for _, c := range batch {
		if err := c.ctx.Err(); err != nil {
			c.finish(err)
			continue
		}
		live = append(live, c)
		for i, body := range c.bodies {
			entries = append(entries, types.SendMessageBatchRequestEntry{
				Id: aws.String(strconv.Itoa(len(entries))), MessageBody: aws.String(body), MessageAttributes: c.attrs[i],
			})
		}
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
	defer cancel()
	out, err := s.client.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(s.url), Entries: entries})
	s.settle(live, out, err)
}

// settle hands each chunk its part of the outcome: a failed request fails
// them all, a refused entry only its own chunk. Entry ids number the
// bodies of live in order.
func (s *sender) settle(live []*chunk, out *sqs.SendMessageBatchOutput, err error) {
	if err != nil {
		err = fmt.Errorf("publish to %s: %w", s.queue, err)
		for _, c := range live {
			c.finish(err)
		}
		return
	}
	n := 0
	for _, c := range live {
		n += len(c.bodies)
	}
	accepted := make([]bool, n)
	refused := make([]*types.BatchResultErrorEntry, n)
	for _, ok := range out.Successful {
		if i, valid := entryIndex(ok.Id, n); valid {
			accepted[i] = true
		}
	}
	for j, f := range out.Failed {
		if i, valid := entryIndex(f.Id, n); valid {
			refused[i] = &out.Failed[j]
		}
	}
	at := 0
	for _, c := range live {
		c.finish(s.outcome(c, accepted[at:at+len(c.bodies)], refused[at:at+len(c.bodies)]))
		at += len(c.bodies)
	}
}

// outcome is a chunk's result: nil if SQS accepted each of its bodies,
// else the first body's reason it did not.
func (s *sender) outcome(c *chunk, accepted []bool, refused []*types.BatchResultErrorEntry) error {
	for i := range c.bodies {
		switch f := refused[i]; {
		case f != nil:
			return fmt.Errorf("publish to %s: message %d of %d refused (%s: %s)",
				s.queue, c.first+i+1, c.total, aws.ToString(f.Code), aws.ToString(f.Message))
		case !accepted[i]:
			return fmt.Errorf("publish to %s: SQS gave no result for message %d of %d", s.queue, c.first+i+1, c.total)
		}
	}
	return nil
}

// entryIndex reads an entry id back into an index of a request of n.
func entryIndex(id *string, n int) (int, bool) {
	i, err := strconv.Atoi(aws.ToString(id))
	return i, err == nil && i >= 0 && i < n
}
