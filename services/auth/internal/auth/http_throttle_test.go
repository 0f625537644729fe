package auth

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/web"
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

// from is a request from the client at ip, as the edge reports it.
func from(ip string) map[string]string { return map[string]string{web.ClientIPHeader: ip} }

// Password guesses at one email from one address are cut off after five,
// whether the email exists or not; the employee who gives the right
// password from another address is let in all the same.
func TestFailedLoginsAreLimitedPerEmailFromOneAddress(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	right := `{"email":"` + testEmployeeEmail + `","password":"` + testEmployeePassword + `"}`
	for _, email := range []string{testEmployeeEmail, "nobody-" + uuid.NewString() + "@comanda.local"} {
		for range 5 {
			e.doWith("POST", "/auth/token", wrongLogin(email), from("198.51.100.1")).wantError(t, http.StatusUnauthorized, "invalid_credentials")
		}
		wantThrottled(t, e.doWith("POST", "/auth/token", wrongLogin(email), from("198.51.100.1")), time.Minute)
		// Another address has its own five tries.
		e.doWith("POST", "/auth/token", wrongLogin(email), from("198.51.100.2")).wantError(t, http.StatusUnauthorized, "invalid_credentials")
	}
	wantThrottled(t, e.doWith("POST", "/auth/token", right, from("198.51.100.1")), time.Minute)
	e.loginFrom(right, "203.0.113.50")
}

// The limit is taken before the password is checked: sixty guesses at
// once from one address get five checks, the rest 429, and the employee
// elsewhere still gets in.
func TestParallelGuessesGetNoMoreChecksThanTheLimit(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	var checked, throttled atomic.Int32
	var wg sync.WaitGroup
	for range 60 {
		wg.Go(func() {
			r := e.doWith("POST", "/auth/token", wrongLogin(testEmployeeEmail), from("198.51.100.9"))
			switch r.status {
			case http.StatusUnauthorized:
				checked.Add(1)
			case http.StatusTooManyRequests:
				throttled.Add(1)
			default:
				t.Errorf("status %d: %s", r.status, r.body)
			}
		})
	}
	wg.Wait()
	if n := checked.Load(); n < 1 || n > 5 {
		t.Fatalf("%d guesses were checked against the password; want 1 to 5", n)
	}
	if checked.Load()+throttled.Load() != 60 {
		t.Fatalf("%d checked + %d throttled; want 60 answers", checked.Load(), throttled.Load())
	}
	e.loginFrom(`{"email":"`+testEmployeeEmail+`","password":"`+testEmployeePassword+`"}`, "203.0.113.51")
}

// A success gives its reservation back: a typo or two never adds up.
func TestASuccessfulLoginIsNotCounted(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	right := `{"email":"` + testEmployeeEmail + `","password":"` + testEmployeePassword + `"}`
	for range 4 {
		e.doWith("POST", "/auth/token", wrongLogin(testEmployeeEmail), from("198.51.100.3")).wantError(t, http.StatusUnauthorized, "invalid_credentials")
	}
	for range 10 {
		e.loginFrom(right, "198.51.100.3")
	}
	e.doWith("POST", "/auth/token", wrongLogin(testEmployeeEmail), from("198.51.100.3")).wantError(t, http.StatusUnauthorized, "invalid_credentials")
	wantThrottled(t, e.doWith("POST", "/auth/token", wrongLogin(testEmployeeEmail), from("198.51.100.3")), time.Minute)
}

// From one address, guesses spread over many emails are cut off too; the
// address is the edge's, whatever the client writes in other headers.
func TestFailedLoginsAreLimitedPerClientIP(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, map[string]string{"AUTH_RATE_LIMIT_FAILED_LOGINS_PER_IP": "3"})
	for range 3 {
		e.doWith("POST", "/auth/token", wrongLogin(uuid.NewString()+"@x.io"), from("203.0.113.7")).wantError(t, http.StatusUnauthorized, "invalid_credentials")
	}
	wantThrottled(t, e.doWith("POST", "/auth/token", wrongLogin(uuid.NewString()+"@x.io"), from("203.0.113.7")), time.Minute)
	spoofed := map[string]string{
		web.ClientIPHeader: "203.0.113.7", "X-Forwarded-For": "10.1.1.1", "X-Real-Ip": "10.1.1.2", "Forwarded": "for=10.1.1.3",
	}
	wantThrottled(t, e.doWith("POST", "/auth/token", wrongLogin(uuid.NewString()+"@x.io"), spoofed), time.Minute)
	e.doWith("POST", "/auth/token", wrongLogin(uuid.NewString()+"@x.io"), from("203.0.113.8")).wantError(t, http.StatusUnauthorized, "invalid_credentials")
}

// Past the password checks under way, a login is refused at once.
func TestPasswordChecksAreBounded(t *testing.T) {
	t.Parallel()
	th := newThrottle(RateLimitConfig{Window: time.Minute, FailedLoginsPerEmail: 5, FailedLoginsPerIP: 30, PasswordChecks: 2})
	first, err := th.startLogin("a@x.io", "198.51.100.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := th.startLogin("b@x.io", "198.51.100.2"); err != nil {
		t.Fatal(err)
	}
	var limited *RateLimitedError
	if _, err := th.startLogin("c@x.io", "198.51.100.3"); !errors.As(err, &limited) {
		t.Fatalf("a third check at once: %v; want it refused", err)
	}
	// The refused login was not counted against its address or email.
	first.done(nil)
	for range 5 {
		a, err := th.startLogin("c@x.io", "198.51.100.3")
		if err != nil {
			t.Fatalf("a check after one ended: %v", err)
		}
		a.done(ErrInvalidCredentials)
	}
}

// CPF lookups that find nobody, and registrations of a taken CPF, are
// limited per address; lookups that find the customer are not counted.
func TestCPFProbesAreLimitedPerClientIP(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, map[string]string{"AUTH_RATE_LIMIT_CPF_PROBES_PER_IP": "2"})
	c := e.register(randomCPF(), "Ana")
	for range 20 {
		e.login(`{"tax_id":"` + c.TaxID + `"}`)
	}
	e.post("/auth/token", `{"tax_id":"`+randomCPF()+`"}`).wantError(t, http.StatusNotFound, "customer_not_found")
	taken := `{"tax_id":"` + c.TaxID + `","name":"Ana","email":"ana@example.com"}`
	e.post("/auth/customers", taken).wantError(t, http.StatusConflict, "customer_exists")
	wantThrottled(t, e.post("/auth/token", `{"tax_id":"`+randomCPF()+`"}`), time.Minute)
	wantThrottled(t, e.post("/auth/token", `{"tax_id":"`+c.TaxID+`"}`), time.Minute)
	wantThrottled(t, e.post("/auth/customers", `{"tax_id":"`+randomCPF()+`","name":"Bia","email":"bia@example.com"}`), time.Minute)
	e.doWith("POST", "/auth/token", `{"tax_id":"`+c.TaxID+`"}`, from("198.51.100.77")).wantStatus(t, http.StatusOK)
}

// CPF probes sent at once get no more answers than the limit.
func TestParallelCPFProbesGetNoMoreThanTheLimit(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, map[string]string{"AUTH_RATE_LIMIT_CPF_PROBES_PER_IP": "3"})
	var notFound atomic.Int32
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			r := e.doWith("POST", "/auth/token", `{"tax_id":"`+randomCPF()+`"}`, from("198.51.100.10"))
			switch r.status {
			case http.StatusNotFound:
				notFound.Add(1)
			case http.StatusTooManyRequests:
			default:
				t.Errorf("status %d: %s", r.status, r.body)
			}
		})
	}
	wg.Wait()
	if n := notFound.Load(); n != 3 {
		t.Fatalf("%d probes answered; want 3", n)
	}
}

// Anonymous tokens are limited per address, every one counted.
func TestAnonymousTokensAreLimitedPerClientIP(t *testing.T) {
	t.Parallel()
	e := newTestEnvWith(t, map[string]string{"AUTH_RATE_LIMIT_ANONYMOUS_TOKENS_PER_IP": "3"})
	for range 3 {
		e.doWith("POST", "/auth/token", `{}`, from("198.51.100.20")).wantStatus(t, http.StatusOK)
	}
	r := e.doWith("POST", "/auth/token", `{}`, from("198.51.100.20"))
	wantThrottled(t, r, time.Minute)
	e.doWith("POST", "/auth/token", `{}`, from("198.51.100.21")).wantStatus(t, http.StatusOK)
}

// A totem's honest traffic from one address passes the default limits:
// a token a second, and any number of CPF logins that find the customer.
func TestDefaultLimitsLetHonestTrafficThrough(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	c := e.register(randomCPF(), "Ana")
	for range 60 {
		e.login(`{}`)
	}
	for range 150 {
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
	want := RateLimitConfig{Window: time.Minute, FailedLoginsPerEmail: 5, FailedLoginsPerIP: 30, CPFProbesPerIP: 100, AnonymousTokensPerIP: 60, PasswordChecks: 2}
	if c != want {
		t.Fatalf("defaults %+v; want %+v (and docs/configuration.md must say so)", c, want)
	}
	for _, bad := range []RateLimitConfig{{FailedLoginsPerEmail: -1, PasswordChecks: 1}, {Window: 0, CPFProbesPerIP: 1, PasswordChecks: 1}, {AnonymousTokensPerIP: -1, PasswordChecks: 1}, {}} {
		if bad.validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
