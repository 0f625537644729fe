package order

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
)

func TestPlaceOrder(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	customerID, tok := a.customer(t)
	body := fmt.Sprintf(`{"items":[{"product_id":%q,"quantity":2},{"product_id":%q,"quantity":1},{"product_id":%q,"quantity":3}]}`,
		a.ids[0], strings.ToUpper(a.ids[1]), a.ids[0])
	res := a.do(t, http.MethodPost, "/order", tok, body)
	if res.status != http.StatusCreated {
		t.Fatalf("POST /order = %d %s", res.status, res.body)
	}
	wantKeys := []string{"created_at", "customer", "history", "id", "items", "payment", "status", "total", "updated_at"}
	if got := keysOf(t, res.body); !slices.Equal(got, wantKeys) {
		t.Errorf("order keys = %v; want %v", got, wantKeys)
	}
	var raw struct {
		Items   []json.RawMessage `json:"items"`
		Payment json.RawMessage   `json:"payment"`
	}
	_ = json.Unmarshal(res.body, &raw)
	if string(raw.Payment) != "null" || !slices.Equal(keysOf(t, raw.Items[0]), []string{"name", "product_id", "quantity", "subtotal", "unit_price"}) {
		t.Errorf("payment = %s, item = %s", raw.Payment, raw.Items[0])
	}
	if !strings.Contains(string(res.body), `"total":64`) || !strings.Contains(string(res.body), `"unit_price":10.5`) {
		t.Errorf("amounts not in reais: %s", res.body) // 2×10.50 + 11.50 + 3×10.50
	}
	o := decode[orderJSON](t, res)
	if o.Customer.ID != customerID || !strings.HasPrefix(o.Customer.Name, "Cliente ") || o.Status != StatusReceived {
		t.Errorf("order = %+v", o)
	}
	if len(o.Items) != 3 || o.Items[1].ProductID != a.ids[1] || o.Items[1].Name != "Product B" || o.Items[2].Subtotal != 3150 {
		t.Errorf("items = %+v", o.Items)
	}
	if len(o.History) != 1 || o.History[0].Status != StatusReceived || o.CreatedAt.Location().String() != "UTC" {
		t.Errorf("history = %+v, created_at %v", o.History, o.CreatedAt)
	}
	if q := a.catalog.Queries(); len(q) != 1 || q[0] != a.ids[0]+","+a.ids[1] {
		t.Errorf("catalog queries = %v; want one for the two distinct ids", q)
	}
}

func TestPlaceOrderWritesOneOutboxMessage(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	customerID, tok := a.customer(t)
	o := a.place(t, tok)
	rows, err := a.store.pool.Query(t.Context(), `SELECT queue, body FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var bodies []string
	for rows.Next() {
		var queue, body string
		if err := rows.Scan(&queue, &body); err != nil {
			t.Fatal(err)
		}
		if queue != events.PaymentQueue {
			t.Errorf("queue = %s; want %s", queue, events.PaymentQueue)
		}
		bodies = append(bodies, body)
	}
	if len(bodies) != 1 {
		t.Fatalf("%d outbox rows; want 1", len(bodies))
	}
	env, err := events.Parse([]byte(bodies[0]))
	if err != nil {
		t.Fatal(err)
	}
	m := env.Meta
	if m.EventName != events.OrderPaymentRequested || m.EventSource != events.OrderService || m.EventTarget != events.PaymentService || m.CorrelationID == "" {
		t.Errorf("meta = %+v", m)
	}
	var p events.OrderPaymentRequestedPayload
	if err := env.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.OrderID != o.ID || p.CustomerID != customerID || p.CustomerName != o.Customer.Name || p.AmountCents != int64(o.Total) || len(p.Items) != 2 {
		t.Errorf("payload = %+v; order %+v", p, o)
	}
	if p.Items[0].UnitPriceCents != 1050 || p.Items[0].Quantity != 2 || p.Items[0].Name != "Product A" {
		t.Errorf("payload item = %+v", p.Items[0])
	}
}

func TestPlaceOrderRejects(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, tok := a.customer(t)
	known, unknown := a.ids[0], uuid.NewString()
	line := func(id string, q int) string { return fmt.Sprintf(`{"product_id":%q,"quantity":%d}`, id, q) }
	lines := func(n int) string {
		return `{"items":[` + strings.TrimSuffix(strings.Repeat(line(known, 1)+",", n), ",") + `]}`
	}
	tests := []struct {
		name, tok, body string
		status          int
		code, mention   string
	}{
		{"no token", "", lines(1), http.StatusUnauthorized, "unauthorized", ""},
		{"bad token", "not-a-jwt", lines(1), http.StatusUnauthorized, "unauthorized", ""},
		{"employee", a.tokens.Employee(t), lines(1), http.StatusForbidden, "forbidden", ""},
		{"empty body", tok, "", http.StatusBadRequest, "invalid_request", "empty"},
		{"not json", tok, "{items", http.StatusBadRequest, "invalid_request", "JSON"},
		{"trailing data", tok, lines(1) + " {}", http.StatusBadRequest, "invalid_request", "single JSON object"},
		{"price from the client", tok, `{"items":[{"product_id":"` + known + `","quantity":1,"price":0.01}]}`, http.StatusBadRequest, "invalid_request", "price"},
		{"unknown top-level field", tok, `{"items":[],"total":1}`, http.StatusBadRequest, "invalid_request", "total"},
		{"quantity as string", tok, `{"items":[{"product_id":"` + known + `","quantity":"2"}]}`, http.StatusBadRequest, "invalid_request", "quantity"},
		{"fractional quantity", tok, `{"items":[{"product_id":"` + known + `","quantity":1.5}]}`, http.StatusBadRequest, "invalid_request", "quantity"},
		{"no items", tok, `{"items":[]}`, http.StatusBadRequest, "invalid_request", "items"},
		{"items missing", tok, `{}`, http.StatusBadRequest, "invalid_request", "items"},
		{"fifty-one lines", tok, lines(51), http.StatusBadRequest, "invalid_request", "items"},
		{"zero quantity", tok, `{"items":[` + line(known, 1) + `,` + line(known, 1) + `,` + line(known, 0) + `]}`, http.StatusBadRequest, "invalid_request", "items[2].quantity"},
		{"twenty-one", tok, `{"items":[` + line(known, 21) + `]}`, http.StatusBadRequest, "invalid_request", "items[0].quantity"},
		{"malformed product id", tok, `{"items":[` + line("x-burger", 1) + `]}`, http.StatusBadRequest, "invalid_request", "items[0].product_id"},
		{"unknown product", tok, `{"items":[` + line(known, 1) + `,` + line(unknown, 1) + `]}`, http.StatusUnprocessableEntity, "unknown_product", unknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a.do(t, http.MethodPost, "/order", tc.tok, tc.body).wantError(t, tc.status, tc.code, tc.mention)
		})
	}
}

func TestPlaceOrderWithFiftyLinesOfTwenty(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, tok := a.customer(t)
	line := `{"product_id":"` + a.ids[2] + `","quantity":20}`
	body := `{"items":[` + strings.TrimSuffix(strings.Repeat(line+",", 50), ",") + `]}`
	res := a.do(t, http.MethodPost, "/order", tok, body)
	if res.status != http.StatusCreated {
		t.Fatalf("POST /order = %d %s", res.status, res.body)
	}
	if o := decode[orderJSON](t, res); len(o.Items) != 50 || o.Total != 50*20*1250 {
		t.Fatalf("order has %d lines, total %v", len(o.Items), o.Total)
	}
}

func TestPlaceOrderCatalogUnavailable(t *testing.T) {
	t.Parallel()
	m, ids := newMenu(1)
	fc := newFakeCatalog(t, m)
	fc.Close() // nothing listens there any more
	a := newAPIWithCatalog(t, fc.URL, fc, ids)
	_, tok := a.customer(t)
	body := `{"items":[{"product_id":"` + ids[0] + `","quantity":1}]}`
	a.do(t, http.MethodPost, "/order", tok, body).wantError(t, http.StatusServiceUnavailable, "catalog_unavailable", "catalog")
	list, err := a.store.List(context.WithoutCancel(t.Context()), ListFilter{Limit: 10})
	if err != nil || len(list) != 0 {
		t.Fatalf("orders stored = %v, %v; want none", len(list), err)
	}
}

// The sixth unpaid order of one customer is 429 too_many_open_orders.
func TestPlaceOrderPastTheOpenOrdersCap(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, tok := a.customer(t)
	body := fmt.Sprintf(`{"items":[{"product_id":%q,"quantity":1}]}`, a.ids[0])
	for range 5 {
		if res := a.do(t, http.MethodPost, "/order", tok, body); res.status != http.StatusCreated {
			t.Fatalf("POST /order = %d %s", res.status, res.body)
		}
	}
	a.do(t, http.MethodPost, "/order", tok, body).wantError(t, http.StatusTooManyRequests, "too_many_open_orders", "")
	_, other := a.customer(t)
	if res := a.do(t, http.MethodPost, "/order", other, body); res.status != http.StatusCreated {
		t.Fatalf("another customer: POST /order = %d %s", res.status, res.body)
	}
}
