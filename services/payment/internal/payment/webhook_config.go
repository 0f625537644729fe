package payment

import (
	"errors"
	"time"
)

// WebhookConfig says how Mercado Pago's notifications are checked beyond
// their signature. Never log it: it may hold a secret.
type WebhookConfig struct {
	// PreviousSecret is accepted besides MERCADOPAGO_WEBHOOK_SECRET while
	// the secret is rotated: set it to the old secret, change the secret in
	// Mercado Pago's dashboard, then unset it.
	PreviousSecret string `env:"MERCADOPAGO_WEBHOOK_SECRET_PREVIOUS"`
	// TSTolerance refuses a signature whose ts is further than this from
	// our clock; 0 (the default) does not look at ts, since Mercado Pago
	// sends it in seconds or in milliseconds (both are understood).
	TSTolerance time.Duration `env:"WEBHOOK_TS_TOLERANCE, default=0s"`
	// DedupeWindow is how long a delivery answered 200 is remembered by its
	// x-request-id and signature, so that a replay is acknowledged without
	// being processed again; 0 turns this off. DedupeMaxEntries bounds the
	// memory it takes (about 100 bytes an entry).
	DedupeWindow     time.Duration `env:"WEBHOOK_DEDUPE_WINDOW, default=10m"`
	DedupeMaxEntries int           `env:"WEBHOOK_DEDUPE_MAX_ENTRIES, default=10000"`
}

func (c WebhookConfig) validate() error {
	switch {
	case c.TSTolerance < 0:
		return errors.New("configuration: WEBHOOK_TS_TOLERANCE must not be negative")
	case c.DedupeWindow < 0:
		return errors.New("configuration: WEBHOOK_DEDUPE_WINDOW must not be negative")
	case c.DedupeWindow > 0 && c.DedupeMaxEntries <= 0:
		return errors.New("configuration: WEBHOOK_DEDUPE_MAX_ENTRIES must be positive")
	}
	return nil
}

// webhookGuard is what the webhook handler checks besides the current
// secret. Its zero value accepts only the current secret, ignores ts and
// remembers nothing.
type webhookGuard struct {
	previousSecret string
	tolerance      time.Duration
	replays        *replayGuard
	now            func() time.Time
}

func newWebhookGuard(c WebhookConfig) webhookGuard {
	return webhookGuard{
		previousSecret: c.PreviousSecret,
		tolerance:      c.TSTolerance,
		replays:        newReplayGuard(c.DedupeWindow, c.DedupeMaxEntries),
		now:            time.Now,
	}
}

func (g webhookGuard) clock() time.Time {
	if g.now == nil {
		return time.Now()
	}
	return g.now()
}
