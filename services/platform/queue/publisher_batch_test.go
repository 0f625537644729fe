package queue_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go/middleware"

	"github.com/comanda/comanda/services/platform/queue"
)

// Callers publishing at once share requests, and each message arrives once.
func TestConcurrentPublishesShareRequests(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	gate := newSendGate(true)
	p := gate.publisher(t, f)
	const n = 50
	want := make([]string, n)
	errs := make(chan error, n)
	for i := range want {
		want[i] = fmt.Sprintf(`{"n":%d}`, i)
		go func() { errs <- p.PublishBodies(t.Context(), baseName, [][]byte{[]byte(want[i])}) }()
	}
	// Hold the first requests until every caller is in one or queued.
	eventually(t, 10*time.Second, "every caller to be sending or queued", func() bool {
		return gate.entries()+queue.Backlog(p, baseName) == n
	})
	gate.release()
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("publish: %v", err)
		}
	}

	assertReceived(t, f, want)
	requests := gate.requests()
	t.Logf("%d messages in %d requests", n, len(requests))
	if len(requests) > n/5 {
		t.Fatalf("%d messages took %d requests; want them batched", n, len(requests))
	}
	for _, r := range requests {
		if len(r) > 10 {
			t.Fatalf("a request carried %d messages; SQS takes ten at most", len(r))
		}
	}
}

// Publishes one after the other each go in a request of their own.
func TestAQuietPublishIsSentAlone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	gate := newSendGate(false)
	p := gate.publisher(t, f)
	want := []string{`{"n":1}`, `{"n":2}`, `{"n":3}`}
	for _, body := range want {
		if err := p.PublishBodies(t.Context(), baseName, [][]byte{[]byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	assertReceived(t, f, want)
	if got := gate.requests(); len(got) != len(want) {
		t.Fatalf("requests = %q; want one per publish", got)
	}
}

// A message SQS refuses fails its own caller, not those sharing its request.
func TestARefusedMessageFailsOnlyItsCaller(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	gate := newSendGate(true)
	p := gate.publisher(t, f)
	publish := func(body string) <-chan error {
		done := make(chan error, 1)
		go func() { done <- p.PublishBodies(t.Context(), baseName, [][]byte{[]byte(body)}) }()
		return done
	}
	first := publish(`{"first":true}`)
	eventually(t, 10*time.Second, "the first request", func() bool { return gate.entries() == 1 })
	good1, refused, good2 := publish(`{"good":1}`), publish(""), publish(`{"good":2}`)
	eventually(t, 10*time.Second, "three callers to queue", func() bool { return queue.Backlog(p, baseName) == 3 })

	// Too big for any request: refused before anything is sent.
	tooBig := [][]byte{[]byte(`{}`), make([]byte, 256<<10+1)}
	if err := p.PublishBodies(t.Context(), baseName, tooBig); err == nil {
		t.Fatal("a message over 256 KiB was accepted")
	}

	gate.release()
	for name, done := range map[string]<-chan error{"first": first, "good 1": good1, "good 2": good2} {
		if err := <-done; err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := <-refused; err == nil {
		t.Error("the empty message SQS refused was reported as sent")
	}
	if r := gate.requests(); len(r) != 2 || len(r[1]) != 3 {
		t.Fatalf("requests = %q; want the three queued messages in one", r)
	}
	assertReceived(t, f, []string{`{"first":true}`, `{"good":1}`, `{"good":2}`})
}

// Waiting messages are split so that no request passes 256 KiB.
func TestBatchesStayWithinTheSizeLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	gate := newSendGate(true)
	p := gate.publisher(t, f)
	errs := make(chan error, 4)
	publish := func(body string) {
		go func() { errs <- p.PublishBodies(t.Context(), baseName, [][]byte{[]byte(body)}) }()
	}
	publish("first")
	eventually(t, 10*time.Second, "the first request", func() bool { return gate.entries() == 1 })
	var want []string
	for c := range 3 {
		want = append(want, strings.Repeat(string(rune('a'+c)), 100<<10))
		publish(want[c])
	}
	// Three bodies over 256 KiB in all make a full batch: two of them may
	// already be in a second request.
	eventually(t, 10*time.Second, "three callers to be sending or queued", func() bool {
		return gate.entries()+queue.Backlog(p, baseName) == 4
	})
	gate.release()
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	requests := gate.requests()
	if len(requests) != 3 {
		t.Fatalf("%d requests; want the first, then two and one of the 100 KiB messages", len(requests))
	}
	for _, r := range requests {
		size := 0
		for _, body := range r {
			size += len(body)
		}
		if size > 256<<10 {
			t.Fatalf("a request carried %d bytes", size)
		}
	}
	assertReceived(t, f, append(want, "first"))
}

// The bodies of one PublishBodies call go out in order, one request at a
// time, even among other callers' messages.
func TestPublishBodiesKeepsItsOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	gate := newSendGate(true)
	p := gate.publisher(t, f)
	var relay, want []string
	for i := range 25 {
		relay = append(relay, fmt.Sprintf("relay-%02d", i))
	}
	errs := make(chan error, 21)
	go func() {
		bodies := make([][]byte, len(relay))
		for i, s := range relay {
			bodies[i] = []byte(s)
		}
		errs <- p.PublishBodies(t.Context(), baseName, bodies)
	}()
	for i := range 20 {
		body := fmt.Sprintf("single-%02d", i)
		want = append(want, body)
		go func() { errs <- p.PublishBodies(t.Context(), baseName, [][]byte{[]byte(body)}) }()
	}
	// The relay's first ten and the twenty others; its next ten wait for
	// its first to be accepted.
	eventually(t, 10*time.Second, "every caller to be sending or queued", func() bool {
		return gate.entries()+queue.Backlog(p, baseName) == 30
	})
	gate.release()
	for range 21 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	var sent []string
	for _, r := range gate.requests() {
		for _, body := range r {
			if strings.HasPrefix(body, "relay-") {
				sent = append(sent, body)
			}
		}
	}
	if !slices.Equal(sent, relay) {
		t.Fatalf("the relay's bodies went out as %q", sent)
	}
	if gate.overlapped() {
		t.Fatal("two requests with the relay's bodies were in flight at once")
	}
	assertReceived(t, f, append(want, relay...))
}

// A caller whose context ends stops waiting at once. What it handed over
// may still be sent; what still waited is not.
func TestCancelledPublishReturnsAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	gate := newSendGate(true)
	p := gate.publisher(t, f)
	publish := func(ctx context.Context, body string) <-chan error {
		done := make(chan error, 1)
		go func() { done <- p.PublishBodies(ctx, baseName, [][]byte{[]byte(body)}) }()
		return done
	}
	ctx, cancel := context.WithCancel(t.Context())
	sending := publish(ctx, "sending")
	eventually(t, 10*time.Second, "the first request", func() bool { return gate.entries() == 1 })
	queued := publish(ctx, "queued")
	eventually(t, 10*time.Second, "a caller to queue", func() bool { return queue.Backlog(p, baseName) == 1 })

	cancel()
	for name, done := range map[string]<-chan error{"sending": sending, "queued": queued} {
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s caller: %v; want context.Canceled", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s caller still waits after its context ended", name)
		}
	}
	if err := p.PublishBodies(ctx, baseName, [][]byte{[]byte("late")}); !errors.Is(err, context.Canceled) {
		t.Fatalf("publish with an ended context: %v", err)
	}

	gate.release()
	if err := p.PublishBodies(t.Context(), baseName, [][]byte{[]byte("after")}); err != nil {
		t.Fatal(err)
	}
	assertReceived(t, f, []string{"sending", "after"})
}

// sendGate records the SendMessageBatch requests of a client and holds
// them back until released.
type sendGate struct {
	open chan struct{} // closed by release

	mu           sync.Mutex
	sent         [][]string // each request's bodies, as they reached the gate
	relaySends   int        // requests with "relay-" bodies in flight
	relayOverlap bool
}

func newSendGate(held bool) *sendGate {
	g := &sendGate{open: make(chan struct{})}
	if !held {
		close(g.open)
	}
	return g
}

func (g *sendGate) release() { close(g.open) }

// publisher is a publisher of the fixture's queue whose requests pass g.
func (g *sendGate) publisher(t *testing.T, f fixture) *queue.Publisher {
	t.Helper()
	client := sqs.New(f.sqs.Options(), func(o *sqs.Options) {
		o.APIOptions = append(slices.Clone(o.APIOptions), func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("sendGate", g.handle), middleware.Before)
		})
	})
	p, err := queue.NewPublisher(t.Context(), client, queue.Names{Prefix: f.prefix}, baseName)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (g *sendGate) handle(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	req, ok := in.Parameters.(*sqs.SendMessageBatchInput)
	if !ok {
		return next.HandleInitialize(ctx, in)
	}
	var bodies []string
	relay := false
	for _, e := range req.Entries {
		bodies = append(bodies, aws.ToString(e.MessageBody))
		relay = relay || strings.HasPrefix(aws.ToString(e.MessageBody), "relay-")
	}
	g.mu.Lock()
	g.sent = append(g.sent, bodies)
	if relay {
		g.relaySends++
		g.relayOverlap = g.relayOverlap || g.relaySends > 1
	}
	g.mu.Unlock()
	if relay {
		defer func() {
			g.mu.Lock()
			g.relaySends--
			g.mu.Unlock()
		}()
	}
	select {
	case <-g.open:
		return next.HandleInitialize(ctx, in)
	case <-ctx.Done():
		return middleware.InitializeOutput{}, middleware.Metadata{}, ctx.Err()
	}
}

// requests are the bodies of each request so far.
func (g *sendGate) requests() [][]string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.sent)
}

// entries counts the messages of every request so far.
func (g *sendGate) entries() int {
	n := 0
	for _, r := range g.requests() {
		n += len(r)
	}
	return n
}

// overlapped reports whether two requests with relay bodies were ever in
// flight at once.
func (g *sendGate) overlapped() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.relayOverlap
}

// assertReceived receives from the fixture's queue until it has as many
// messages as want, and fails unless they are want, each once.
func assertReceived(t *testing.T, f fixture, want []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var got []string
	for len(got) < len(want) {
		out, err := f.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(f.url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatalf("received %d of %d messages: %v", len(got), len(want), err)
		}
		for _, m := range out.Messages {
			got = append(got, aws.ToString(m.Body))
		}
	}
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Fatalf("received %.80q; want %.80q", got, want)
	}
	// Everything received is in flight: anything visible came twice.
	if visible, _ := f.counts(t, f.url); visible != 0 {
		t.Fatalf("%d messages more than the %d published", visible, len(want))
	}
}
