package production

import (
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/platform/token/authztest"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// The kitchen is for employees only, and the production service says so
// itself, whatever the gateway does.
func TestAuthorizationTable(t *testing.T) {
	t.Parallel()
	e := newKitchenEnv(t)
	waiting, _ := e.paid(t)
	cooking, _ := e.paid(t)
	if _, err := e.kitchen.Advance(t.Context(), cooking, "started"); err != nil {
		t.Fatal(err)
	}
	routes := []authztest.Route{
		{Method: "GET", Path: "/production", Want: authztest.EmployeeOnly(200)},
		{Method: "GET", Path: "/production?status=RECEIVED", Want: authztest.EmployeeOnly(200)},
		{Method: "GET", Path: "/production/" + waiting, Want: authztest.EmployeeOnly(200)},
		{Method: "GET", Path: "/production/" + uuid.NewString(), Want: authztest.EmployeeOnly(404)},
		{Method: "PUT", Path: "/production/" + waiting + "/started", Want: authztest.EmployeeOnly(200)},
		{Method: "PUT", Path: "/production/" + cooking + "/completed", Want: authztest.EmployeeOnly(200)},
	}
	authztest.Check(t, authztest.Handler(e.handler), authztest.FromIssuer(t, e.tokens, uuid.NewString()), routes)
}

// A fault of ours (here the table is missing) is a 500 that says nothing
// of its cause.
func TestInternalErrorsRevealNothing(t *testing.T) {
	t.Parallel()
	_, clients := awstest.Clients(t)
	store := newStore(clients.DynamoDB, "no-such-table-"+uuid.NewString())
	tokens := tokentest.New(t)
	client := authztest.Handler(newHandler(NewKitchen(store, nil, testLog()), tokens.Verifier(), testLog()))
	for _, path := range []string{"/production", "/production/" + uuid.NewString()} {
		status, body := client(t, "GET", path, tokens.Employee(t), "")
		authztest.WantInternalError(t, status, body)
	}
}
