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

	"github.com/comanda/comanda/services/platform/logging"
)

// Deletions that come within the linger of the first share its call,
// which goes when the first has waited deleteLinger; ten go at once.
func TestDeleterGathersTheDeletionsOfItsLinger(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sqs := &deletingSQS{}
		d := newDeleter(sqs, "url", logging.Discard())
		defer d.close()
		start := time.Now()
		d.delete("a")
		time.Sleep(deleteLinger / 2)
		d.delete("b")
		synctest.Wait()
		if got := sqs.sent(); len(got) != 0 {
			t.Fatalf("calls = %v before the linger ran out; want none", got)
		}
		time.Sleep(deleteLinger)
		for i := range 10 {
			d.delete(fmt.Sprint(i))
		}
		synctest.Wait()
		want := []sentRequest{
			{at: start.Add(deleteLinger), bodies: []string{"a", "b"}},
			{at: start.Add(deleteLinger * 3 / 2), bodies: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
		}
		if got := sqs.sent(); !slices.EqualFunc(got, want, sentRequest.equal) {
			t.Fatalf("calls = %v; want %v", got, want)
		}
	})
}

// Closing sends what waits without lingering, then stops.
func TestDeleterCloseSendsWhatWaitsAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sqs := &deletingSQS{}
		d := newDeleter(sqs, "url", logging.Discard())
		d.delete("a")
		d.delete("b")
		d.close()
		want := []sentRequest{{at: time.Now(), bodies: []string{"a", "b"}}}
		if got := sqs.sent(); !slices.EqualFunc(got, want, sentRequest.equal) {
			t.Fatalf("calls = %v; want %v", got, want)
		}
	})
}

// deletingSQS takes every DeleteMessageBatch and notes its receipt
// handles, with when it came by the clock of the bubble it runs in.
type deletingSQS struct {
	mu    sync.Mutex
	calls []sentRequest
}

func (s *deletingSQS) DeleteMessageBatch(_ context.Context, in *sqs.DeleteMessageBatchInput, _ ...func(*sqs.Options)) (*sqs.DeleteMessageBatchOutput, error) {
	r := sentRequest{at: time.Now()}
	for _, e := range in.Entries {
		r.bodies = append(r.bodies, aws.ToString(e.ReceiptHandle))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, r)
	return &sqs.DeleteMessageBatchOutput{}, nil
}

func (s *deletingSQS) sent() []sentRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}
