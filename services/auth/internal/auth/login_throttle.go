package auth

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"
)

// RateLimitConfig throttles guessing at POST /auth/token and
// /auth/customers, and the minting of anonymous tokens, per client address
// (web.ClientIP). Logins and CPF look-ups count only their failures, so
// honest traffic is never throttled; anonymous tokens all count, since each
// costs a signature and opens a way to order. A limit of 0 is off.
type RateLimitConfig struct {
	Window time.Duration `env:"AUTH_RATE_LIMIT_WINDOW, default=1m"`
	// FailedLoginsPerEmail bounds password guesses at one account from one
	// address. It is per address on purpose: nobody's failures can lock an
	// employee out who gives the right password from elsewhere.
	FailedLoginsPerEmail int `env:"AUTH_RATE_LIMIT_FAILED_LOGINS_PER_EMAIL, default=5"`
	// FailedLoginsPerIP bounds guesses from one address across accounts.
	FailedLoginsPerIP int `env:"AUTH_RATE_LIMIT_FAILED_LOGINS_PER_IP, default=30"`
	// CPFProbesPerIP bounds, per address, CPF lookups that find no
	// customer and registrations of a CPF already registered: the answers
	// that tell whether a CPF is a customer's.
	CPFProbesPerIP int `env:"AUTH_RATE_LIMIT_CPF_PROBES_PER_IP, default=100"`
	// AnonymousTokensPerIP bounds the anonymous tokens one address gets.
	AnonymousTokensPerIP int `env:"AUTH_RATE_LIMIT_ANONYMOUS_TOKENS_PER_IP, default=60"`
	// PasswordChecks is how many password hashes are compared at once; a
	// login past it is refused at once rather than queued, so a flood of
	// guesses cannot take the CPU from everyone else.
	PasswordChecks int `env:"AUTH_PASSWORD_CHECKS_AT_ONCE, default=2"`
}

func (c RateLimitConfig) validate() error {
	limits := []int{c.FailedLoginsPerEmail, c.FailedLoginsPerIP, c.CPFProbesPerIP, c.AnonymousTokensPerIP}
	anyOn := false
	for _, l := range limits {
		if l < 0 {
			return errors.New("AUTH_RATE_LIMIT_* limits must not be negative")
		}
		anyOn = anyOn || l > 0
	}
	switch {
	case c.Window <= 0 && anyOn:
		return errors.New("AUTH_RATE_LIMIT_WINDOW must be positive")
	case c.PasswordChecks < 1:
		return errors.New("AUTH_PASSWORD_CHECKS_AT_ONCE must be at least 1")
	}
	return nil
}

// throttle applies RateLimitConfig. Every limit is checked and counted in
// one step before the work it guards, and given back when the outcome
// should not count.
type throttle struct {
	emails, loginIPs, cpfIPs, anonIPs *limiter
	hashing                           chan struct{} // one token per password check under way
}

func newThrottle(c RateLimitConfig) *throttle {
	return &throttle{
		emails:   newLimiter(c.FailedLoginsPerEmail, c.Window),
		loginIPs: newLimiter(c.FailedLoginsPerIP, c.Window),
		cpfIPs:   newLimiter(c.CPFProbesPerIP, c.Window),
		anonIPs:  newLimiter(c.AnonymousTokensPerIP, c.Window),
		hashing:  make(chan struct{}, c.PasswordChecks),
	}
}

// loginAttempt is an employee login that holds its place under the limits
// and a password-check slot until done.
type loginAttempt struct {
	t    *throttle
	held []limitKey
}

// startLogin reserves a failed login for email from ip, and a password
// check, or refuses the login.
func (t *throttle) startLogin(email, ip string) (*loginAttempt, error) {
	held, err := reserveAll("", limitKey{t.emails, normalEmail(email) + " " + ip}, limitKey{t.loginIPs, ip})
	if err != nil {
		return nil, err
	}
	select {
	case t.hashing <- struct{}{}:
		return &loginAttempt{t: t, held: held}, nil
	default:
		releaseAll(held)
		return nil, &RateLimitedError{RetryAfter: time.Second, Reason: "too many logins under way"}
	}
}

// done frees the password check and keeps the reservation only when the
// password was wrong.
func (a *loginAttempt) done(err error) {
	<-a.t.hashing
	if !errors.Is(err, ErrInvalidCredentials) {
		releaseAll(a.held)
	}
}

// startCPF reserves a CPF probe from ip; cpfDone keeps it only when the
// answer told whether a CPF is registered.
func (t *throttle) startCPF(ip string) error {
	_, err := reserveAll("", limitKey{t.cpfIPs, ip})
	return err
}

func (t *throttle) cpfDone(ip string, err error) {
	if !errors.Is(err, ErrCustomerNotFound) && !errors.Is(err, ErrCustomerExists) {
		t.cpfIPs.release(ip)
	}
}

// startAnonymous counts an anonymous token for ip, or refuses it; anonDone
// gives it back when none was issued.
func (t *throttle) startAnonymous(ip string) error {
	_, err := reserveAll("too many anonymous tokens from this address", limitKey{t.anonIPs, ip})
	return err
}

func (t *throttle) anonDone(ip string, err error) {
	if err != nil {
		t.anonIPs.release(ip)
	}
}

// limitKey is one key of one limiter.
type limitKey struct {
	limiter *limiter
	key     string
}

// reserveAll reserves an event under every check, or none: a refusal gives
// back what it had reserved and says how long to wait, and reason ("" for
// failed attempts).
func reserveAll(reason string, checks ...limitKey) ([]limitKey, error) {
	for i, c := range checks {
		if wait, ok := c.limiter.reserve(c.key); !ok {
			releaseAll(checks[:i])
			return nil, &RateLimitedError{RetryAfter: wait, Reason: reason}
		}
	}
	return checks, nil
}

func releaseAll(held []limitKey) {
	for _, c := range held {
		c.limiter.release(c.key)
	}
}

// RateLimitedError is an attempt refused for having come too often.
type RateLimitedError struct {
	RetryAfter time.Duration
	Reason     string // "" for too many failed attempts
}

func (e *RateLimitedError) Error() string {
	reason := e.Reason
	if reason == "" {
		reason = "too many failed attempts"
	}
	return fmt.Sprintf("%s; retry in %d s", reason, e.seconds())
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
