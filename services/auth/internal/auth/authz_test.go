package auth

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/authztest"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// The auth service's routes are public: a token, good or forged, changes
// nothing about the answer.
func TestAuthorizationTable(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	c := e.register(randomCPF(), "Ana")
	iss := tokentest.New(t)
	routes := []authztest.Route{
		{Method: "POST", Path: "/auth/token", Body: `{}`, Want: authztest.Public(200)},
		{Method: "POST", Path: "/auth/token", Body: `{"tax_id":"` + c.TaxID + `"}`, Want: authztest.Public(200)},
		{Method: "POST", Path: "/auth/customers", Body: `{"tax_id":"` + c.TaxID + `","name":"Ana","email":"ana@example.com"}`,
			Want: authztest.Public(409), Code: "customer_exists"},
		{Method: "GET", Path: "/auth/.well-known/jwks.json", Want: authztest.Public(200)},
	}
	authztest.Check(t, authztest.Handler(e.handler), authztest.FromIssuer(t, iss, uuid.NewString()), routes)
}

// A token KMS really signed, whose holder promoted themself to employee in
// the payload, is refused by the verifier every service builds from the
// project secret.
func TestKMSSignedTokenWithATamperedRoleIsRefused(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	genuine := e.login(`{}`).AccessToken
	v, err := token.VerifierFromSecret(t.Context(), e.clients.SecretsManager, e.cfg.Token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(genuine); err != nil {
		t.Fatalf("the genuine token was refused: %v", err)
	}
	for claim, value := range map[string]any{"role": token.RoleEmployee, "sub": uuid.NewString(), "exp": 4102444800} {
		forged := tokentest.Tamper(t, genuine, claim, value)
		if c, err := v.Verify(forged); !errors.Is(err, token.ErrInvalid) {
			t.Errorf("%s tampered: Verify = %+v, %v; want ErrInvalid", claim, c, err)
		}
	}
}
