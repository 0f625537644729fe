package mercadopago

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ControlClient talks to a fake's control API (/_fake/...) over HTTP, as
// fakepay does: the way to drive a fake that runs in another process or
// container. A refusal comes back as an error with the fake's message,
// wrapping ErrNotFound or ErrInvalidTransition where it is one of those.
type ControlClient struct {
	base string
	http *http.Client
}

// NewControlClient drives the fake at base, e.g. http://127.0.0.1:8090.
func NewControlClient(base string) ControlClient {
	return ControlClient{base: strings.TrimRight(base, "/"), http: &http.Client{Timeout: 10 * time.Second}}
}

// List returns the payments, only those of an order (external_reference)
// unless order is empty.
func (c ControlClient) List(ctx context.Context, order string) ([]Payment, error) {
	path := "/_fake/payments"
	if order != "" {
		path += "?external_reference=" + url.QueryEscape(order)
	}
	var out []Payment
	return out, c.Call(ctx, http.MethodGet, path, nil, &out)
}

// Show returns one payment.
func (c ControlClient) Show(ctx context.Context, id int64) (Payment, error) {
	var out Payment
	return out, c.Call(ctx, http.MethodGet, "/_fake/payments/"+strconv.FormatInt(id, 10), nil, &out)
}

// Act runs a verb (approve, reject, …) on a payment with query's options.
func (c ControlClient) Act(ctx context.Context, id int64, verb string, query url.Values) (Payment, error) {
	var out Payment
	path := "/_fake/payments/" + strconv.FormatInt(id, 10) + "/" + verb
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return out, c.Call(ctx, http.MethodPost, path, nil, &out)
}

// Deliveries returns the webhook delivery log, only one payment's unless
// id is 0.
func (c ControlClient) Deliveries(ctx context.Context, id int64) ([]Delivery, error) {
	path := "/_fake/deliveries"
	if id != 0 {
		path += "?payment_id=" + strconv.FormatInt(id, 10)
	}
	var out []Delivery
	return out, c.Call(ctx, http.MethodGet, path, nil, &out)
}

// FailNext makes the next count API calls fail as fault says.
func (c ControlClient) FailNext(ctx context.Context, count int, fault APIFault) (Faults, error) {
	var out Faults
	return out, c.Call(ctx, http.MethodPost, "/_fake/faults/fail-next", failNextRequest{Count: count, APIFault: fault}, &out)
}

// ClearFaults lifts every API fault.
func (c ControlClient) ClearFaults(ctx context.Context) (Faults, error) {
	var out Faults
	return out, c.Call(ctx, http.MethodDelete, "/_fake/faults", nil, &out)
}

// Call sends one request, with body as JSON unless nil, and decodes the
// answer into out; a refusal comes back as an error carrying the fake's
// own message.
func (c ControlClient) Call(ctx context.Context, method, path string, body, out any) error {
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, reader)
	if err != nil {
		return fmt.Errorf("bad URL %q: %w", c.base, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return fmt.Errorf("cannot reach the fake Mercado Pago at %s: %w", c.base, err)
	}
	defer func() { _ = resp.Body.Close() }()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read answer from %s: %w", c.base, err)
	}
	if resp.StatusCode >= 300 {
		return controlFailure(resp.StatusCode, answer)
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("decode answer from %s: %w", c.base, err)
	}
	return nil
}

func controlFailure(status int, body []byte) error {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		return refusal{message: e.Error.Message, kind: controlErrorKinds[e.Error.Code]}
	}
	return fmt.Errorf("the fake answered %d %s; is the URL the fake Mercado Pago's?", status, http.StatusText(status))
}

// refusal is the fake's refusal of a control request: its message, and
// the sentinel its code stands for, if any.
type refusal struct {
	message string
	kind    error
}

func (r refusal) Error() string { return r.message }
func (r refusal) Unwrap() error { return r.kind }

// controlErrorKinds are the control API's codes that have a sentinel.
var controlErrorKinds = map[string]error{
	"payment_not_found":  ErrNotFound,
	"invalid_transition": ErrInvalidTransition,
	"invalid_amount":     ErrInvalidAmount,
}
