package queue

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// The linger is a matter of the batcher's clock alone, so these tests run
// it in a synctest bubble against an SQS that accepts at once: time moves
// only when every goroutine waits, however busy the machine is.

// Publishes that reach a busy queue within the linger of the first one go
// in one request, which leaves when the first has waited sendLinger.
func TestABusyQueueGathersThePublishesWithinTheLinger(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sqs := &acceptingSQS{}
		b := newSender(sqs, "q", "url")
		if err := b.publish(t.Context(), [][]byte{[]byte("quiet")}, nil); err != nil {
			t.Fatal(err)
		}
		first := time.Now() // within busyWithin of the request just sent
		errs := make(chan error, 3)
		for i := range 3 {
			go func() { errs <- b.publish(t.Context(), [][]byte{fmt.Appendf(nil, "busy-%d", i)}, nil) }()
			time.Sleep(sendLinger / 3)
		}
		for range 3 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		want := []sentRequest{
			{at: first, bodies: []string{"quiet"}},
			{at: first.Add(sendLinger), bodies: []string{"busy-0", "busy-1", "busy-2"}},
		}
		if got := sqs.sent(); !slices.EqualFunc(got, want, sentRequest.equal) {
			t.Fatalf("requests = %v; want %v", got, want)
		}
	})
}

// A publish to a queue that has been quiet for busyWithin goes at once.
func TestAQuietQueueDoesNotLinger(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sqs := &acceptingSQS{}
		b := newSender(sqs, "q", "url")
		for _, body := range []string{"first", "after a quiet spell"} {
			if err := b.publish(t.Context(), [][]byte{[]byte(body)}, nil); err != nil {
				t.Fatal(err)
			}
			time.Sleep(busyWithin)
		}
		start := time.Now().Add(-2 * busyWithin)
		want := []sentRequest{
			{at: start, bodies: []string{"first"}},
			{at: start.Add(busyWithin), bodies: []string{"after a quiet spell"}},
		}
		if got := sqs.sent(); !slices.EqualFunc(got, want, sentRequest.equal) {
			t.Fatalf("requests = %v; want %v", got, want)
		}
	})
}

// A full batch does not wait for company, busy queue or not.
func TestAFullBatchDoesNotLinger(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sqs := &acceptingSQS{}
		b := newSender(sqs, "q", "url")
		if err := b.publish(t.Context(), [][]byte{[]byte("quiet")}, nil); err != nil {
			t.Fatal(err)
		}
		full := make([][]byte, maxBatchEntries)
		for i := range full {
			full[i] = fmt.Appendf(nil, "full-%d", i)
		}
		if err := b.publish(t.Context(), full, nil); err != nil {
			t.Fatal(err)
		}
		got := sqs.sent()
		if len(got) != 2 || len(got[1].bodies) != maxBatchEntries || !got[1].at.Equal(got[0].at) {
			t.Fatalf("requests = %v; want the full batch sent at once after the first", got)
		}
	})
}

// acceptingSQS takes every SendMessageBatch at once and notes when each
// came, by the clock of the bubble it runs in.
type acceptingSQS struct {
	mu       sync.Mutex
	requests []sentRequest
}

type sentRequest struct {
	at     time.Time
	bodies []string
}

func (r sentRequest) equal(o sentRequest) bool {
	return r.at.Equal(o.at) && slices.Equal(r.bodies, o.bodies)
}

func (r sentRequest) String() string {
	return fmt.Sprintf("%s %q", r.at.Format("15:04:05.000"), r.bodies)
}

func (s *acceptingSQS) SendMessageBatch(_ context.Context, in *sqs.SendMessageBatchInput, _ ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error) {
	r := sentRequest{at: time.Now()}
	out := &sqs.SendMessageBatchOutput{}
	for _, e := range in.Entries {
		r.bodies = append(r.bodies, aws.ToString(e.MessageBody))
		out.Successful = append(out.Successful, types.SendMessageBatchResultEntry{Id: e.Id})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
	return out, nil
}

func (s *acceptingSQS) sent() []sentRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}
