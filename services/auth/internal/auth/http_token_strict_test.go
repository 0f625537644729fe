package auth

import (
	"net/http"
	"testing"
)

// TestTokenRefusesHostileText: POST /auth/token decodes as strictly as every
// route, and its text follows the one rule, so no key spelling or duplicate
// picks a login other than the one the body reads as.
func TestTokenRefusesHostileText(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tests := []struct {
		name, body, field string
	}{
		{"duplicate tax_id", `{"tax_id":"a","tax_id":"b"}`, `"tax_id"`},
		{"upper-case tax_id", `{"TAX_ID":"52998224725"}`, `"tax_id"`},
		{"mixed-case tax_id", `{"Tax_Id":"52998224725"}`, `"tax_id"`},
		{"upper-case password", `{"email":"staff@comanda.local","PASSWORD":"x"}`, `"password"`},
		{"duplicate password", `{"email":"staff@comanda.local","password":"x","password":"sandbox-staff-password"}`, `"password"`},
		{"NUL in tax_id", `{"tax_id":"52998224725\u0000"}`, "tax_id"},
		{"NUL in password", `{"email":"staff@comanda.local","password":"sandbox\u0000"}`, "password"},
		{"newline in password", `{"email":"staff@comanda.local","password":"sandbox\n"}`, "password"},
		{"override in email", `{"email":"staff\u202E@comanda.local","password":"x"}`, "email"},
		{"C1 control in email", `{"email":"staff\u0080@comanda.local","password":"x"}`, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFieldError(t, e.post("/auth/token", tt.body), tt.field)
		})
	}
}

// TestTokenNullIsAbsent: a null field is no field, as before strict
// decoding, so {"tax_id":null} still asks for an anonymous token.
func TestTokenNullIsAbsent(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	r := e.post("/auth/token", `{"tax_id":null}`)
	r.wantStatus(t, http.StatusOK)
	var tr tokenResponse
	r.decode(t, &tr)
	if claims := e.claims(tr.AccessToken); claims.Name != AnonymousName {
		t.Fatalf("claims = %+v; want an anonymous token", claims)
	}
}
