// Package otlp exports spans and metrics by OTLP over HTTP in binary
// protobuf (http/protobuf), the encoding every OpenTelemetry collector
// receives. It writes the OTLP messages itself, field by field: the
// OpenTelemetry SDK's own OTLP exporters import the collector's generated
// gRPC stubs, and gRPC with them, which would double the size of every
// service's binary for two HTTP posts.
package otlp

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Client posts OTLP requests to one receiver endpoint, retrying what the
// OTLP specification says to retry, and logs when exports start failing
// and when they recover, rather than once per failed export.
type Client struct {
	endpoint string
	headers  map[string]string
	gzip     bool
	timeout  time.Duration
	http     *http.Client
	log      *slog.Logger
	// Backoff is the first wait before a retry; it doubles each time, up
	// to five seconds, unless the receiver says how long (Retry-After).
	backoff time.Duration

	mu      sync.Mutex
	dropped int // items not exported since the last export that was
}

// ClientOptions are a Client's settings.
type ClientOptions struct {
	Endpoint string            // the full URL, e.g. http://127.0.0.1:4318/v1/traces
	Headers  map[string]string // sent with every request
	Gzip     bool              // compress the requests
	Timeout  time.Duration     // for one export, its retries included
	Log      *slog.Logger
}

// NewClient is a client for o.Endpoint. Its HTTP client is its own, never
// instrumented: exporting spans must not make spans.
func NewClient(o ClientOptions) *Client {
	return &Client{
		endpoint: o.Endpoint, headers: o.Headers, gzip: o.Gzip, timeout: o.Timeout, log: o.Log,
		http:    &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		backoff: 250 * time.Millisecond,
	}
}

// Send posts body, an encoded request of items spans or data points, and
// logs the outcome if it changes whether exports succeed.
func (c *Client) Send(ctx context.Context, body []byte, items int) {
	err := c.post(ctx, body)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err != nil && c.dropped == 0:
		c.log.Warn("telemetry: export failing; dropping until it works again", "endpoint", c.endpoint, "err", err)
		c.dropped += items
	case err != nil:
		c.dropped += items
	case c.dropped > 0:
		c.log.Info("telemetry: export works again", "endpoint", c.endpoint, "dropped", c.dropped)
		c.dropped = 0
	}
}

// post sends body, again while the receiver answers that it is busy or
// unavailable and the export's time allows.
func (c *Client) post(ctx context.Context, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	payload, err := c.encode(body)
	if err != nil {
		return err
	}
	wait := c.backoff
	for {
		retryAfter, err := c.attempt(ctx, payload)
		if err == nil || retryAfter < 0 {
			return err
		}
		if retryAfter > 0 {
			wait = retryAfter
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("%w, gave up: %w", err, ctx.Err())
		case <-timer.C:
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func (c *Client) encode(body []byte) ([]byte, error) {
	if !c.gzip {
		return body, nil
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// attempt posts payload once. On failure, retryAfter says whether to
// retry: negative for no, zero for after the backoff, positive for after
// that long, as the receiver asked.
func (c *Client) attempt(ctx context.Context, payload []byte) (retryAfter time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(payload))
	if err != nil {
		return -1, err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	if c.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return -1, err // nobody there: the next export tries again
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return -1, rejected(answer)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusBadGateway ||
		resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout:
		return parseRetryAfter(resp.Header.Get("Retry-After")), fmt.Errorf("receiver answered %s", resp.Status)
	}
	return -1, fmt.Errorf("receiver answered %s", resp.Status)
}

// parseRetryAfter reads a Retry-After of seconds; 0 (the backoff) if
// there is none or it says something else.
func parseRetryAfter(s string) time.Duration {
	seconds, err := strconv.Atoi(s)
	if err != nil || seconds < 0 {
		return 0
	}
	return time.Duration(seconds) * time.Second
}
