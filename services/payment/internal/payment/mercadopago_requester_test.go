package payment

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/comanda/comanda/services/platform/logging"
)

// recorder answers with the next status of its script (the last one
// repeating) and records what each attempt carried.
type recorder struct {
	mu       sync.Mutex
	statuses []int
	seen     []seenRequest
}

type seenRequest struct {
	method, path, key, body, auth string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	n := len(rec.seen)
	rec.seen = append(rec.seen, seenRequest{r.Method, r.URL.Path, r.Header.Get("X-Idempotency-Key"), string(body), r.Header.Get("Authorization")})
	status := rec.statuses[min(n, len(rec.statuses)-1)]
	rec.mu.Unlock()
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"id":1}`))
}

func (rec *recorder) requests() []seenRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]seenRequest(nil), rec.seen...)
}

func newTestRequester(t *testing.T, baseURL string) *requester {
	t.Helper()
	cfg := testMercadoPagoConfig(baseURL, "http://hook.test/payment/webhook")
	cfg.RequestTimeout = time.Second
	r, err := newRequester(cfg, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func post(t *testing.T, ctx context.Context) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "https://api.mercadopago.com/v1/payments", strings.NewReader(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Idempotency-Key", "random-from-the-sdk")
	return req
}

func TestRequesterRetriesWithTheSameKey(t *testing.T) {
	t.Parallel()
	rec := &recorder{statuses: []int{502, 500, 201}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	r := newTestRequester(t, srv.URL+"/base/")

	resp, err := r.Do(post(t, withIdempotencyKey(context.Background(), "order-key")))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	seen := rec.requests()
	if resp.StatusCode != 201 || len(seen) != 3 {
		t.Fatalf("status %d after %d attempts; want 201 after 3", resp.StatusCode, len(seen))
	}
	for i, s := range seen {
		if s.path != "/base/v1/payments" || s.key != "order-key" || s.body != `{"a":1}` {
			t.Errorf("attempt %d = %+v; want path /base/v1/payments, key order-key, the same body", i+1, s)
		}
	}
}

func TestRequesterGivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	rec := &recorder{statuses: []int{503}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	r := newTestRequester(t, srv.URL)

	resp, err := r.Do(post(t, withIdempotencyKey(context.Background(), "k")))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if got := len(rec.requests()); resp.StatusCode != 503 || got != 1+r.maxRetries {
		t.Fatalf("status %d after %d attempts; want 503 after %d", resp.StatusCode, got, 1+r.maxRetries)
	}
}

func TestRequesterDoesNotRetryClientErrors(t *testing.T) {
	t.Parallel()
	rec := &recorder{statuses: []int{400}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	resp, err := newTestRequester(t, srv.URL).Do(post(t, withIdempotencyKey(context.Background(), "k")))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if got := len(rec.requests()); got != 1 {
		t.Fatalf("%d attempts on a 400; want 1", got)
	}
}

func TestRequesterRetriesTimeouts(t *testing.T) {
	t.Parallel()
	var calls sync.WaitGroup
	calls.Add(1)
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slow := false
		once.Do(func() { slow = true })
		if slow {
			select { // the first attempt outlives the per-request timeout
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
			calls.Done()
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, "https://api.mercadopago.com/v1/payments/1", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := newTestRequester(t, srv.URL).Do(req)
	if err != nil {
		t.Fatalf("Do = %v; want the retry to succeed", err)
	}
	_ = resp.Body.Close()
	calls.Wait()
}

func TestRequesterRefusesAWriteWithoutKey(t *testing.T) {
	t.Parallel()
	rec := &recorder{statuses: []int{201}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	if _, err := newTestRequester(t, srv.URL).Do(post(t, context.Background())); err == nil {
		t.Fatal("a POST without an idempotency key was sent")
	}
	if got := len(rec.requests()); got != 0 {
		t.Fatalf("%d requests reached the server; want 0", got)
	}
}

func TestRequesterStopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	rec := &recorder{statuses: []int{500}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	r := newTestRequester(t, srv.URL)
	r.backoff = time.Hour
	ctx, cancel := context.WithTimeout(withIdempotencyKey(context.Background(), "k"), 100*time.Millisecond)
	defer cancel()
	if _, err := r.Do(post(t, ctx)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Do = %v; want the context's deadline", err)
	}
}
