package auth

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/config"
)

func wrongLogin(email string) string {
	return `{"email":"` + email + `","password":"not-the-password"}`
}

// wantThrottled checks a 429 rate_limited with a Retry-After of at least
// one second and at most the window.
func wantThrottled(t *testing.T, r response, window time.Duration) {
	t.Helper()
	r.wantError(t, http.StatusTooManyRequests, "rate_limited")
	secs, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > 2*window {
		t.Fatalf("Retry-After = %q; want whole seconds within the window", r.header.Get("Retry-After"))
	}
}

// Password guesses against one email are cut off after five, whichever
// address they come from and whether the email exists; the right password
// is refused too until the window slides, so guessing gains nothing.
func TestFailedLoginsAreLimitedPerEmail(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, email := range []string{testEmployeeEmail, "nobody-" + uuid.NewString() + "@comanda.local"} {
		for i := range 5 {
			from := map[string]string{"X-Forwarded-For": "198.51.100." + strconv.Itoa(i)}
			e.doWith("POST", "/auth/token", wrongLogin(email), from).wantError(t, http.StatusUnauthorized, "invalid_credentials")
		}
		wantThrottled(t, e.post("/auth/token", wrongLogin(email)), time.Minute)
	}
	right := `{"email":"` + testEmployeeEmail + `","password":"` + testEmployeePassword + `"}`
	wantThrottled(t, e.post("/auth/token", right), time.Minute)
	// Another account is not affected.
	e.post("/auth/token", wrongLogin("someone-else@comanda.local")).wantError(t, http.StatusUnauthorized, "invalid_credentials")
}

// A success clears the email's failures: a typo or two a day never adds up.
func TestASuccessfulLoginClearsTheEmailsFailures(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	right := `{"email":"` + testEmployeeEmail + `","password":"` + testEmployeePassword + `"}`
	for range 3 {
		for range 4 {
			e.post("/auth/token", wrongLogin(testEmployeeEmail)).wantError(t, http.StatusUnauthorized, "invalid_credentials")
		}
		e.login(right)
	}
}

// From one address, guesses spread over many emails are cut off too; the
// address is the rightmost X-Forwarded-For entry, the one our proxy added.
func TestFailedLoginsAreLimitedPerClientIP(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, map[string]string{"AUTH_RATE_LIMIT_FAILED_LOGINS_PER_IP": "3"})
	attacker := map[string]string{"X-Forwarded-For": "10.9.9.9, 203.0.113.7"}
	for range 3 {
		e.doWith("POST", "/auth/token", wrongLogin(uuid.NewString()+"@x.io"), attacker).wantError(t, http.StatusUnauthorized, "invalid_credentials")
	}
	wantThrottled(t, e.doWith("POST", "/auth/token", wrongLogin(uuid.NewString()+"@x.io"), attacker), time.Minute)
	// What the client wrote left of our proxy's entry does not dodge it...
	spoofed := map[string]string{"X-Forwarded-For": "10.1.1.1, 203.0.113.7"}
	wantThrottled(t, e.doWith("POST", "/auth/token", wrongLogin(uuid.NewString()+"@x.io"), spoofed), time.Minute)
	// ...and another client is not affected.
	other := map[string]string{"X-Forwarded-For": "203.0.113.8"}
	e.doWith("POST", "/auth/token", wrongLogin(uuid.NewString()+"@x.io"), other).wantError(t, http.StatusUnauthorized, "invalid_credentials")
}

// CPF lookups that find nobody, and registrations of a taken CPF, are
// limited per address; lookups that find the customer are not counted,
// and anonymous tokens are never limited.
func TestCPFProbesAreLimitedPerClientIP(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, map[string]string{"AUTH_RATE_LIMIT_CPF_PROBES_PER_IP": "2"})
	c := e.register(randomCPF(), "Ana")
	for range 20 {
		e.login(`{"tax_id":"` + c.TaxID + `"}`)
		e.login(`{}`)
	}
	e.post("/auth/token", `{"tax_id":"`+randomCPF()+`"}`).wantError(t, http.StatusNotFound, "customer_not_found")
	taken := `{"tax_id":"` + c.TaxID + `","name":"Ana","email":"ana@example.com"}`
	e.post("/auth/customers", taken).wantError(t, http.StatusConflict, "customer_exists")
	wantThrottled(t, e.post("/auth/token", `{"tax_id":"`+randomCPF()+`"}`), time.Minute)
	wantThrottled(t, e.post("/auth/token", `{"tax_id":"`+c.TaxID+`"}`), time.Minute)
	wantThrottled(t, e.post("/auth/customers", `{"tax_id":"`+randomCPF()+`","name":"Bia","email":"bia@example.com"}`), time.Minute)
	e.login(`{}`)
}

// Hundreds of tokens from one address, as a load test or a busy totem asks
// for, are not throttled with the default limits: only failures count.
func TestDefaultLimitsLetHonestTrafficThrough(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	c := e.register(randomCPF(), "Ana")
	for range 150 {
		e.login(`{}`)
		e.login(`{"tax_id":"` + c.TaxID + `"}`)
	}
	e.login(`{"email":"` + testEmployeeEmail + `","password":"` + testEmployeePassword + `"}`)
}

func TestLoginFieldBounds(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	longEmail := strings.Repeat("a", MaxEmailLength) + "@comanda.local"
	e.post("/auth/token", wrongLogin(longEmail)).wantError(t, http.StatusBadRequest, "invalid_request")
	// bcrypt reads 72 bytes; anything longer cannot be the password, even
	// when it starts with it.
	tooLong := `{"email":"` + testEmployeeEmail + `","password":"` + testEmployeePassword + strings.Repeat("x", 73) + `"}`
	e.post("/auth/token", tooLong).wantError(t, http.StatusBadRequest, "invalid_request")
}

func TestRateLimitDefaults(t *testing.T) {
	t.Parallel()
	var c RateLimitConfig
	if err := config.LoadFrom(context.Background(), map[string]string{}, &c); err != nil {
		t.Fatal(err)
	}
	want := RateLimitConfig{Window: time.Minute, FailedLoginsPerEmail: 5, FailedLoginsPerIP: 30, CPFProbesPerIP: 100, TrustedProxyHops: 1}
	if c != want {
		t.Fatalf("defaults %+v; want %+v (and the README must say so)", c, want)
	}
	for _, bad := range []RateLimitConfig{{FailedLoginsPerEmail: -1}, {Window: 0, CPFProbesPerIP: 1}, {TrustedProxyHops: -1}} {
		if bad.validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
