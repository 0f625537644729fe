package mercadopago_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// received is one webhook request as the receiver saw it.
type received struct {
	query     url.Values
	requestID string
	signature string
	mediaType string
	body      []byte
}

// receiver is a webhook endpoint that records every request and answers
// with the status statusFor gives the nth request (1-based).
type receiver struct {
	srv       *httptest.Server
	statusFor func(n int) int
	verify    bool // refuse with 401 what testSecret did not sign

	mu   sync.Mutex
	reqs []received
}

func newReceiver(t *testing.T, statusFor func(n int) int) *receiver {
	t.Helper()
	rc := &receiver{statusFor: statusFor}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

// newVerifyingReceiver is a receiver that checks signatures as the payment
// service does: 200 for a good one, 401 otherwise.
func newVerifyingReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := newReceiver(t, always(http.StatusOK))
	rc.verify = true
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	got := received{
		query:     r.URL.Query(),
		requestID: r.Header.Get("x-request-id"),
		signature: r.Header.Get("x-signature"),
		mediaType: r.Header.Get("Content-Type"),
		body:      body,
	}
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, got)
	n := len(rc.reqs)
	rc.mu.Unlock()
	if rc.verify && !validSignature(testSecret, got.query.Get("data.id"), got.requestID, got.signature) {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.WriteHeader(rc.statusFor(n))
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.reqs...)
}

func (rc *receiver) url() string { return rc.srv.URL + "/payment/webhook" }

func always(status int) func(int) int { return func(int) int { return status } }
