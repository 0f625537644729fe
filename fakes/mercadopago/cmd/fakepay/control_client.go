package main

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

	"github.com/comanda/comanda/fakes/mercadopago"
)

// controlClient talks to the fake's control API (/_fake/...).
type controlClient struct {
	base string
	http *http.Client
}

func newControlClient(base string) controlClient {
	return controlClient{base: strings.TrimRight(base, "/"), http: &http.Client{Timeout: 10 * time.Second}}
}

func (c controlClient) list(ctx context.Context, order string) ([]mercadopago.Payment, error) {
	path := "/_fake/payments"
	if order != "" {
		path += "?external_reference=" + url.QueryEscape(order)
	}
	var out []mercadopago.Payment
	return out, c.call(ctx, http.MethodGet, path, nil, &out)
}

func (c controlClient) show(ctx context.Context, id int64) (mercadopago.Payment, error) {
	var out mercadopago.Payment
	return out, c.call(ctx, http.MethodGet, "/_fake/payments/"+strconv.FormatInt(id, 10), nil, &out)
}

// act runs a verb (approve, reject, …) on a payment with query's options.
func (c controlClient) act(ctx context.Context, id int64, verb string, query url.Values) (mercadopago.Payment, error) {
	var out mercadopago.Payment
	path := "/_fake/payments/" + strconv.FormatInt(id, 10) + "/" + verb
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	return out, c.call(ctx, http.MethodPost, path, nil, &out)
}

func (c controlClient) deliveries(ctx context.Context, id int64) ([]mercadopago.Delivery, error) {
	path := "/_fake/deliveries"
	if id != 0 {
		path += "?payment_id=" + strconv.FormatInt(id, 10)
	}
	var out []mercadopago.Delivery
	return out, c.call(ctx, http.MethodGet, path, nil, &out)
}

// call sends one request, with body as JSON unless nil, and decodes the
// answer into out; a refusal comes back as an error carrying the fake's
// own message.
func (c controlClient) call(ctx context.Context, method, path string, body, out any) error {
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
		return fmt.Errorf("bad --url %q: %w", c.base, err)
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
		return errors.New(e.Error.Message)
	}
	return fmt.Errorf("the fake answered %d %s; is --url the fake Mercado Pago?", status, http.StatusText(status))
}
