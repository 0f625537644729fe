package mercadopago_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// TestEveryVariantIsSignedAsMercadoPagoSays: a payment's variants shape the
// notifications of its changes from then on; a receiver that follows
// Mercado Pago's rules accepts each shape, and refuses the same shape signed
// with another secret.
func TestEveryVariantIsSignedAsMercadoPagoSays(t *testing.T) {
	t.Parallel()
	for _, v := range mercadopago.Variants() {
		t.Run(string(v), func(t *testing.T) {
			t.Parallel()
			f, srv, _ := newTestFake(t)
			hook := newReceiver(t, always(http.StatusOK))
			id := createdID(t, srv, uuid.NewString(), pixRequest("order-"+uuid.NewString(), hook.url()))
			eventually(t, 30*time.Second, "the creation webhook", func() bool { return len(hook.requests()) == 1 })
			body := `{"variants":["` + string(v) + `"]}`
			if status, raw := controlSend(t, http.MethodPut, srv.URL+"/_fake/payments/"+strconv.FormatInt(id, 10)+"/variants", body); status != http.StatusOK ||
				!strings.Contains(string(raw), `"own":true`) {
				t.Fatalf("PUT variants = %d %s", status, raw)
			}
			if _, err := f.Approve(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			want := 2
			if v == mercadopago.VariantMerchantOrder {
				want = 3 // the payment's, then its merchant order's
			}
			eventually(t, 30*time.Second, "the approval's notifications", func() bool { return len(hook.requests()) == want })
			got := hook.requests()[1:]
			for _, r := range got {
				if !validSignature(testSecret, r.query.Get("data.id"), r.requestID, r.signature) {
					t.Errorf("%s: signature %q does not verify (query %v, x-request-id %q)", v, r.signature, r.query, r.requestID)
				}
			}
			checkShape(t, v, id, got)

			if _, err := f.Resend(context.Background(), id, mercadopago.ResendOptions{BadSignature: true}); err != nil {
				t.Fatal(err)
			}
			eventually(t, 30*time.Second, "the forged notification", func() bool { return len(hook.requests()) == want+1 })
			forged := hook.requests()[want]
			if validSignature(testSecret, forged.query.Get("data.id"), forged.requestID, forged.signature) {
				t.Errorf("%s: a notification signed with another secret verifies", v)
			}
		})
	}
}

// checkShape checks what makes each variant what it is.
func checkShape(t *testing.T, v mercadopago.Variant, id int64, got []received) {
	t.Helper()
	pid := strconv.FormatInt(id, 10)
	first := got[0]
	ts, _, _ := strings.Cut(strings.TrimPrefix(first.signature, "ts="), ",")
	switch v {
	case mercadopago.VariantMillis:
		if len(ts) != 13 {
			t.Errorf("ts = %q; want milliseconds", ts)
		}
	case mercadopago.VariantNoRequestID:
		if first.requestID != "" {
			t.Errorf("x-request-id = %q; want none", first.requestID)
		}
	case mercadopago.VariantUpperCaseID:
		if first.query.Get("data.id") != strings.ToUpper(pid) {
			t.Errorf("data.id = %q", first.query.Get("data.id"))
		}
	case mercadopago.VariantTopic:
		var body struct{ Resource, Topic string }
		_ = json.Unmarshal(first.body, &body)
		if first.query.Get("id") != pid || first.query.Get("topic") != "payment" || first.query.Has("data.id") ||
			first.query.Has("type") || body.Topic != "payment" || !strings.HasSuffix(body.Resource, "/v1/payments/"+pid) {
			t.Errorf("IPN notification = %v %s", first.query, first.body)
		}
	case mercadopago.VariantMerchantOrder:
		mo := got[1]
		if first.query.Get("data.id") != pid || mo.query.Get("topic") != "merchant_order" || mo.query.Get("id") == "" || mo.query.Get("id") == pid {
			t.Errorf("notifications = %v then %v; want the payment's, then its merchant order's", first.query, mo.query)
		}
	case mercadopago.VariantReplay:
		if _, err := uuid.Parse(first.requestID); err != nil {
			t.Errorf("x-request-id = %q", first.requestID)
		}
	}
}

// TestReplayRepeatsTheFirstAttempt: under VariantReplay a retry carries the
// first attempt's x-request-id and signature, byte for byte.
func TestReplayRepeatsTheFirstAttempt(t *testing.T) {
	t.Parallel()
	f, err := mercadopago.New(mercadopago.Options{AccessToken: testToken, WebhookSecret: testSecret,
		RetrySchedule: []time.Duration{time.Millisecond}, NotificationVariants: []mercadopago.Variant{mercadopago.VariantReplay}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	srv := serve(t, f)
	hook := newReceiver(t, func(n int) int {
		if n == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	createdID(t, srv, uuid.NewString(), pixRequest("order-"+uuid.NewString(), hook.url()))
	eventually(t, 30*time.Second, "the retry", func() bool { return len(hook.requests()) == 2 })
	a, b := hook.requests()[0], hook.requests()[1]
	if a.requestID == "" || a.requestID != b.requestID || a.signature != b.signature {
		t.Errorf("attempts = (%q, %q) then (%q, %q); want the same headers", a.requestID, a.signature, b.requestID, b.signature)
	}
}

func TestParseVariants(t *testing.T) {
	t.Parallel()
	if got, err := mercadopago.ParseVariants("ts_millis, topic"); err != nil || len(got) != 2 {
		t.Errorf("ParseVariants = %v, %v", got, err)
	}
	if got, err := mercadopago.ParseVariants("none"); err != nil || len(got) != 0 {
		t.Errorf("ParseVariants(none) = %v, %v", got, err)
	}
	if _, err := mercadopago.ParseVariants("ts_millis,sideways"); err == nil || !strings.Contains(err.Error(), "sideways") {
		t.Errorf("an unknown variant: %v", err)
	}
}
