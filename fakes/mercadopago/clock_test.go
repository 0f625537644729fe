package mercadopago_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// TestClockAdvanceExpiresAndNotifies: moving the clock past a payment's
// date_of_expiration expires it at once, and its webhook goes out without
// anybody reading the payment (the test fake's sweep is an hour apart).
func TestClockAdvanceExpiresAndNotifies(t *testing.T) {
	t.Parallel()
	_, srv, clock := newTestFake(t)
	hook := newReceiver(t, always(http.StatusOK))
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), hook.url()))
	eventually(t, 30*time.Second, "the creation webhook", func() bool { return len(hook.requests()) == 1 })

	status, raw := controlSend(t, http.MethodPost, srv.URL+"/_fake/clock", `{"advance":"31m"}`)
	var state mercadopago.ClockState
	if err := json.Unmarshal(raw, &state); err != nil || status != http.StatusOK ||
		time.Duration(state.Offset) != 31*time.Minute || !state.Now.Equal(clock.Now().Add(31*time.Minute)) {
		t.Fatalf("advance = %d %s (%v)", status, raw, err)
	}
	eventually(t, 30*time.Second, "the expiry webhook", func() bool { return len(hook.requests()) == 2 })
	var body webhookJSON
	if err := json.Unmarshal(hook.requests()[1].body, &body); err != nil || body.Action != "payment.updated" ||
		body.Data.ID != strconv.FormatInt(p.ID, 10) {
		t.Fatalf("expiry webhook = %s (%v)", hook.requests()[1].body, err)
	}
	_, raw = controlCall(t, http.MethodGet, srv.URL+"/_fake/payments/"+strconv.FormatInt(p.ID, 10))
	if !strings.Contains(string(raw), `"status":"cancelled","status_detail":"expired"`) {
		t.Errorf("payment after the clock moved = %s", raw)
	}

	_, raw = controlCall(t, http.MethodDelete, srv.URL+"/_fake/clock")
	if err := json.Unmarshal(raw, &state); err != nil || state.Offset != 0 || !state.Now.Equal(clock.Now()) {
		t.Errorf("clock reset = %s (%v)", raw, err)
	}
}

func TestClockOnlyMovesForward(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	for _, body := range []string{`{"advance":"-1m"}`, `{"advance":"0s"}`, `{}`} {
		if status, raw := controlSend(t, http.MethodPost, srv.URL+"/_fake/clock", body); status != http.StatusBadRequest ||
			!strings.Contains(string(raw), "invalid_setting") {
			t.Errorf("advance %s = %d %s; want 400 invalid_setting", body, status, raw)
		}
	}
}

// TestSweepExpiresUnasked: with the real clock, a payment whose PIX code
// runs out is expired, and notified, by the sweep alone.
func TestSweepExpiresUnasked(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	f, err := mercadopago.New(mercadopago.Options{
		AccessToken: testToken, WebhookSecret: testSecret, Now: clock.Now, SweepInterval: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	hook := newReceiver(t, always(http.StatusOK))
	srv := serve(t, f)
	createPayment(t, srv, pixRequest("order-"+uuid.NewString(), hook.url()))
	clock.Advance(31 * time.Minute)
	eventually(t, 30*time.Second, "the expiry webhook", func() bool { return len(hook.requests()) == 2 })
}
