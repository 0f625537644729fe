package mercadopago_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// approvedWithHook creates a payment notifying a fresh receiver, approves
// it through the control API and waits for both webhooks.
func approvedWithHook(t *testing.T) (*mercadopago.Fake, string, *receiver, mercadopago.Payment) {
	t.Helper()
	f, srv, _ := newTestFake(t)
	hook := newVerifyingReceiver(t)
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), hook.url()))
	base := srv.URL + "/_fake/payments/" + strconv.FormatInt(p.ID, 10)
	if code, raw := controlCall(t, http.MethodPost, base+"/approve"); code != http.StatusOK {
		t.Fatalf("approve = %d %s", code, raw)
	}
	eventually(t, 30*time.Second, "two webhooks", func() bool { return len(f.Deliveries()) >= 2 })
	return f, base, hook, p
}

func actionOf(t *testing.T, r received) string {
	t.Helper()
	var body webhookJSON
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("decode webhook: %v", err)
	}
	return body.Action
}

func TestResendBadSignature(t *testing.T) {
	t.Parallel()
	f, base, _, p := approvedWithHook(t)
	if code, raw := controlCall(t, http.MethodPost, base+"/resend?bad_signature=true"); code != http.StatusOK {
		t.Fatalf("resend = %d %s", code, raw)
	}
	// 1 attempt, then 2 retries (the test schedule), all refused.
	eventually(t, 30*time.Second, "three refused attempts", func() bool { return len(f.Deliveries()) == 5 })
	for _, d := range f.Deliveries()[2:] {
		if d.PaymentID != p.ID || d.StatusCode != http.StatusUnauthorized || d.Fault != "bad_signature" || d.Action != "payment.updated" {
			t.Errorf("delivery = %+v; want a refused, badly signed approval", d)
		}
	}
}

func TestResendFirstAndDelayed(t *testing.T) {
	t.Parallel()
	f, base, hook, _ := approvedWithHook(t)
	start := time.Now()
	if code, raw := controlCall(t, http.MethodPost, base+"/resend?first=true&delay=100ms&count=2"); code != http.StatusOK {
		t.Fatalf("resend = %d %s", code, raw)
	}
	eventually(t, 30*time.Second, "two more webhooks, delivered", func() bool {
		return len(hook.requests()) == 4 && len(f.Deliveries()) == 4
	})
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Errorf("delayed resend arrived after %s; want at least 100ms", took)
	}
	for _, r := range hook.requests()[2:] {
		if action := actionOf(t, r); action != "payment.created" {
			t.Errorf("resent %s; want the first notification, payment.created", action)
		}
		if !validSignature(testSecret, r.query.Get("data.id"), r.requestID, r.signature) {
			t.Errorf("a resent webhook is badly signed")
		}
	}
	var created int64 // the two first deliveries may finish in either order
	for _, d := range f.Deliveries()[:2] {
		if d.Action == "payment.created" {
			created = d.NotificationID
		}
	}
	for _, d := range f.Deliveries()[2:] {
		if d.Fault != "delayed 100ms,first_again" || d.NotificationID != created {
			t.Errorf("delivery = %+v; want the creation's notification %d, marked", d, created)
		}
	}
}

func TestResendOutOfOrder(t *testing.T) {
	t.Parallel()
	f, base, hook, _ := approvedWithHook(t)
	if code, raw := controlCall(t, http.MethodPost, base+"/out-of-order"); code != http.StatusOK {
		t.Fatalf("out-of-order = %d %s", code, raw)
	}
	// The receiver has a request before the fake has logged its delivery.
	eventually(t, 30*time.Second, "two more webhooks, delivered", func() bool {
		return len(hook.requests()) == 4 && len(f.Deliveries()) == 4
	})
	got := []string{actionOf(t, hook.requests()[2]), actionOf(t, hook.requests()[3])}
	if got[0] != "payment.updated" || got[1] != "payment.created" {
		t.Errorf("out of order sent %v; want the approval before the creation", got)
	}
	if d := f.Deliveries()[3]; d.Fault != "out_of_order" {
		t.Errorf("delivery = %+v; want it marked out_of_order", d)
	}
}

func TestResendErrors(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	quiet := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	base := srv.URL + "/_fake/payments/"
	tests := map[string]struct {
		path string
		want int
	}{
		"unknown payment":        {"42/resend", http.StatusNotFound},
		"no notification_url":    {strconv.FormatInt(quiet.ID, 10) + "/out-of-order", http.StatusConflict},
		"count zero":             {"42/resend?count=0", http.StatusBadRequest},
		"bad delay":              {"42/resend?delay=soon", http.StatusBadRequest},
		"bad_signature not bool": {"42/resend?bad_signature=maybe", http.StatusBadRequest},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if code, raw := controlCall(t, http.MethodPost, base+tc.path); code != tc.want {
				t.Errorf("%s = %d %s; want %d", tc.path, code, raw, tc.want)
			}
		})
	}
}

func TestDeliveriesOfOnePayment(t *testing.T) {
	t.Parallel()
	_, base, _, p := approvedWithHook(t)
	srvURL := base[:len(base)-len("/_fake/payments/"+strconv.FormatInt(p.ID, 10))]
	code, raw := controlCall(t, http.MethodGet, srvURL+"/_fake/deliveries?payment_id="+strconv.FormatInt(p.ID, 10))
	var log []mercadopago.Delivery
	if err := json.Unmarshal(raw, &log); err != nil || code != http.StatusOK || len(log) != 2 {
		t.Errorf("deliveries of %d = %d %s", p.ID, code, raw)
	}
	if code, raw := controlCall(t, http.MethodGet, srvURL+"/_fake/deliveries?payment_id=1"); code != http.StatusOK || string(raw) != "[]\n" {
		t.Errorf("deliveries of an unknown payment = %d %s", code, raw)
	}
}
