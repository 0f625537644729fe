package auth

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/comanda/comanda/services/platform/web"
)

// RateLimitConfig throttles guessing at POST /auth/token and
// /auth/customers without slowing honest traffic: only failures count
// (employee logins refused, CPFs that turn out not to be registered or to
// be taken), so a totem or a load test minting thousands of anonymous or
// CPF tokens from one address is never throttled. A limit of 0 is off.
type RateLimitConfig struct {
	Window time.Duration `env:"AUTH_RATE_LIMIT_WINDOW, default=1m"`
	// FailedLoginsPerEmail bounds password guesses against one account,
	// whatever address they come from.
	FailedLoginsPerEmail int `env:"AUTH_RATE_LIMIT_FAILED_LOGINS_PER_EMAIL, default=5"`
	// FailedLoginsPerIP bounds guesses from one address across accounts.
	FailedLoginsPerIP int `env:"AUTH_RATE_LIMIT_FAILED_LOGINS_PER_IP, default=30"`
	// CPFProbesPerIP bounds, per address, CPF lookups that find no
	// customer and registrations of a CPF already registered: the answers
	// that tell whether a CPF is a customer's.
	CPFProbesPerIP int `env:"AUTH_RATE_LIMIT_CPF_PROBES_PER_IP, default=100"`
	// TrustedProxyHops is how many proxies of ours append to
	// X-Forwarded-For in front of the service (see web.ClientIP).
	TrustedProxyHops int `env:"TRUSTED_PROXY_HOPS, default=1"`
}

func (c RateLimitConfig) validate() error {
	switch {
	case c.FailedLoginsPerEmail < 0 || c.FailedLoginsPerIP < 0 || c.CPFProbesPerIP < 0:
		return errors.New("AUTH_RATE_LIMIT_* limits must not be negative")
	case c.Window <= 0 && (c.FailedLoginsPerEmail > 0 || c.FailedLoginsPerIP > 0 || c.CPFProbesPerIP > 0):
		return errors.New("AUTH_RATE_LIMIT_WINDOW must be positive")
	case c.TrustedProxyHops < 0:
		return errors.New("TRUSTED_PROXY_HOPS must not be negative")
	}
	return nil
}

// throttle applies RateLimitConfig: callers ask before the attempt and
// report the failures.
type throttle struct {
	emails, loginIPs, cpfIPs *limiter
	hops                     int
}

func newThrottle(c RateLimitConfig) *throttle {
	return &throttle{
		emails:   newLimiter(c.FailedLoginsPerEmail, c.Window),
		loginIPs: newLimiter(c.FailedLoginsPerIP, c.Window),
		cpfIPs:   newLimiter(c.CPFProbesPerIP, c.Window),
		hops:     c.TrustedProxyHops,
	}
}

func (t *throttle) clientIP(r *http.Request) string { return web.ClientIP(r, t.hops) }

// beforeLogin refuses an employee login for email from ip past a limit.
func (t *throttle) beforeLogin(email, ip string) error {
	return firstLimit(limitKey{t.emails, normalEmail(email)}, limitKey{t.loginIPs, ip})
}

// loginDone records the outcome of a login that was checked.
func (t *throttle) loginDone(email, ip string, err error) {
	switch {
	case err == nil:
		t.emails.forget(normalEmail(email))
	case errors.Is(err, ErrInvalidCredentials):
		t.emails.add(normalEmail(email))
		t.loginIPs.add(ip)
	}
}

// beforeCPF refuses a CPF lookup or registration from ip past its limit.
func (t *throttle) beforeCPF(ip string) error { return firstLimit(limitKey{t.cpfIPs, ip}) }

// cpfDone counts the answers that told whether a CPF is registered.
func (t *throttle) cpfDone(ip string, err error) {
	if errors.Is(err, ErrCustomerNotFound) || errors.Is(err, ErrCustomerExists) {
		t.cpfIPs.add(ip)
	}
}

// limitKey is one key of one limiter.
type limitKey struct {
	limiter *limiter
	key     string
}

// firstLimit returns the first refusal among checks, or nil.
func firstLimit(checks ...limitKey) error {
	for _, c := range checks {
		if wait, ok := c.limiter.allow(c.key); !ok {
			return &RateLimitedError{RetryAfter: wait}
		}
	}
	return nil
}

// RateLimitedError is an attempt refused for having come too often.
type RateLimitedError struct{ RetryAfter time.Duration }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("too many failed attempts; retry in %d s", e.seconds())
}

// seconds is RetryAfter in whole seconds, rounded up, at least 1.
func (e *RateLimitedError) seconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

// writeRetryAfter sets Retry-After when err is a RateLimitedError.
func writeRetryAfter(w http.ResponseWriter, err error) {
	var limited *RateLimitedError
	if errors.As(err, &limited) {
		w.Header().Set("Retry-After", fmt.Sprint(limited.seconds()))
	}
}
