package mercadopago_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// getPayment reads a payment through the API, as a client would.
func getPayment(t *testing.T, srv *httptest.Server, id string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/payments/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	return do(t, req)
}

func decodeFaults(t *testing.T, raw []byte) mercadopago.Faults {
	t.Helper()
	var f mercadopago.Faults
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("decode faults: %v in %s", err, raw)
	}
	return f
}

func TestFailNextFailsThatManyCalls(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	status, raw := controlSend(t, http.MethodPost, srv.URL+"/_fake/faults/fail-next", `{"count":2}`)
	if f := decodeFaults(t, raw); status != http.StatusOK || f.Remaining != 2 || f.FailNext == nil || f.FailNext.Status != 500 {
		t.Fatalf("fail-next = %d %s; want 2 calls to fail with 500", status, raw)
	}
	for i := range 2 {
		status, raw := getPayment(t, srv, "42")
		if e := decodeMPError(t, raw); status != 500 || e.Status != 500 || e.Error != "internal_server_error" || e.Message == "" {
			t.Errorf("call %d = %d %s; want Mercado Pago's 500", i+1, status, raw)
		}
	}
	if status, raw := getPayment(t, srv, "42"); status != http.StatusNotFound {
		t.Errorf("third call = %d %s; want the real answer, 404", status, raw)
	}
	_, raw = controlCall(t, http.MethodGet, srv.URL+"/_fake/faults")
	if f := decodeFaults(t, raw); f.FailNext != nil || f.Remaining != 0 || f.Injected != 2 || f.InjectedCreations != 0 {
		t.Errorf("faults after = %s; want none left, 2 injected", raw)
	}
}

// TestFailNextProcessedKeepsOnePayment is the case idempotency exists for:
// the creation happens, its answer is lost as a 5xx, and the client's retry
// with the same key gets the payment created the first time.
func TestFailNextProcessedKeepsOnePayment(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	controlSend(t, http.MethodPost, srv.URL+"/_fake/faults/fail-next", `{"count":1,"status":503,"create_only":true,"processed":true}`)
	if status, raw := getPayment(t, srv, "42"); status != http.StatusNotFound {
		t.Fatalf("a read met a create-only fault: %d %s", status, raw)
	}
	ref := "order-" + uuid.NewString()
	key, body := uuid.NewString(), pixRequest(ref, "")
	if status, raw := post(t, srv, key, body); status != 503 {
		t.Fatalf("first creation = %d %s; want 503", status, raw)
	}
	if status, raw := post(t, srv, key, body); status != http.StatusCreated || decodeID(t, raw) != mustFind(t, f, ref).ID {
		t.Fatalf("retry = %d %s; want 201 with the payment the lost answer created", status, raw)
	}
	if n := len(f.Payments()); n != 1 {
		t.Errorf("%d payments; want 1", n)
	}
	if faults := f.Faults(); faults.InjectedCreations != 1 || faults.Injected != 1 {
		t.Errorf("faults = %+v; want one creation refused", faults)
	}
}

func mustFind(t *testing.T, f *mercadopago.Fake, ref string) mercadopago.Payment {
	t.Helper()
	p, ok := f.FindByExternalReference(ref)
	if !ok {
		t.Fatalf("no payment references %s", ref)
	}
	return p
}

func TestFailNextUnprocessedCreatesNothing(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	if _, err := f.FailNext(1, mercadopago.APIFault{CreateOnly: true}); err != nil {
		t.Fatal(err)
	}
	if status, _ := post(t, srv, uuid.NewString(), pixRequest("order-"+uuid.NewString(), "")); status != 500 {
		t.Fatalf("creation = %d; want 500", status)
	}
	if n := len(f.Payments()); n != 0 {
		t.Errorf("%d payments after a refused creation; want 0", n)
	}
}

// A delayed call answers late, and only the calls the fault counts are
// delayed. The fake runs in a synctest bubble, served in-process, so the
// delay is measured on the bubble's clock, which moves only while every
// goroutine waits: exactly 150ms, and 0 for the next call, on any machine.
func TestFailNextDelayAnswersLate(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f, err := mercadopago.New(mercadopago.Options{AccessToken: testToken, WebhookSecret: testSecret})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		serve := func(method, target, body string) int {
			req := httptest.NewRequestWithContext(t.Context(), method, target, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			f.Handler().ServeHTTP(w, req)
			return w.Code
		}
		if status := serve(http.MethodPost, "/_fake/faults/fail-next", `{"count":1,"delay":"150ms"}`); status != http.StatusOK {
			t.Fatalf("fail-next = %d", status)
		}
		start := time.Now()
		if status, took := serve(http.MethodGet, "/v1/payments/42", ""), time.Since(start); status != http.StatusNotFound || took != 150*time.Millisecond {
			t.Errorf("delayed call = %d after %s; want the real 404 after 150ms", status, took)
		}
		start = time.Now()
		if serve(http.MethodGet, "/v1/payments/42", ""); time.Since(start) != 0 {
			t.Errorf("the next call was delayed too, by %s", time.Since(start))
		}
	})
}

func TestOutageUntilLifted(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	status, raw := controlCall(t, http.MethodPut, srv.URL+"/_fake/faults/outage")
	if f := decodeFaults(t, raw); status != http.StatusOK || f.Outage == nil || f.Outage.Status != 503 {
		t.Fatalf("outage = %d %s", status, raw)
	}
	for range 3 {
		if status, raw := post(t, srv, uuid.NewString(), pixRequest("order-"+uuid.NewString(), "")); status != 503 {
			t.Fatalf("creation during the outage = %d %s; want 503", status, raw)
		}
	}
	_, raw = controlCall(t, http.MethodDelete, srv.URL+"/_fake/faults/outage")
	if f := decodeFaults(t, raw); f.Outage != nil || f.InjectedCreations != 3 {
		t.Errorf("after the outage: %s; want it lifted, 3 creations refused", raw)
	}
	createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	_, raw = controlCall(t, http.MethodDelete, srv.URL+"/_fake/faults")
	if f := decodeFaults(t, raw); f != (mercadopago.Faults{}) {
		t.Errorf("cleared faults = %s", raw)
	}
}

func TestFaultValidation(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	tests := map[string]struct{ path, body, wantCode string }{
		"not a 5xx":              {"fail-next", `{"count":1,"status":404}`, "invalid_fault"},
		"no count":               {"fail-next", `{"status":500}`, "invalid_fault"},
		"delay too long":         {"fail-next", `{"count":1,"delay":"1h"}`, "invalid_fault"},
		"not a duration":         {"fail-next", `{"count":1,"delay":"soon"}`, "invalid_request"},
		"misspelt field":         {"fail-next", `{"count":1,"stauts":500}`, "invalid_request"},
		"outage with a 4xx":      {"outage", `{"status":429}`, "invalid_fault"},
		"outage with a bad body": {"outage", `{`, "invalid_request"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			method := http.MethodPost
			if tc.path == "outage" {
				method = http.MethodPut
			}
			status, raw := controlSend(t, method, srv.URL+"/_fake/faults/"+tc.path, tc.body)
			if status != http.StatusBadRequest || !strings.Contains(string(raw), `"code":"`+tc.wantCode+`"`) {
				t.Errorf("got %d %s; want 400 %s", status, raw, tc.wantCode)
			}
		})
	}
}

// TestFailNextProcessedLateAnswer: the creation takes effect at once but
// its answer comes after the client's timeout; the client's retry with the
// same key gets that payment.
func TestFailNextProcessedLateAnswer(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	if _, err := f.FailNext(1, mercadopago.APIFault{Delay: mercadopago.Duration(time.Second), Processed: true}); err != nil {
		t.Fatal(err)
	}
	ref := "order-" + uuid.NewString()
	key, body := uuid.NewString(), pixRequest(ref, "")
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/payments", strings.NewReader(string(raw)))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("X-Idempotency-Key", key)
	impatient := &http.Client{Timeout: 50 * time.Millisecond}
	if resp, err := impatient.Do(req); err == nil {
		_ = resp.Body.Close()
		t.Fatalf("the held answer arrived in time: %d", resp.StatusCode)
	}
	eventually(t, 30*time.Second, "the payment", func() bool { _, ok := f.FindByExternalReference(ref); return ok })
	first := mustFind(t, f, ref)
	if again := createdID(t, srv, key, body); again != first.ID || len(f.Payments()) != 1 {
		t.Errorf("retry gave %d with %d payments; want %d, one payment", again, len(f.Payments()), first.ID)
	}
}
