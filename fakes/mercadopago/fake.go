package mercadopago

import (
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Options configures a Fake. AccessToken and WebhookSecret are required.
type Options struct {
	AccessToken   string           // the one bearer token accepted (required)
	WebhookSecret string           // HMAC key for x-signature (required)
	Logger        *slog.Logger     // nil = discard
	Now           func() time.Time // clock; nil = time.Now. Tests move it.
	RetrySchedule []time.Duration  // delays between webhook attempts; nil = defaultRetrySchedule
	HTTPClient    *http.Client     // for webhook delivery; nil = a client with a 22s timeout
}

// webhookTimeout is how long Mercado Pago waits for a receiver's answer.
const webhookTimeout = 22 * time.Second

// defaultRetrySchedule is Mercado Pago's retry ladder, compressed so that a
// test or the sandbox sees every retry within seconds.
func defaultRetrySchedule() []time.Duration {
	return []time.Duration{100 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second, 5 * time.Second}
}

// Fake is an in-memory Mercado Pago. Serve Handler with net/http or
// httptest; call Close when done so no webhook delivery outlives it.
type Fake struct {
	accessToken string
	now         func() time.Time
	log         *slog.Logger
	store       *paymentStore
	webhooks    *webhookSender
	handler     http.Handler
}

// New returns a Fake with no payments.
func New(opts Options) (*Fake, error) {
	if opts.AccessToken == "" {
		return nil, errors.New("mercadopago fake: AccessToken is required")
	}
	if opts.WebhookSecret == "" {
		return nil, errors.New("mercadopago fake: WebhookSecret is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RetrySchedule == nil {
		opts.RetrySchedule = defaultRetrySchedule()
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: webhookTimeout}
	}
	f := &Fake{
		accessToken: opts.AccessToken,
		now:         opts.Now,
		log:         opts.Logger,
		webhooks:    newWebhookSender(opts),
	}
	f.store = newPaymentStore(f.paymentChanged)
	f.handler = f.routes()
	return f, nil
}

// Handler serves the Mercado Pago API (/v1/...), the control API
// (/_fake/...) and the PIX ticket pages (/pix/{id}).
func (f *Fake) Handler() http.Handler { return f.handler }

// Close stops webhook deliveries in flight, cancels pending retries and
// waits for their goroutines. The handler keeps answering, without webhooks.
func (f *Fake) Close() { f.webhooks.close() }

func (f *Fake) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /v1/payments", f.authorized(f.handleCreate))
	mux.Handle("GET /v1/payments/search", f.authorized(f.handleSearch))
	mux.Handle("GET /v1/payments/{id}", f.authorized(f.handleGet))
	mux.Handle("/v1/", f.authorized(handleUnknownResource))

	mux.HandleFunc("GET /_fake/payments", f.handleControlList)
	mux.HandleFunc("GET /_fake/payments/{id}", f.handleControlShow)
	mux.HandleFunc("POST /_fake/payments/{id}/{verb}", f.handleControlVerb)
	mux.HandleFunc("GET /_fake/deliveries", f.handleControlDeliveries)

	mux.HandleFunc("GET /pix/{id}", f.handleTicket)
	return mux
}
