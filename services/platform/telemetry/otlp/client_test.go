package otlp

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// receiver answers each post with the next of its answers (the last one
// again when they run out) and keeps what it was sent.
type receiver struct {
	mu      sync.Mutex
	answers []int
	posts   []*http.Request
	bodies  [][]byte
	reply   []byte
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.posts = append(r.posts, req)
	r.bodies = append(r.bodies, body)
	status := r.answers[min(len(r.posts), len(r.answers))-1]
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "0")
	}
	w.WriteHeader(status)
	if status == http.StatusOK {
		w.Write(r.reply)
	}
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.posts)
}

func newTestClient(t *testing.T, r *receiver, gzip bool) (*Client, *bytes.Buffer) {
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	var logs bytes.Buffer
	c := NewClient(ClientOptions{Endpoint: srv.URL + "/v1/traces", Headers: map[string]string{"Authorization": "Bearer k"},
		Gzip: gzip, Timeout: time.Minute, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	c.backoff = time.Millisecond
	return c, &logs
}

// A request is protobuf, compressed when asked, with the headers set; a
// receiver that is unavailable for a moment gets it again.
func TestSendRetriesUnavailableAndCompresses(t *testing.T) {
	t.Parallel()
	r := &receiver{answers: []int{503, 503, 200}}
	c, logs := newTestClient(t, r, true)
	c.Send(t.Context(), []byte("spans"), 1)
	if r.count() != 3 {
		t.Fatalf("%d posts; want 3 (two 503s, then 200)", r.count())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	last := r.posts[2]
	if last.Header.Get("Content-Type") != "application/x-protobuf" || last.Header.Get("Content-Encoding") != "gzip" ||
		last.Header.Get("Authorization") != "Bearer k" || last.URL.Path != "/v1/traces" {
		t.Errorf("request %s %v", last.URL, last.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.bodies[2]))
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := io.ReadAll(zr); string(body) != "spans" {
		t.Errorf("body %q", body)
	}
	if logs.Len() != 0 {
		t.Errorf("logged %s; a retried success is not news", logs)
	}
}

// A refused export is not retried; failing is logged once, and so is
// working again, with how much was dropped in between.
func TestSendLogsFailingAndRecovering(t *testing.T) {
	t.Parallel()
	r := &receiver{answers: []int{400, 400, 200}}
	c, logs := newTestClient(t, r, false)
	c.Send(t.Context(), []byte("a"), 2)
	c.Send(t.Context(), []byte("b"), 3)
	if r.count() != 2 {
		t.Fatalf("%d posts; want 2, no retry of a 400", r.count())
	}
	if strings.Count(logs.String(), "export failing") != 1 {
		t.Errorf("logs %s; want one line saying exports fail", logs)
	}
	c.Send(t.Context(), []byte("c"), 1)
	if !strings.Contains(logs.String(), "export works again") || !strings.Contains(logs.String(), "dropped=5") {
		t.Errorf("logs %s; want a line saying it works again, 5 dropped", logs)
	}
}

// A receiver that accepts the request but rejects part of it says so in
// the response's partial_success: that is a failure to log.
func TestSendReportsPartialRejection(t *testing.T) {
	t.Parallel()
	var partial []byte
	partial = protowire.AppendTag(partial, 1, protowire.VarintType)
	partial = protowire.AppendVarint(partial, 2)
	partial = protowire.AppendTag(partial, 2, protowire.BytesType)
	partial = protowire.AppendString(partial, "span too old")
	var reply []byte
	reply = protowire.AppendTag(reply, 1, protowire.BytesType)
	reply = protowire.AppendBytes(reply, partial)
	r := &receiver{answers: []int{200}, reply: reply}
	c, logs := newTestClient(t, r, false)
	c.Send(t.Context(), []byte("x"), 2)
	if !strings.Contains(logs.String(), "rejected 2: span too old") {
		t.Errorf("logs %s; want the rejection", logs)
	}
}

// With nobody listening, an export fails at once, for the next to try.
func TestSendToNobodyFailsFast(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var logs bytes.Buffer
	c := NewClient(ClientOptions{Endpoint: url + "/v1/metrics", Timeout: time.Hour, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	c.Send(t.Context(), []byte("x"), 1) // an hour's timeout: a retry would hang the test
	if !strings.Contains(logs.String(), "connection refused") {
		t.Errorf("logs %s", logs.String())
	}
}
