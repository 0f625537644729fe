// Package apiclient is a small client of Comanda's public HTTP API, as a totem
// or a kitchen screen would use it: the feature steps, the load tool and
// anyone scripting the sandbox go through it and nothing else.
package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"time"
)

// Client calls the API behind one base URL (the gateway).
type Client struct {
	BaseURL string
	HTTP    *http.Client
}

// New returns a client for baseURL with a sane timeout.
func New(baseURL string) *Client {
	return &Client{BaseURL: baseURL, HTTP: &http.Client{Timeout: 15 * time.Second}}
}

// NewFrom is New for a client whose connections leave from the local
// address ip: on loopback, any of 127.0.0.0/8. The system tells clients
// apart by their address as the edge sees it, so each such client is, to
// it, another totem or kitchen screen. Close its idle connections when done.
func NewFrom(baseURL string, ip netip.Addr) *Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second,
		LocalAddr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(ip, 0))}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = dialer.DialContext
	return &Client{BaseURL: baseURL, HTTP: &http.Client{Timeout: 15 * time.Second, Transport: transport}}
}

// Response is an answer, its body read in full.
type Response struct {
	Method string
	Path   string
	Status int
	Header http.Header
	Body   []byte
}

// ErrorBody is the one error shape of the API.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// Do sends body (nil, []byte sent as is, or a value encoded as JSON) with the
// bearer token when one is given.
func (c *Client) Do(ctx context.Context, method, path, bearer string, body any) (*Response, error) {
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		reader = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, reader)
	if err != nil {
		return nil, err
	}
	if reader != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return c.send(req)
}

func (c *Client) send(req *http.Request) (*Response, error) {
	method, path := req.Method, req.URL.RequestURI()
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read body: %w", method, path, err)
	}
	return &Response{Method: method, Path: path, Status: res.StatusCode, Header: res.Header, Body: raw}, nil
}

// Decode decodes the body into v strictly: a field v does not have, or
// anything after the value, is an error, so that a field the API adds,
// renames or misspells is noticed by its first client rather than dropped.
func (r *Response) Decode(v any) error {
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err != nil {
		return fmt.Errorf("%s %s: decode %d body %q: %w", r.Method, r.Path, r.Status, r.Body, err)
	}
	return nil
}

// ErrorCode is the error.code of an error answer, or "".
func (r *Response) ErrorCode() string {
	var e ErrorBody
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// Expect fails unless the status is want, decoding the body into v when given.
func (r *Response) Expect(want int, v any) error {
	if r.Status != want {
		return fmt.Errorf("%s %s: status %d, want %d; body %s", r.Method, r.Path, r.Status, want, r.Body)
	}
	if v != nil {
		return r.Decode(v)
	}
	return nil
}

// String describes the answer for failure messages.
func (r *Response) String() string {
	return fmt.Sprintf("%s %s → %d %s", r.Method, r.Path, r.Status, r.Body)
}

// DoWithHeaders sends a raw body with extra headers and no token, as a
// third party such as Mercado Pago calling a webhook would.
func (c *Client) DoWithHeaders(ctx context.Context, method, path string, headers map[string]string, body []byte) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.send(req)
}
