package mercadopago_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func controlCall(t *testing.T, method, url string) (int, []byte) {
	t.Helper()
	return controlSend(t, method, url, "")
}

// controlSend calls the control API with a JSON body ("" for none).
func controlSend(t *testing.T, method, url, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return do(t, req)
}

func TestControlAPI(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	ref := "order-" + uuid.NewString()
	p := createPayment(t, srv, pixRequest(ref, ""))
	createPayment(t, srv, pixRequest("other-"+uuid.NewString(), ""))
	base := srv.URL + "/_fake/payments"
	id := strconv.FormatInt(p.ID, 10)

	status, raw := controlCall(t, http.MethodGet, base+"?external_reference="+ref)
	var list []struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(raw, &list); err != nil || status != http.StatusOK || len(list) != 1 || list[0].ID != p.ID {
		t.Errorf("list by reference = %d %s", status, raw)
	}

	tests := []struct {
		method, path string
		wantStatus   int
		wantInBody   string
	}{
		{http.MethodGet, "/" + id, http.StatusOK, `"status":"pending"`},
		{http.MethodPost, "/" + id + "/approve", http.StatusOK, `"status":"approved"`},
		{http.MethodPost, "/" + id + "/expire", http.StatusConflict,
			`{"error":{"code":"invalid_transition","message":"payment ` + id + ` is approved; it cannot expire"}}`},
		{http.MethodPost, "/42/approve", http.StatusNotFound, `"code":"payment_not_found"`},
		{http.MethodGet, "/42", http.StatusNotFound, `"code":"payment_not_found"`},
		{http.MethodGet, "/abc", http.StatusBadRequest, `"code":"invalid_id"`},
		{http.MethodPost, "/" + id + "/pay", http.StatusNotFound, `"code":"unknown_verb"`},
	}
	for _, tc := range tests { // in order: each step builds on the last
		status, raw := controlCall(t, tc.method, base+tc.path)
		if status != tc.wantStatus || !strings.Contains(string(raw), tc.wantInBody) {
			t.Errorf("%s %s = %d %s, want %d with %s", tc.method, tc.path, status, raw, tc.wantStatus, tc.wantInBody)
		}
	}

	if status, raw := controlCall(t, http.MethodGet, srv.URL+"/_fake/deliveries"); status != http.StatusOK || string(raw) != "[]\n" {
		t.Errorf("deliveries = %d %s, want an empty list", status, raw)
	}
}

// TestWireFormat pins what the SDK cannot decode: times must carry
// milliseconds and an offset, or be null; ids and amounts are numbers.
func TestWireFormat(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	_, raw := controlCall(t, http.MethodGet, srv.URL+"/_fake/payments/"+strconv.FormatInt(p.ID, 10))
	var wire map[string]any
	if err := json.Unmarshal(raw, &wire); err != nil {
		t.Fatalf("decode: %v", err)
	}
	mpTime := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[-+]\d\d:\d\d$`)
	for _, field := range []string{"date_created", "date_last_updated", "date_of_expiration"} {
		if s, ok := wire[field].(string); !ok || !mpTime.MatchString(s) {
			t.Errorf("%s = %#v", field, wire[field])
		}
	}
	if wire["date_approved"] != nil || wire["money_release_date"] != nil {
		t.Errorf("date_approved = %#v, money_release_date = %#v; want null", wire["date_approved"], wire["money_release_date"])
	}
	if _, ok := wire["id"].(float64); !ok {
		t.Errorf("id = %#v, want a number", wire["id"])
	}
	if _, ok := wire["transaction_amount"].(float64); !ok {
		t.Errorf("transaction_amount = %#v, want a number", wire["transaction_amount"])
	}
}

func TestTicketPage(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	status, raw := controlCall(t, http.MethodGet, p.PointOfInteraction.TransactionData.TicketURL)
	if status != http.StatusOK || !strings.Contains(string(raw), "data:image/png;base64,") ||
		!strings.Contains(string(raw), p.PointOfInteraction.TransactionData.QRCode) {
		t.Errorf("ticket page = %d %s", status, raw)
	}
}
