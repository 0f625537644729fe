package queue

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
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

// batchSender is the part of the SQS client a batcher uses.
type batchSender interface {
	SendMessageBatch(ctx context.Context, in *sqs.SendMessageBatchInput, optFns ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error)
}

// batcher coalesces the concurrent publishes to one queue: a call that
// finds no request in flight is sent at once (after sendLinger, under load),
// and calls that arrive while one is in flight wait for it and go together
// in the next. Requests are
// sent by goroutines started on demand, which end when nothing waits.
type batcher struct {
	client batchSender
	queue  string // base name, for errors
	url    string

	mu        sync.Mutex
	waiting   []*publishCall // in arrival order, each with bodies not yet taken
	backlog   int            // bodies of waiting not yet taken into a batch
	senders   int            // sending goroutines running
	launching int            // of those, the ones that have not taken a batch yet
	lastSent  time.Time      // when the latest request left
}

func newBatcher(client batchSender, queue, url string) *batcher {
	return &batcher{client: client, queue: queue, url: url}
}

// publishCall is one caller's bodies and its result. All but ctx and bodies
// is guarded by the batcher's mutex, except that err may be read by anyone
// once done is closed.
type publishCall struct {
	ctx        context.Context
	arrived    time.Time
	bodies     []string
	next       int  // the first body not yet taken into a batch
	unanswered int  // bodies SQS has not accepted yet
	inFlight   bool // a request holding some of the bodies is being sent
	settled    bool
	err        error
	done       chan struct{} // closed when err is final
}

// batchEntry is a body of a call, taken into a batch.
type batchEntry struct {
	call  *publishCall
	index int
}

// publish waits until SQS has taken or refused bodies, or ctx ends.
func (b *batcher) publish(ctx context.Context, bodies [][]byte) error {
	c := &publishCall{ctx: ctx, arrived: time.Now(), unanswered: len(bodies), done: make(chan struct{})}
	// Copied now, while the caller is inside the call: a caller whose ctx
	// ends may reuse its buffers while a request still holds the bodies.
	c.bodies = make([]string, len(bodies))
	for i, body := range bodies {
		c.bodies[i] = string(body)
	}
	if b.enqueue(c) {
		go b.send()
	}
	select {
	case <-c.done:
		return c.err
	case <-ctx.Done():
		select {
		case <-c.done: // settled as ctx ended: the result is known
			return c.err
		default:
			return ctx.Err()
		}
	}
}

// enqueue adds c to the waiting calls and reports whether the caller must
// start a sender.
func (b *batcher) enqueue(c *publishCall) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.waiting = append(b.waiting, c)
	b.backlog += len(c.bodies)
	start := b.senders == 0 ||
		(b.senders < maxSendsPerQueue && b.launching == 0 && b.backlog >= maxBatchEntries)
	if start {
		b.senders++
		b.launching++
	}
	return start
}

// send sends batches until none is left to take. It settles a batch and
// takes the next under one lock, so that there is always a sender that
// will take what waits.
func (b *batcher) send() {
	b.mu.Lock()
	b.launching--
	for {
		if wait := b.linger(); wait > 0 {
			b.mu.Unlock()
			time.Sleep(wait)
			b.mu.Lock()
		}
		batch := b.take()
		if len(batch) == 0 {
			b.senders--
			b.mu.Unlock()
			return
		}
		b.lastSent = time.Now()
		b.mu.Unlock()
		out, err := b.sendBatch(batch)
		b.mu.Lock()
		b.settle(batch, out, err)
	}
}

// linger is how long the next batch should wait for company (see
// sendLinger). The caller holds the lock.
func (b *batcher) linger() time.Duration {
	if b.backlog == 0 || b.backlog >= maxBatchEntries || len(b.waiting) == 0 || time.Since(b.lastSent) >= busyWithin {
		return 0
	}
	return sendLinger - time.Since(b.waiting[0].arrived)
}

// take removes the next batch from the waiting calls: bodies in arrival
// order, as many as a request may carry. It drops the calls that have
// given up or failed, and skips calls with a request in flight, whose later
// bodies must not overtake it. The caller holds the lock.
func (b *batcher) take() []batchEntry {
	var batch []batchEntry
	size := 0
	for i := 0; i < len(b.waiting) && len(batch) < maxBatchEntries; {
		c := b.waiting[i]
		if err := c.ctx.Err(); err != nil {
			c.finish(err)
		}
		if c.settled {
			b.backlog -= len(c.bodies) - c.next
			b.waiting = slices.Delete(b.waiting, i, i+1)
			continue
		}
		if c.inFlight && (len(batch) == 0 || batch[len(batch)-1].call != c) {
			i++
			continue
		}
		body := c.bodies[c.next]
		if size+len(body) > maxBatchBytes {
			break
		}
		batch = append(batch, batchEntry{call: c, index: c.next})
		size += len(body)
		c.next++
		c.inFlight = true
		b.backlog--
		if c.next == len(c.bodies) {
			b.waiting = slices.Delete(b.waiting, i, i+1)
		}
	}
	return batch
}

// sendBatch makes one SendMessageBatch request; an entry's id is its
// index in batch.
func (b *batcher) sendBatch(batch []batchEntry) (*sqs.SendMessageBatchOutput, error) {
	entries := make([]types.SendMessageBatchRequestEntry, len(batch))
	for i, e := range batch {
		entries[i] = types.SendMessageBatchRequestEntry{
			Id:          aws.String(strconv.Itoa(i)),
			MessageBody: aws.String(e.call.bodies[e.index]),
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
	defer cancel()
	return b.client.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(b.url), Entries: entries})
}

// settle hands each call in batch its part of the outcome: a failed
// request fails them all, a refused entry only its own call. The caller
// holds the lock.
func (b *batcher) settle(batch []batchEntry, out *sqs.SendMessageBatchOutput, err error) {
	for _, e := range batch {
		e.call.inFlight = false
	}
	if err != nil {
		err = fmt.Errorf("publish to %s: %w", b.queue, err)
		for _, e := range batch {
			e.call.finish(err)
		}
		return
	}
	accepted := make([]bool, len(batch))
	refused := make([]*types.BatchResultErrorEntry, len(batch))
	for _, s := range out.Successful {
		if i, ok := entryIndex(s.Id, len(batch)); ok {
			accepted[i] = true
		}
	}
	for j, f := range out.Failed {
		if i, ok := entryIndex(f.Id, len(batch)); ok {
			refused[i] = &out.Failed[j]
		}
	}
	for i, e := range batch {
		c := e.call
		switch f := refused[i]; {
		case f != nil:
			c.finish(fmt.Errorf("publish to %s: message %d of %d refused (%s: %s)",
				b.queue, e.index+1, len(c.bodies), aws.ToString(f.Code), aws.ToString(f.Message)))
		case accepted[i]:
			c.accepted()
		default:
			c.finish(fmt.Errorf("publish to %s: SQS gave no result for message %d of %d", b.queue, e.index+1, len(c.bodies)))
		}
	}
}

// entryIndex reads an entry id back into an index of a batch of n.
func entryIndex(id *string, n int) (int, bool) {
	i, err := strconv.Atoi(aws.ToString(id))
	return i, err == nil && i >= 0 && i < n
}

// finish makes err the call's result unless it already has one.
func (c *publishCall) finish(err error) {
	if c.settled {
		return
	}
	c.settled = true
	c.err = err
	close(c.done)
}

// accepted counts one body as taken by SQS; the last one settles the call.
func (c *publishCall) accepted() {
	c.unanswered--
	if c.unanswered == 0 {
		c.finish(nil)
	}
}
