package mercadopago_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	_, srv, clock := newTestFake(t)
	tests := map[string]struct {
		change   func(map[string]any)
		noKey    bool
		wantCode int
	}{
		"missing amount":      {change: func(b map[string]any) { delete(b, "transaction_amount") }, wantCode: 4037},
		"zero amount":         {change: func(b map[string]any) { b["transaction_amount"] = 0 }, wantCode: 4037},
		"no payment method":   {change: func(b map[string]any) { delete(b, "payment_method_id") }, wantCode: 4023},
		"card, not pix":       {change: func(b map[string]any) { b["payment_method_id"] = "visa" }, wantCode: 4003},
		"no payer":            {change: func(b map[string]any) { delete(b, "payer") }, wantCode: 4050},
		"payer without email": {change: func(b map[string]any) { b["payer"] = map[string]any{} }, wantCode: 4050},
		"relative notification_url": {
			change: func(b map[string]any) { b["notification_url"] = "/webhook" }, wantCode: 4020,
		},
		"expiration in the past": {
			change:   func(b map[string]any) { b["date_of_expiration"] = clock.Now().Add(-time.Minute) },
			wantCode: 4026,
		},
		"no idempotency key": {change: func(map[string]any) {}, noKey: true, wantCode: 4292},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := pixRequest("order-"+uuid.NewString(), "")
			tc.change(body)
			key := uuid.NewString()
			if tc.noKey {
				key = ""
			}
			status, raw := post(t, srv, key, body)
			e := decodeMPError(t, raw)
			if status != http.StatusBadRequest || e.Status != 400 || e.Error != "bad_request" || e.Message == "" ||
				len(e.Cause) != 1 || e.Cause[0].Code != tc.wantCode {
				t.Errorf("got %d %s, want 400 with cause %d", status, raw, tc.wantCode)
			}
		})
	}
}

func TestGetErrors(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	tests := map[string]struct {
		path       string
		wantStatus int
		wantError  string
	}{
		"unknown id":     {"/v1/payments/42", http.StatusNotFound, "not_found"},
		"non-integer id": {"/v1/payments/abc", http.StatusBadRequest, "bad_request"},
		"unknown path":   {"/v1/orders", http.StatusNotFound, "not_found"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
			req.Header.Set("Authorization", "Bearer "+testToken)
			status, raw := do(t, req)
			if e := decodeMPError(t, raw); status != tc.wantStatus || e.Status != tc.wantStatus || e.Error != tc.wantError {
				t.Errorf("got %d %s, want %d %s", status, raw, tc.wantStatus, tc.wantError)
			}
		})
	}
}

func TestSearchPaging(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	ref := "order-" + uuid.NewString()
	var ids []int64
	for range 3 {
		ids = append(ids, createPayment(t, srv, pixRequest(ref, "")).ID)
	}
	createPayment(t, srv, pixRequest("someone-else", ""))

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/payments/search?external_reference="+ref+"&limit=2&offset=1", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	status, raw := do(t, req)
	var got struct {
		Paging  struct{ Total, Limit, Offset int } `json:"paging"`
		Results []struct {
			ID int64 `json:"id"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("decode: %v in %s", err, raw)
	}
	if status != http.StatusOK || got.Paging.Total != 3 || got.Paging.Limit != 2 || got.Paging.Offset != 1 ||
		len(got.Results) != 2 || got.Results[0].ID != ids[1] || got.Results[1].ID != ids[2] {
		t.Errorf("search = %d %s, want ids %v", status, raw, ids[1:])
	}
}
