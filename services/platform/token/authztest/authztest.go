// Package authztest checks a service's authorization as a table: every route
// against every kind of caller (no token, an anonymous customer, the owner of
// what the route touches, another customer, an employee, forgers), sent
// through the service's own router or to its own URL, so that each service
// proves it checks tokens itself and does not lean on the gateway. It is for
// tests only.
package authztest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// Caller is one column of the table.
type Caller string

// The callers. Forged and Tampered are both held to Want.Forged.
const (
	NoToken   Caller = "no token"
	Anonymous Caller = "anonymous customer"
	Owner     Caller = "owner"
	Other     Caller = "another customer"
	Employee  Caller = "employee"
	Forged    Caller = "forged: another key under our kid"
	Tampered  Caller = "tampered: customer promoted to employee"
)

// Callers maps each caller but NoToken to its bearer token.
type Callers map[Caller]string

// FromIssuer makes every caller's token with iss; the owner is ownerID.
// The forgeries both claim the employee role.
func FromIssuer(t testing.TB, iss *tokentest.Issuer, ownerID string) Callers {
	t.Helper()
	forged := iss.Impostor(t).Sign(t, iss.Claims(token.RoleEmployee, uuid.NewString(), "Forger"))
	return Callers{
		Anonymous: iss.Customer(t, uuid.NewString(), "Cliente anônimo"),
		Owner:     iss.Customer(t, ownerID, "Owner"),
		Other:     iss.Customer(t, uuid.NewString(), "Other"),
		Employee:  iss.Employee(t),
		Forged:    forged,
		Tampered:  tokentest.Tamper(t, iss.Customer(t, uuid.NewString(), "Tamperer"), "role", token.RoleEmployee),
	}
}

// Want is the status each caller must get from one route.
type Want struct {
	NoToken, Anonymous, Owner, Other, Employee, Forged int
}

// Public routes answer everyone alike, whatever token comes along.
func Public(status int) Want { return Want{status, status, status, status, status, status} }

// EmployeeOnly routes refuse customers with 403.
func EmployeeOnly(status int) Want { return Want{401, 403, 403, 403, status, 401} }

// OwnerOrEmployee routes hide what is not the caller's behind a 404.
func OwnerOrEmployee(status int) Want { return Want{401, 404, status, 404, status, 401} }

// CustomersOnly routes serve any customer and refuse employees with 403.
func CustomersOnly(status int) Want { return Want{401, status, status, status, 403, 401} }

// AnyRole routes serve every valid token.
func AnyRole(status int) Want { return Want{401, status, status, status, status, 401} }

func (w Want) of(c Caller) int {
	switch c {
	case NoToken:
		return w.NoToken
	case Anonymous:
		return w.Anonymous
	case Owner:
		return w.Owner
	case Other:
		return w.Other
	case Employee:
		return w.Employee
	default:
		return w.Forged
	}
}

// Route is one row: a request and what each caller gets.
type Route struct {
	Method, Path, Body string
	Want               Want
	// Code, when set, is the error code of every refusal (e.g.
	// invalid_signature); otherwise a 401 must be unauthorized, a 403
	// forbidden and a 404 <thing>_not_found.
	Code string
}

// Client sends one request, with the bearer token unless it is empty, and
// returns the status and body.
type Client func(t *testing.T, method, path, bearer, body string) (int, []byte)

// Handler sends requests straight to h.
func Handler(h http.Handler) Client {
	return func(t *testing.T, method, path, bearer, body string) (int, []byte) {
		t.Helper()
		req := httptest.NewRequestWithContext(t.Context(), method, path, strings.NewReader(body))
		setHeaders(req, bearer, body)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.Bytes()
	}
}

// BaseURL sends requests over HTTP to the server at base.
func BaseURL(base string) Client {
	return func(t *testing.T, method, path, bearer, body string) (int, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		setHeaders(req, bearer, body)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, b
	}
}

func setHeaders(req *http.Request, bearer, body string) {
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
}

// Check sends every route as every caller, side by side, and checks each
// status and, for refusals, the one error shape with the expected code.
func Check(t *testing.T, c Client, callers Callers, routes []Route) {
	t.Helper()
	all := []Caller{NoToken, Anonymous, Owner, Other, Employee, Forged, Tampered}
	for _, route := range routes {
		t.Run(route.Method+" "+route.Path, func(t *testing.T) {
			t.Parallel()
			for _, caller := range all {
				t.Run(string(caller), func(t *testing.T) {
					t.Parallel()
					bearer, ok := callers[caller]
					if caller != NoToken && (!ok || bearer == "") {
						t.Fatalf("no token for %s", caller)
					}
					want := route.Want.of(caller)
					status, body := c(t, route.Method, route.Path, bearer, route.Body)
					if status != want {
						t.Fatalf("%s %s as %s = %d %s; want %d", route.Method, route.Path, caller, status, body, want)
					}
					if status >= 400 {
						WantError(t, status, body, codeFor(route, status))
					}
				})
			}
		})
	}
}

// codeFor is the code a refusal with status must carry, "" when any will do.
func codeFor(r Route, status int) string {
	switch {
	case r.Code != "":
		return r.Code
	case status == http.StatusUnauthorized:
		return "unauthorized"
	case status == http.StatusForbidden:
		return "forbidden"
	case status == http.StatusNotFound:
		return "_not_found"
	}
	return ""
}

// WantError checks that body is exactly {"error":{"code","message"}} with a
// message, and a code equal to code (ending with it, when code starts with
// "_"; any, when code is empty).
func WantError(t testing.TB, status int, body []byte, code string) {
	t.Helper()
	var shape map[string]map[string]string
	if err := json.Unmarshal(body, &shape); err != nil || len(shape) != 1 || len(shape["error"]) != 2 || shape["error"]["message"] == "" {
		t.Fatalf("%d body %s is not {\"error\":{\"code\",\"message\"}}", status, body)
	}
	got := shape["error"]["code"]
	if ok := code == "" || got == code || (strings.HasPrefix(code, "_") && strings.HasSuffix(got, code)); !ok {
		t.Fatalf("%d error code %q; want %q", status, got, code)
	}
}

// InternalErrorBody is the whole body of every 500: nothing of the cause.
const InternalErrorBody = `{"error":{"code":"internal","message":"internal error"}}`

// WantInternalError checks an answer is 500 with InternalErrorBody exactly.
func WantInternalError(t testing.TB, status int, body []byte) {
	t.Helper()
	if status != http.StatusInternalServerError || strings.TrimSpace(string(body)) != InternalErrorBody {
		t.Fatalf("got %d %s; want 500 %s", status, body, InternalErrorBody)
	}
}
