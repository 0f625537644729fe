package order

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/token/tokentest"
)

func TestGetOrder(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, owner := a.customer(t)
	_, stranger := a.customer(t)
	o := a.place(t, owner)
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	snapshot := Payment{ID: uuid.NewString(), Status: PaymentPending, QRCode: "000201", QRCodeBase64: "iVBOR", TicketURL: "https://pay.example/t", ExpiresAt: &exp}
	if err := a.orders.ApplyPayment(t.Context(), uuid.NewString(), o.ID, snapshot, o.Total, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, tok string
		status          int
		code            string
	}{
		{"owner", "/order/" + o.ID, owner, http.StatusOK, ""},
		{"employee", "/order/" + o.ID, a.tokens.Employee(t), http.StatusOK, ""},
		{"another customer", "/order/" + o.ID, stranger, http.StatusNotFound, "order_not_found"},
		{"unknown id", "/order/" + uuid.NewString(), owner, http.StatusNotFound, "order_not_found"},
		{"malformed id", "/order/12345", owner, http.StatusNotFound, "order_not_found"},
		{"no token", "/order/" + o.ID, "", http.StatusUnauthorized, "unauthorized"},
		{"foreign token", "/order/" + o.ID, tokentest.New(t).Customer(t, uuid.NewString(), "x"), http.StatusUnauthorized, "unauthorized"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := a.do(t, http.MethodGet, tc.path, tc.tok, "")
			if tc.code != "" {
				res.wantError(t, tc.status, tc.code, "")
				return
			}
			got := decode[orderJSON](t, res)
			p := got.Payment
			if res.status != tc.status || got.Status != StatusAwaitingPayment || p == nil || p.QRCode != "000201" || !p.ExpiresAt.Equal(exp) {
				t.Fatalf("GET = %d %s", res.status, res.body)
			}
			if h := got.History; len(h) != 2 || h[1].Status != StatusAwaitingPayment {
				t.Fatalf("history = %+v", h)
			}
		})
	}
}

func TestListOrders(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, ana := a.customer(t)
	_, bia := a.customer(t)
	a1, b1, a2 := a.place(t, ana), a.place(t, bia), a.place(t, ana)
	if err := a.orders.ApplyPayment(t.Context(), uuid.NewString(), a1.ID, Payment{ID: "p", Status: PaymentApproved}, a1.Total, ""); err != nil {
		t.Fatal(err)
	}
	staff := a.tokens.Employee(t)
	tests := []struct {
		name, query, tok string
		want             []string
	}{
		{"customer sees own, newest first", "", ana, []string{a2.ID, a1.ID}},
		{"other customer", "", bia, []string{b1.ID}},
		{"employee sees all", "", staff, []string{a2.ID, b1.ID, a1.ID}},
		{"status filter", "?status=PAID", staff, []string{a1.ID}},
		{"status filter, own only", "?status=RECEIVED", ana, []string{a2.ID}},
		{"limit", "?limit=2", staff, []string{a2.ID, b1.ID}},
		{"nothing", "?status=DELIVERED", staff, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := a.do(t, http.MethodGet, "/order"+tc.query, tc.tok, "")
			if res.status != http.StatusOK {
				t.Fatalf("GET = %d %s", res.status, res.body)
			}
			list := decode[[]orderJSON](t, res)
			ids := []string{}
			for _, o := range list {
				ids = append(ids, o.ID)
				if len(o.Items) != 2 || len(o.History) == 0 {
					t.Errorf("order %s lacks details", o.ID)
				}
			}
			if !slices.Equal(ids, tc.want) {
				t.Fatalf("ids = %v; want %v", ids, tc.want)
			}
		})
	}
}

func TestListOrdersRejects(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, tok := a.customer(t)
	queries := map[string]string{ // query → the field the error names
		"?limit=0": "limit", "?limit=201": "limit", "?limit=abc": "limit", "?limit=-1": "limit",
		"?status=paid": "status", "?status=SHIPPED": "status",
	}
	for q, field := range queries {
		a.do(t, http.MethodGet, "/order"+q, tok, "").wantError(t, http.StatusBadRequest, "invalid_request", field)
	}
	a.do(t, http.MethodGet, "/order", "", "").wantError(t, http.StatusUnauthorized, "unauthorized", "")
}

func TestDeliver(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, customer := a.customer(t)
	staff := a.tokens.Employee(t)
	o := a.place(t, customer)
	path := "/order/" + o.ID + "/delivered"
	a.do(t, http.MethodPut, path, customer, "").wantError(t, http.StatusForbidden, "forbidden", "")
	a.do(t, http.MethodPut, path, staff, "").wantError(t, http.StatusConflict, "invalid_transition", "")
	a.do(t, http.MethodPut, "/order/"+uuid.NewString()+"/delivered", staff, "").wantError(t, http.StatusNotFound, "order_not_found", "")
	a.do(t, http.MethodPut, "/order/nope/delivered", staff, "").wantError(t, http.StatusNotFound, "order_not_found", "")

	ctx := t.Context()
	if err := a.orders.ApplyPayment(ctx, uuid.NewString(), o.ID, Payment{ID: "p", Status: PaymentApproved}, o.Total, ""); err != nil {
		t.Fatal(err)
	}
	if err := a.orders.ApplyKitchen(ctx, uuid.NewString(), o.ID, TriggerKitchenCompleted); err != nil {
		t.Fatal(err)
	}
	res := a.do(t, http.MethodPut, path, staff, "")
	got := decode[orderJSON](t, res)
	if res.status != http.StatusOK || got.Status != StatusDelivered || len(got.History) != 6 || got.History[5].Status != StatusDelivered {
		t.Fatalf("PUT delivered = %d %s", res.status, res.body)
	}
	a.do(t, http.MethodPut, path, staff, "").wantError(t, http.StatusConflict, "invalid_transition", "")
}
