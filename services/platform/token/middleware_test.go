package token_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
	"github.com/comanda/comanda/services/platform/web"
)

// staffRouter serves GET /staff to employees only and GET /me to any role,
// both answering with the subject the handler finds in the context.
func staffRouter(v *token.Verifier) http.Handler {
	log := logging.Discard()
	r := web.NewRouter(log)
	whoami := func(w http.ResponseWriter, r *http.Request) {
		c, ok := token.FromContext(r.Context())
		if !ok {
			web.Respond(w, http.StatusOK, map[string]string{"sub": "<no claims>"})
			return
		}
		web.Respond(w, http.StatusOK, map[string]string{"sub": c.Subject, "role": c.Role})
	}
	r.With(token.Require(v, log, token.RoleEmployee)).Get("/staff", whoami)
	r.With(token.Require(v, log)).Get("/me", whoami)
	return r
}

func get(t *testing.T, router http.Handler, path, authorization string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	return rec
}

func TestRequireRejects(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	router := staffRouter(iss.Verifier())
	expired := validClaims(iss)
	expired.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
	cases := []struct {
		name, auth string
		status     int
		code       string
	}{
		{"no header", "", http.StatusUnauthorized, "unauthorized"},
		{"not bearer", "Basic dXNlcjpwYXNz", http.StatusUnauthorized, "unauthorized"},
		{"empty bearer", "Bearer ", http.StatusUnauthorized, "unauthorized"},
		{"bad token", "Bearer not.a.token", http.StatusUnauthorized, "unauthorized"},
		{"expired token", "Bearer " + iss.Sign(t, expired), http.StatusUnauthorized, "unauthorized"},
		{"wrong role", "Bearer " + iss.Sign(t, validClaims(iss)), http.StatusForbidden, "forbidden"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec := get(t, router, "/staff", c.auth)
			if rec.Code != c.status || !strings.Contains(rec.Body.String(), `"code":"`+c.code+`"`) {
				t.Fatalf("GET /staff = %d %s; want %d %s", rec.Code, rec.Body, c.status, c.code)
			}
			if strings.Contains(rec.Body.String(), `"sub"`) {
				t.Errorf("the handler ran for a rejected request: %s", rec.Body)
			}
		})
	}
}

func TestRequireAdmitsTheRightRole(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	router := staffRouter(iss.Verifier())
	employee := validClaims(iss)
	employee.Role = token.RoleEmployee
	rec := get(t, router, "/staff", "Bearer "+iss.Sign(t, employee))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"sub":"`+employee.Subject+`"`) {
		t.Fatalf("GET /staff as employee = %d %s; want 200 with the subject from the context", rec.Code, rec.Body)
	}
	// The scheme is case-insensitive, and no roles means any role.
	rec = get(t, router, "/me", "bearer "+iss.Sign(t, validClaims(iss)))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"role":"customer"`) {
		t.Fatalf("GET /me as customer = %d %s; want 200", rec.Code, rec.Body)
	}
}

func TestFromContextWithoutClaims(t *testing.T) {
	t.Parallel()
	if c, ok := token.FromContext(httptest.NewRequest(http.MethodGet, "/", nil).Context()); ok {
		t.Fatalf("FromContext on a bare context = %+v, true; want false", c)
	}
}
