package mercadopago_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/fakes/mercadopago/internal/sigcheck"
	"github.com/google/uuid"
)

const (
	testToken  = "TEST-access-token"
	testSecret = "test-webhook-secret"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newTestFake serves a fresh fake with a movable clock and a fast retry
// schedule; both are closed when the test ends.
func newTestFake(t *testing.T) (*mercadopago.Fake, *httptest.Server, *testClock) {
	t.Helper()
	clock := newTestClock()
	f, err := mercadopago.New(mercadopago.Options{
		AccessToken:   testToken,
		WebhookSecret: testSecret,
		Now:           clock.Now,
		RetrySchedule: []time.Duration{10 * time.Millisecond, 20 * time.Millisecond},
		SweepInterval: time.Hour, // expiry happens on reads and clock moves only: tests say when
	})
	if err != nil {
		t.Fatalf("new fake: %v", err)
	}
	t.Cleanup(f.Close) // runs last: the server is gone, then no delivery outlives the test
	return f, serve(t, f), clock
}

// serve serves f until the test ends.
func serve(t *testing.T, f *mercadopago.Fake) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// pixRequest is a valid creation body; tests change what they need.
func pixRequest(ref, notificationURL string) map[string]any {
	return map[string]any{
		"transaction_amount": 25.9,
		"payment_method_id":  "pix",
		"payer":              map[string]any{"email": "buyer@example.com"},
		"description":        "Comanda order",
		"external_reference": ref,
		"notification_url":   notificationURL,
	}
}

// post sends body to the fake's payments endpoint with the test token.
func post(t *testing.T, srv *httptest.Server, key string, body any) (int, []byte) {
	t.Helper()
	status, raw, err := postRaw(srv.URL, key, body)
	if err != nil {
		t.Fatalf("post payment: %v", err)
	}
	return status, raw
}

// postRaw is post for goroutines, which must not call t.Fatal.
func postRaw(base, key string, body any) (int, []byte, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, nil, fmt.Errorf("encode body: %w", err)
	}
	req, err := http.NewRequest(http.MethodPost, base+"/v1/payments", bytes.NewReader(raw))
	if err != nil {
		return 0, nil, fmt.Errorf("new request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("X-Idempotency-Key", key)
	}
	return send(req)
}

func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	status, body, err := send(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return status, body
}

func send(req *http.Request) (int, []byte, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("read body: %w", err)
	}
	return resp.StatusCode, body, nil
}

// createPayment creates a payment and decodes it, failing the test otherwise.
func createPayment(t *testing.T, srv *httptest.Server, body map[string]any) mercadopago.Payment {
	t.Helper()
	status, raw := post(t, srv, uuid.NewString(), body)
	if status != http.StatusCreated {
		t.Fatalf("create payment: status %d, body %s", status, raw)
	}
	var p mercadopago.Payment
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatalf("decode payment: %v in %s", err, raw)
	}
	return p
}

// eventually polls cond until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// validSignature checks an x-signature header as a receiver would, apart
// from the fake's code (and against an openssl vector in
// TestValidSignatureKnownVector).
func validSignature(secret, dataID, requestID, header string) bool {
	return sigcheck.Valid(secret, dataID, requestID, header)
}
