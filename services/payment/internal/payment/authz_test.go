package payment

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token/authztest"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// The payment service enforces who may see what itself: a payment is its
// owner's and the staff's, and does not exist for anyone else; the webhook
// takes no token, only Mercado Pago's signature.
func TestAuthorizationTable(t *testing.T) {
	t.Parallel()
	router, tokens, p := storedPaymentRouter(t)
	unknown := uuid.NewString()
	routes := []authztest.Route{
		{Method: "GET", Path: "/payment/" + p.ID, Want: authztest.OwnerOrEmployee(200)},
		{Method: "GET", Path: "/payment/" + unknown, Want: authztest.OwnerOrEmployee(404)},
		{Method: "GET", Path: "/payment?order_id=" + p.OrderID, Want: authztest.OwnerOrEmployee(200)},
		{Method: "GET", Path: "/payment?order_id=" + unknown, Want: authztest.OwnerOrEmployee(404)},
		{Method: "GET", Path: "/payment", Want: authztest.AnyRole(400)},
		{Method: "POST", Path: "/payment/webhook?data.id=1&type=payment", Body: `{"data":{"id":"1"}}`,
			Want: authztest.Public(401), Code: "invalid_signature"},
	}
	authztest.Check(t, authztest.Handler(router), authztest.FromIssuer(t, tokens, p.CustomerID), routes)
}

// storedPaymentRouter is the payment routes over a table that holds one
// payment, of a fresh customer, and the issuer of the tokens they trust.
func storedPaymentRouter(t *testing.T) (http.Handler, *tokentest.Issuer, Payment) {
	t.Helper()
	env := newAWSEnv(t)
	tokens := tokentest.New(t)
	p := newStoredPayment(uuid.NewString())
	if err := env.store().Create(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	api := &httpAPI{store: env.store(), webhookSecret: testWebhookSecret, log: logging.Discard()}
	return newRouter(api, tokens.Verifier()), tokens, p
}

// A fault of ours (here the table is missing) is a 500 that says nothing
// of its cause.
func TestInternalErrorsRevealNothing(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	tokens := tokentest.New(t)
	api := &httpAPI{store: newStore(env.clients.DynamoDB, "no-such-table-"+uuid.NewString()), webhookSecret: testWebhookSecret, log: logging.Discard()}
	client := authztest.Handler(newRouter(api, tokens.Verifier()))
	for _, path := range []string{"/payment/" + uuid.NewString(), "/payment?order_id=" + uuid.NewString()} {
		status, body := client(t, "GET", path, tokens.Employee(t), "")
		authztest.WantInternalError(t, status, body)
	}
}
