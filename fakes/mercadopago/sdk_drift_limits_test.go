package mercadopago_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"
)

// TestSDKDriftLimits pins which of Mercado Pago's liberties the official
// SDK (v1.8.0) decodes, and so which the drift may use. Each case takes a
// drifted payment, changes one field the way the case says and serves it:
// the SDK's Get must succeed, or fail, as the case says. The failures are
// findings, kept out of the drift on purpose (docs/mercadopago.md): were
// the API to answer so, every read of that payment would fail.
func TestSDKDriftLimits(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	f.SetDrift(true)
	drifted := apiGet(t, srv, p.ID)

	tests := []struct {
		name    string
		change  func(body map[string]any)
		decodes bool
	}{
		{"the drift as it is", func(map[string]any) {}, true},
		{"additional_info.items quantity and unit_price as strings", func(b map[string]any) {
			b["additional_info"].(map[string]any)["items"] = []any{map[string]any{"id": "1", "title": "X-Burger", "quantity": "1", "unit_price": "25.9"}}
		}, true},
		{"order.id as a string", func(b map[string]any) { b["order"] = map[string]any{"id": "19236333916", "type": "mercadopago"} }, true},
		{"transaction_details.bank_transfer_id as a number", func(b map[string]any) {
			b["transaction_details"].(map[string]any)["bank_transfer_id"] = 1234
		}, true},
		{"differential_pricing_id as a number", func(b map[string]any) { b["differential_pricing_id"] = 7 }, true},
		{"payer.id as a number", func(b map[string]any) { b["payer"].(map[string]any)["id"] = 3001234567 }, false},
		{"collector_id as a string", func(b map[string]any) { b["collector_id"] = "2001234567" }, false},
		{"installments as a string", func(b map[string]any) { b["installments"] = "1" }, false},
		{"order.id as a number", func(b map[string]any) { b["order"] = map[string]any{"id": 19236333916, "type": "mercadopago"} }, false},
		{"card.expiration_month and expiration_year masked", func(b map[string]any) {
			b["card"] = map[string]any{"expiration_month": "***", "expiration_year": "***", "last_four_digits": "0604"}
		}, false},
		{"transaction_data.financial_institution as a string", func(b map[string]any) {
			poi := b["point_of_interaction"].(map[string]any)
			poi["transaction_data"].(map[string]any)["financial_institution"] = "1"
		}, false},
		{"payer.identification.number as a number", func(b map[string]any) {
			b["payer"].(map[string]any)["identification"] = map[string]any{"type": "CPF", "number": 19119119100}
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := decodeObject(t, drifted)
			tc.change(body)
			raw, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			served := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(raw)
			}))
			t.Cleanup(served.Close)
			got, err := sdkClient(t, served, "").Get(context.Background(), int(p.ID))
			switch {
			case tc.decodes && err != nil:
				t.Errorf("the SDK cannot decode it: %v", err)
			case tc.decodes && got.ID != int(p.ID):
				t.Errorf("decoded id %d, want %d", got.ID, p.ID)
			case !tc.decodes && err == nil:
				t.Errorf("the SDK decodes it now: it may join the drift (and docs/mercadopago.md should say so)")
			}
		})
	}
}
