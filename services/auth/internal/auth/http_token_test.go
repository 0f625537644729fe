package auth

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// login posts body to /auth/token and returns the 200 answer.
func (e *testEnv) login(body string) tokenResponse {
	e.t.Helper()
	return e.loginFrom(body, "")
}

// loginFrom is login from the client at ip ("" for the test's default peer).
func (e *testEnv) loginFrom(body, ip string) tokenResponse {
	e.t.Helper()
	var headers map[string]string
	if ip != "" {
		headers = map[string]string{web.ClientIPHeader: ip}
	}
	r := e.doWith(http.MethodPost, "/auth/token", body, headers)
	r.wantStatus(e.t, http.StatusOK)
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		e.t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	var tr tokenResponse
	r.decode(e.t, &tr)
	if tr.TokenType != "Bearer" || tr.AccessToken == "" {
		e.t.Fatalf("token response = %+v", tr)
	}
	return tr
}

// claims verifies raw with the published key and returns its claims.
func (e *testEnv) claims(raw string) token.Claims {
	e.t.Helper()
	c, err := e.verifier().Verify(raw)
	if err != nil {
		e.t.Fatalf("verify %s: %v", raw, err)
	}
	return c
}

func tokenHeader(t *testing.T, raw string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(raw, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestCustomerToken(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	c := e.register("52998224725", "Ana Souza")
	tr := e.login(`{"tax_id":"529.982.247-25"}`)
	if tr.ExpiresIn != 3600 || tr.Customer == nil || *tr.Customer != (customerRef{ID: c.ID, Name: "Ana Souza"}) {
		t.Fatalf("token response = %+v, customer %+v", tr, tr.Customer)
	}
	claims := e.claims(tr.AccessToken)
	if claims.Subject != c.ID || claims.Role != token.RoleCustomer || claims.Name != "Ana Souza" ||
		claims.Issuer != "comanda" || len(claims.Audience) != 1 || claims.Audience[0] != "comanda-api" {
		t.Fatalf("claims = %+v", claims)
	}
	if ttl := claims.ExpiresAt.Sub(claims.IssuedAt.Time); ttl != time.Hour {
		t.Fatalf("exp - iat = %v, want 1h", ttl)
	}
	h := tokenHeader(t, tr.AccessToken)
	if h["alg"] != "RS256" || h["typ"] != "JWT" || h["kid"] != e.secret.KeyID {
		t.Fatalf("header = %v", h)
	}
}

func TestCustomerTokenErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.post("/auth/token", `{"tax_id":"`+randomCPF()+`"}`).wantError(t, http.StatusNotFound, "customer_not_found")
	e.post("/auth/token", `{"tax_id":"52998224726"}`).wantError(t, http.StatusBadRequest, "invalid_tax_id")
	e.post("/auth/token", `{"tax_id":""}`).wantError(t, http.StatusBadRequest, "invalid_request")
}

func TestAnonymousTokens(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	first, second := e.login(`{}`), e.login(`{}`)
	a, b := e.claims(first.AccessToken), e.claims(second.AccessToken)
	if a.Subject == b.Subject || uuid.Validate(a.Subject) != nil || uuid.Validate(b.Subject) != nil {
		t.Fatalf("anonymous subs %q and %q must be distinct UUIDs", a.Subject, b.Subject)
	}
	if a.Role != token.RoleCustomer || a.Name != AnonymousName {
		t.Fatalf("claims = %+v", a)
	}
	if first.Customer == nil || first.Customer.ID != a.Subject || first.Customer.Name != AnonymousName {
		t.Fatalf("customer = %+v, want the token's subject", first.Customer)
	}
}

func TestEmployeeToken(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tr := e.login(`{"email":"staff@comanda.local","password":"sandbox-staff-password"}`)
	if tr.Customer != nil || tr.ExpiresIn != 8*3600 {
		t.Fatalf("token response = %+v", tr)
	}
	claims := e.claims(tr.AccessToken)
	if claims.Role != token.RoleEmployee || claims.Subject != EmployeeID(testEmployeeEmail) || claims.Name != "Staff" {
		t.Fatalf("claims = %+v", claims)
	}
	if ttl := claims.ExpiresAt.Sub(claims.IssuedAt.Time); ttl != 8*time.Hour {
		t.Fatalf("exp - iat = %v, want 8h", ttl)
	}
	// The raw body must not carry a customer key at all.
	raw := e.post("/auth/token", `{"email":"staff@comanda.local","password":"sandbox-staff-password"}`)
	if strings.Contains(string(raw.body), `"customer"`) {
		t.Fatalf("employee token response has a customer: %s", raw.body)
	}
}

func TestEmployeeTokenRejectsBadCredentials(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, body := range []string{
		`{"email":"staff@comanda.local","password":"wrong"}`,
		`{"email":"nobody@comanda.local","password":"sandbox-staff-password"}`,
	} {
		e.post("/auth/token", body).wantError(t, http.StatusUnauthorized, "invalid_credentials")
	}
}

func TestTokenRequestShapes(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, body := range []string{
		`{"tax_id":"52998224725","email":"a@b.co","password":"x"}`,
		`{"tax_id":"52998224725","password":"x"}`,
		`{"email":"staff@comanda.local"}`,
		`{"password":"sandbox-staff-password"}`,
		`{"email":"","password":"x"}`,
		`{"email":"staff@comanda.local","password":""}`,
		`{"role":"employee"}`,
		`{"tax_id":52998224725}`,
		`[]`,
		``,
	} {
		t.Run(body, func(t *testing.T) {
			e.post("/auth/token", body).wantError(t, http.StatusBadRequest, "invalid_request")
		})
	}
}
