package payment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// requester is the HTTP transport the Mercado Pago SDK sends through. It
// points every request at the configured base URL (the real API or the
// fake), replaces the SDK's random X-Idempotency-Key with the key the
// caller put in the context, bounds each attempt with a timeout, and
// retries 5xx answers, 429 and network errors with exponential backoff,
// always with the same key, so a retried creation returns the same payment.
type requester struct {
	base       *url.URL
	client     *http.Client
	maxRetries int
	backoff    time.Duration
	log        *slog.Logger
}

type idempotencyKeyCtx struct{}

// withIdempotencyKey returns ctx carrying the X-Idempotency-Key for the
// POST made with it.
func withIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, key)
}

func idempotencyKeyFrom(ctx context.Context) string {
	key, _ := ctx.Value(idempotencyKeyCtx{}).(string)
	return key
}

func newRequester(cfg MercadoPagoConfig, log *slog.Logger) (*requester, error) {
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	// A transport of its own: the default one keeps two idle connections
	// per host, fewer than the consumer's handlers have calls to Mercado
	// Pago in flight, so a busy service would dial for most calls.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	var rt http.RoundTripper = transport
	if cfg.traced != nil {
		rt = cfg.traced(rt)
	}
	return &requester{
		base:       base,
		client:     &http.Client{Timeout: cfg.RequestTimeout, Transport: rt},
		maxRetries: max(cfg.MaxRetries, 0),
		backoff:    max(cfg.RetryBase, time.Millisecond),
		log:        log,
	}, nil
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("MERCADOPAGO_BASE_URL must be an absolute http(s) URL, got %q", raw)
	}
	return u, nil
}

// Do sends req, retrying as the type comment says.
func (r *requester) Do(req *http.Request) (*http.Response, error) {
	if err := r.prepare(req); err != nil {
		return nil, err
	}
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		next, err := rewound(req, attempt)
		if err != nil {
			return nil, err
		}
		resp, err := r.client.Do(next)
		if attempt >= r.maxRetries || !retryable(ctx, resp, err) || !rewindable(req) {
			return resp, err
		}
		r.log.WarnContext(ctx, "mercado pago request failed; retrying", "method", req.Method,
			"path", req.URL.Path, "attempt", attempt+1, "status", statusOf(resp), "err", err)
		drain(resp)
		if err := sleepCtx(ctx, r.delay(attempt)); err != nil {
			return nil, err
		}
	}
}

// prepare rewrites the target and sets the idempotency key. A write
// without a key in its context is refused: it could charge twice.
func (r *requester) prepare(req *http.Request) error {
	req.URL.Scheme = r.base.Scheme
	req.URL.Host = r.base.Host
	req.URL.Path = strings.TrimSuffix(r.base.Path, "/") + req.URL.Path
	req.URL.RawPath = ""
	req.Host = ""
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		req.Header.Del("X-Idempotency-Key")
		return nil
	}
	key := idempotencyKeyFrom(req.Context())
	if key == "" {
		return fmt.Errorf("mercado pago %s %s: no idempotency key in the context", req.Method, req.URL.Path)
	}
	req.Header.Set("X-Idempotency-Key", key)
	return nil
}

// rewindable reports whether req's body, if any, can be sent again.
func rewindable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// rewound returns the request for an attempt: the first is req itself,
// later ones a clone with the body read afresh.
func rewound(req *http.Request, attempt int) (*http.Request, error) {
	if attempt == 0 {
		return req, nil
	}
	next := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("rewind request body: %w", err)
		}
		next.Body = body
	}
	return next, nil
}

func retryable(ctx context.Context, resp *http.Response, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if err != nil {
		return !errors.Is(err, context.Canceled)
	}
	return resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
}

// delay is backoff·2^attempt with up to 50% jitter, so that retries of
// many consumers do not beat in step.
func (r *requester) delay(attempt int) time.Duration {
	d := r.backoff << min(attempt, 10)
	return d + rand.N(d/2+1)
}

func statusOf(resp *http.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

func drain(resp *http.Response) {
	if resp == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("mercado pago retry: %w", ctx.Err())
	}
}
