package order

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token/authztest"
	"github.com/comanda/comanda/services/platform/token/tokentest"
	"github.com/comanda/comanda/services/platform/web"
)

// The order service enforces who may do what itself: customers order and
// see their own orders, employees see all and hand orders over; an order
// that is not the caller's does not exist for them.
func TestAuthorizationTable(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	ownerID, ownerToken := a.customer(t)
	o := a.place(t, ownerToken)
	line := `{"items":[{"product_id":"` + a.ids[0] + `","quantity":1}]}`
	unknown := uuid.NewString()
	routes := []authztest.Route{
		{Method: "POST", Path: "/order", Body: line, Want: authztest.CustomersOnly(201)},
		{Method: "GET", Path: "/order", Want: authztest.AnyRole(200)},
		{Method: "GET", Path: "/order?status=RECEIVED&limit=5", Want: authztest.AnyRole(200)},
		{Method: "GET", Path: "/order/" + o.ID, Want: authztest.OwnerOrEmployee(200)},
		{Method: "GET", Path: "/order/" + unknown, Want: authztest.OwnerOrEmployee(404)},
		{Method: "PUT", Path: "/order/" + o.ID + "/delivered", Want: authztest.EmployeeOnly(409)},
	}
	authztest.Check(t, authztest.Handler(a.handler), authztest.FromIssuer(t, a.tokens, ownerID), routes)
}

// A customer's list holds only their own orders, whoever else ordered.
func TestListShowsOnlyTheCallersOrders(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	_, mine := a.customer(t)
	_, theirs := a.customer(t)
	own := a.place(t, mine)
	a.place(t, theirs)
	list := decode[[]orderJSON](t, a.do(t, http.MethodGet, "/order", mine, ""))
	if len(list) != 1 || list[0].ID != own.ID {
		t.Fatalf("the list shows %+v; want only %s", list, own.ID)
	}
}

// A fault of ours (here the database is gone) is a 500 that says nothing
// of its cause.
func TestInternalErrorsRevealNothing(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	pool.Close()
	log := logging.Discard()
	m, ids := newMenu(1)
	fc := newFakeCatalog(t, m)
	orders := NewOrders(newStore(pool), NewCatalogClient(fc.URL, 2*time.Second), &countingRelay{}, 5, log)
	tokens := tokentest.New(t)
	router := web.NewRouter(log)
	Routes(router, orders, tokens.Verifier(), log)
	client := authztest.Handler(router)
	customer := tokens.Customer(t, uuid.NewString(), "Ana")
	for _, req := range []struct{ method, path, body string }{
		{"GET", "/order", ""},
		{"GET", "/order/" + uuid.NewString(), ""},
		{"POST", "/order", `{"items":[{"product_id":"` + ids[0] + `","quantity":1}]}`},
	} {
		status, body := client(t, req.method, req.path, customer, req.body)
		authztest.WantInternalError(t, status, body)
	}
}
