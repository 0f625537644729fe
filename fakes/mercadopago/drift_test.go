package mercadopago_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// apiGet reads /v1/payments/{id} raw, with the test token.
func apiGet(t *testing.T, srv *httptest.Server, id int64) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/v1/payments/"+strconv.FormatInt(id, 10), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	status, body := do(t, req)
	if status != http.StatusOK {
		t.Fatalf("GET payment %d = %d %s", id, status, body)
	}
	return body
}

func decodeObject(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return m
}

// TestDriftControl: /_fake/drift shows, sets and clears the mode, refuses
// a body it cannot read, and a reset puts it back as configured.
func TestDriftControl(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	url := srv.URL + "/_fake/drift"
	tests := []struct {
		method, body string
		wantStatus   int
		wantBody     string
	}{
		{http.MethodGet, "", http.StatusOK, `{"drift":false}`},
		{http.MethodPut, `{"drift":true}`, http.StatusOK, `{"drift":true}`},
		{http.MethodGet, "", http.StatusOK, `{"drift":true}`},
		{http.MethodPut, `{"drift":"yes"}`, http.StatusBadRequest, `"code":"invalid_request"`},
		{http.MethodPut, `{"drfit":false}`, http.StatusBadRequest, `"code":"invalid_request"`},
		{http.MethodPut, "", http.StatusBadRequest, `"code":"invalid_request"`},
		{http.MethodGet, "", http.StatusOK, `{"drift":true}`},
		{http.MethodDelete, "", http.StatusOK, `{"drift":false}`},
		{http.MethodPut, `{"drift":true}`, http.StatusOK, `{"drift":true}`},
		{http.MethodPut, `{"drift":false}`, http.StatusOK, `{"drift":false}`},
	}
	for _, tc := range tests { // in order: each step builds on the last
		status, raw := controlSend(t, tc.method, url, tc.body)
		if status != tc.wantStatus || !strings.Contains(string(raw), tc.wantBody) {
			t.Errorf("%s %s = %d %s, want %d with %s", tc.method, tc.body, status, raw, tc.wantStatus, tc.wantBody)
		}
	}

	f.SetDrift(true)
	f.Reset()
	if f.Drift() {
		t.Error("drift still on after a reset; want it as configured (off)")
	}
}

// TestDriftConfiguredOn: Options.Drift starts the fake drifting, and a
// reset keeps it so.
func TestDriftConfiguredOn(t *testing.T) {
	t.Parallel()
	f, err := mercadopago.New(mercadopago.Options{AccessToken: testToken, WebhookSecret: testSecret, Drift: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	f.SetDrift(false)
	f.Reset()
	if !f.Drift() {
		t.Error("drift off after a reset; want it as configured (on)")
	}
}

// TestDriftWireShape pins what drift writes: both forms, by the parity of
// the payment id; the same bytes for the same state; and the control API's
// views and the fake's own state left undrifted.
func TestDriftWireShape(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	req := pixRequest("", "")
	req["payer"] = map[string]any{"email": "buyer@example.com", "first_name": "Ana", "identification": map[string]any{"type": "CPF", "number": "19119119100"}}
	delete(req, "description")
	first, second := createPayment(t, srv, req), createPayment(t, srv, req)
	f.SetDrift(true)

	for _, p := range []mercadopago.Payment{first, second} {
		raw := apiGet(t, srv, p.ID)
		if again := apiGet(t, srv, p.ID); !bytes.Equal(raw, again) {
			t.Errorf("payment %d drifted twice differs:\n%s\n%s", p.ID, raw, again)
		}
		wire := decodeObject(t, raw)
		payer := wire["payer"].(map[string]any)
		ident := payer["identification"].(map[string]any)
		if payer["id"] != "3001234567" || wire["issuer_id"] != "12501" {
			t.Errorf("payment %d: payer.id %#v, issuer_id %#v; want strings of digits", p.ID, payer["id"], wire["issuer_id"])
		}
		for _, k := range []string{"external_reference", "description", "notification_url", "three_ds_info", "sponsor_id", "differential_pricing_id"} {
			if v, ok := wire[k]; !ok || v != nil {
				t.Errorf("payment %d: %s = %#v; want null", p.ID, k, v)
			}
		}
		for _, k := range []string{"fee_details", "charges_details", "acquirer_reconciliation", "charges_execution_info", "additional_info", "brand_id"} {
			if _, ok := wire[k]; !ok {
				t.Errorf("payment %d: no %s", p.ID, k)
			}
		}
		td := wire["point_of_interaction"].(map[string]any)["transaction_data"].(map[string]any)
		if _, ok := td["bank_info"].(map[string]any); !ok || td["e2e_id"] != nil {
			t.Errorf("payment %d: transaction_data %v; want bank_info and a null e2e_id", p.ID, td)
		}
		odd := p.ID%2 == 1
		want := map[bool]any{false: nil, true: "***"}[odd]
		if payer["email"] != want || payer["first_name"] != want || ident["number"] != want {
			t.Errorf("payment %d (odd %v): payer %v; want personal data %#v", p.ID, odd, payer, want)
		}
		emptyObjects := wire["card"] != nil && wire["order"] != nil && wire["metadata"] != nil
		if emptyObjects == odd {
			t.Errorf("payment %d (odd %v): card %#v, order %#v, metadata %#v", p.ID, odd, wire["card"], wire["order"], wire["metadata"])
		}
	}

	_, control := controlCall(t, http.MethodGet, srv.URL+"/_fake/payments/"+strconv.FormatInt(first.ID, 10))
	if view := decodeObject(t, control); view["fee_details"] != nil || view["payer"].(map[string]any)["email"] != "buyer@example.com" {
		t.Errorf("control view with drift on = %s; want it undrifted", control)
	}
	if p, _ := f.Payment(first.ID); p.Payer.Email != "buyer@example.com" || p.Payer.Identification.Number != "19119119100" {
		t.Errorf("stored payer = %+v; drift must not touch the state", p.Payer)
	}
}

// TestDriftOffIsUndrifted: with drift off, the API answers what the fake
// stores, field for field.
func TestDriftOffIsUndrifted(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	_, control := controlCall(t, http.MethodGet, srv.URL+"/_fake/payments/"+strconv.FormatInt(p.ID, 10))
	if api := apiGet(t, srv, p.ID); !bytes.Equal(api, control) {
		t.Errorf("API answer without drift\n%s\ndiffers from the control view\n%s", api, control)
	}
}
