package payment

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/google/uuid"
)

func TestGetPayment(t *testing.T) {
	t.Parallel()
	router, keys, p := storedPaymentRouter(t)
	ownerToken := keys.Customer(t, p.CustomerID, "Test")
	otherToken := keys.Customer(t, uuid.NewString(), "Test")
	staffToken := keys.Employee(t)

	tests := []struct {
		name, path, token string
		status            int
		code              string
	}{
		{"owner by id", "/payment/" + p.ID, ownerToken, 200, ""},
		{"employee by id", "/payment/" + p.ID, staffToken, 200, ""},
		{"other customer by id", "/payment/" + p.ID, otherToken, 404, "payment_not_found"},
		{"unknown id", "/payment/" + uuid.NewString(), staffToken, 404, "payment_not_found"},
		{"malformed id", "/payment/not-a-uuid", staffToken, 404, "payment_not_found"},
		{"no token", "/payment/" + p.ID, "", 401, "unauthorized"},
		{"bad token", "/payment/" + p.ID, "x.y.z", 401, "unauthorized"},
		{"owner by order", "/payment?order_id=" + p.OrderID, ownerToken, 200, ""},
		{"employee by order", "/payment?order_id=" + p.OrderID, staffToken, 200, ""},
		{"other customer by order", "/payment?order_id=" + p.OrderID, otherToken, 404, "payment_not_found"},
		{"unknown order", "/payment?order_id=" + uuid.NewString(), staffToken, 404, "payment_not_found"},
		{"malformed order id", "/payment?order_id=123", staffToken, 400, "invalid_request"},
		{"missing order id", "/payment", staffToken, 400, "invalid_request"},
		{"order query without token", "/payment?order_id=" + p.OrderID, "", 401, "unauthorized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := serve(t, router, tt.path, tt.token, tt.status)
			if tt.code != "" {
				if got := errorCode(t, body); got != tt.code {
					t.Fatalf("error code %q; want %q", got, tt.code)
				}
				return
			}
			checkPaymentBody(t, body, p)
		})
	}
}

func serve(t *testing.T, h http.Handler, path, bearer string, wantStatus int) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != wantStatus {
		t.Fatalf("GET %s = %d %s; want %d", path, rec.Code, rec.Body, wantStatus)
	}
	return rec.Body.Bytes()
}

func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e.Error.Code
}

func checkPaymentBody(t *testing.T, body []byte, p Payment) {
	t.Helper()
	var fields map[string]any
	if err := json.Unmarshal(body, &fields); err != nil {
		t.Fatal(err)
	}
	want := []string{"id", "order_id", "status", "amount", "provider", "provider_payment_id", "qr_code",
		"qr_code_base64", "ticket_url", "expires_at", "created_at", "updated_at"}
	got := make([]string, 0, len(fields))
	for k := range fields {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("fields %v; want %v", got, want)
	}
	if fields["id"] != p.ID || fields["order_id"] != p.OrderID || fields["status"] != "PENDING" || fields["amount"] != 25.9 ||
		fields["provider"] != "mercadopago" || fields["provider_payment_id"] != float64(p.ProviderPaymentID) ||
		fields["expires_at"] != p.ExpiresAt.Format("2006-01-02T15:04:05.999999999Z07:00") {
		t.Fatalf("body %s; want %+v", body, p)
	}
}
