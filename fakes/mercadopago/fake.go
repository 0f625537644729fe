package mercadopago

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// Options configures a Fake. AccessToken and WebhookSecret are required.
type Options struct {
	AccessToken   string           // the one bearer token accepted (required)
	WebhookSecret string           // HMAC key for x-signature (required)
	Logger        *slog.Logger     // nil = discard
	Now           func() time.Time // base clock; nil = time.Now. The control API moves the fake ahead of it.
	// RetrySchedule is the delays between a webhook's attempts, on the
	// fake's clock; nil = MercadoPagoRetrySchedule, empty = no retry.
	RetrySchedule []time.Duration
	// NotificationVariants shapes every notification the way Mercado Pago
	// sometimes does (see Variant); a payment's own variants replace them.
	NotificationVariants []Variant
	// HTTPClient delivers webhooks; nil = a client with a 22s timeout.
	HTTPClient *http.Client
	// AutoApproveAfter, when positive, approves every new payment that long
	// (in real time) after its creation, for the sandbox and load tests.
	AutoApproveAfter time.Duration
	// PersistPath, when set, keeps the fake's state in that JSON file: read
	// at start if it exists, rewritten (atomically) after every change.
	PersistPath string
	// SweepInterval is how often pending payments whose date_of_expiration
	// has passed are expired, so that their webhooks go out unasked;
	// 0 = every second.
	SweepInterval time.Duration
	// IdempotencyTTL is how long, on the fake's clock, an X-Idempotency-Key
	// is remembered: after it, the key may create another payment.
	// 0 = defaultIdempotencyTTL.
	IdempotencyTTL time.Duration
	// Drift makes the API's answers take the liberties Mercado Pago's own
	// take (masked payer, more fields, nulls; see api_drift.go); the
	// control API switches it at run time.
	Drift bool
}

// defaultIdempotencyTTL is how long a key is remembered when the options
// say nothing. Mercado Pago does not publish its own; a day outlasts any
// retry of a creation.
const defaultIdempotencyTTL = 24 * time.Hour

// webhookTimeout is how long Mercado Pago waits for a receiver's answer,
// on every attempt; on the fake's clock too, so that moving it ends an
// attempt a receiver leaves hanging.
const webhookTimeout = 22 * time.Second

// defaultSweepInterval is how often expired payments are looked for.
const defaultSweepInterval = time.Second

// Fake is an in-memory Mercado Pago. Serve Handler with net/http or
// httptest; call Close when done so no background work outlives it.
type Fake struct {
	accessToken string
	defaults    Options // what a reset goes back to
	clock       *clock
	log         *slog.Logger
	bg          *background
	store       *paymentStore
	webhooks    *webhookSender
	faults      faultPlan
	autoApprove atomic.Int64 // a time.Duration; 0 = off
	drift       atomic.Bool  // payload drift on the API's answers
	persist     *persister   // nil without PersistPath
	qr          *qrPainter
	handler     http.Handler
}

// New returns a Fake, with the state of Options.PersistPath if that file
// exists, else with no payments.
func New(opts Options) (*Fake, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	f := &Fake{
		accessToken: opts.AccessToken,
		defaults:    opts,
		clock:       newClock(opts.Now),
		qr:          newQRPainter(),
		log:         opts.Logger,
		bg:          newBackground(),
	}
	f.webhooks = newWebhookSender(opts, f.clock, f.bg)
	ttl := opts.IdempotencyTTL
	if ttl <= 0 {
		ttl = defaultIdempotencyTTL
	}
	f.store = newPaymentStore(f.paymentChanged, ttl)
	f.autoApprove.Store(int64(opts.AutoApproveAfter))
	f.drift.Store(opts.Drift)
	if opts.PersistPath != "" {
		if err := f.startPersisting(opts.PersistPath); err != nil {
			f.bg.close()
			return nil, err
		}
	}
	f.bg.every(opts.SweepInterval, func(context.Context) { f.expireDue() })
	f.handler = f.routes()
	return f, nil
}

func (o Options) withDefaults() (Options, error) {
	if o.AccessToken == "" {
		return o, errors.New("mercadopago fake: AccessToken is required")
	}
	if o.WebhookSecret == "" {
		return o, errors.New("mercadopago fake: WebhookSecret is required")
	}
	if o.AutoApproveAfter < 0 {
		return o, errors.New("mercadopago fake: AutoApproveAfter must not be negative")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RetrySchedule == nil {
		o.RetrySchedule = MercadoPagoRetrySchedule()
	}
	if err := checkVariants(o.NotificationVariants); err != nil {
		return o, fmt.Errorf("mercadopago fake: %w", err)
	}
	if o.HTTPClient == nil {
		// Its own transport: the default keeps two idle connections per
		// host, fewer than the notifications a busy fake has in flight.
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.MaxIdleConnsPerHost = 64
		o.HTTPClient = &http.Client{Timeout: webhookTimeout, Transport: transport}
	}
	if o.SweepInterval <= 0 {
		o.SweepInterval = defaultSweepInterval
	}
	return o, nil
}

// Handler serves the Mercado Pago API (/v1/...), the control API
// (/_fake/...) and the PIX ticket pages (/pix/{id}).
func (f *Fake) Handler() http.Handler { return f.handler }

// Close stops webhook deliveries in flight, pending retries, auto-approvals
// and the expiry sweep, waits for them, and writes the state file a last
// time. The handler keeps answering, without webhooks.
func (f *Fake) Close() {
	f.bg.close()
	if f.persist != nil {
		f.persist.flush()
	}
}

func (f *Fake) now() time.Time { return f.clock.now() }

func (f *Fake) routes() http.Handler {
	api := http.NewServeMux()
	api.Handle("POST /v1/payments", f.authorized(f.handleCreate))
	api.Handle("GET /v1/payments/search", f.authorized(f.handleSearch))
	api.Handle("GET /v1/payments/{id}", f.authorized(f.handleGet))
	api.Handle("PUT /v1/payments/{id}", f.authorized(f.handleUpdate))
	api.Handle("POST /v1/payments/{id}/refunds", f.authorized(f.handleCreateRefund))
	api.Handle("GET /v1/payments/{id}/refunds", f.authorized(f.handleListRefunds))
	api.Handle("GET /v1/payments/{id}/refunds/{refund_id}", f.authorized(f.handleGetRefund))
	api.Handle("/v1/", f.authorized(handleUnknownResource))

	mux := http.NewServeMux()
	mux.Handle("/v1/", f.withFaults(api))
	f.controlRoutes(mux)
	mux.HandleFunc("GET /pix/{id}", f.handleTicket)
	return mux
}
