package catalog

import (
	"net/http/httptest"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/token/authztest"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// The catalog enforces who may do what itself: the menu is public, its
// upkeep is for employees, whatever the gateway does.
func TestAuthorizationTable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	replaced, deleted := f.createProduct(t), f.createProduct(t)
	routes := []authztest.Route{
		{Method: "GET", Path: "/categories", Want: authztest.Public(200)},
		{Method: "GET", Path: "/products", Want: authztest.Public(200)},
		{Method: "GET", Path: "/products?category=" + lancheID, Want: authztest.Public(200)},
		{Method: "GET", Path: "/products/" + xBurguerID, Want: authztest.Public(200)},
		{Method: "POST", Path: "/products", Body: productBody(uniqueName("Authz"), "9.9", lancheID), Want: authztest.EmployeeOnly(201)},
		{Method: "PUT", Path: "/products/" + replaced, Body: productBody(uniqueName("Authz"), "9.9", lancheID), Want: authztest.EmployeeOnly(200)},
		{Method: "DELETE", Path: "/products/" + deleted, Want: authztest.EmployeeOnly(204)},
	}
	authztest.Check(t, authztest.BaseURL(f.url), authztest.FromIssuer(t, f.tokens, uuid.NewString()), routes)
}

// createProduct adds a product of its own and returns its id.
func (f *fixture) createProduct(t *testing.T) string {
	t.Helper()
	var p Product
	f.do("POST", "/products", f.tokens.Employee(t), productBody(uniqueName("Authz"), "9.9", lancheID)).decode(t, 201, &p)
	return p.ID
}

// A fault of ours (here the database is gone) is a 500 that says nothing
// of its cause.
func TestInternalErrorsRevealNothing(t *testing.T) {
	t.Parallel()
	pool, err := postgres.Open(t.Context(), postgres.Config{URL: pgtest.NewDatabase(t), MaxConns: 2}, Migrations(), logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	pool.Close()
	tokens := tokentest.New(t)
	srv := httptest.NewServer(newHandler(newStore(pool), tokens.Verifier(), logging.Discard()))
	t.Cleanup(srv.Close)
	client := authztest.BaseURL(srv.URL)
	for _, path := range []string{"/categories", "/products", "/products/" + xBurguerID} {
		status, body := client(t, "GET", path, "", "")
		authztest.WantInternalError(t, status, body)
	}
	status, body := client(t, "POST", "/products", tokens.Employee(t), productBody(uniqueName("Authz"), "9.9", lancheID))
	authztest.WantInternalError(t, status, body)
}
