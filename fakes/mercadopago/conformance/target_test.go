package conformance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/mercadopago/sdk-go/pkg/config"
	"github.com/mercadopago/sdk-go/pkg/mperror"
	"github.com/mercadopago/sdk-go/pkg/payment"
	"github.com/mercadopago/sdk-go/pkg/refund"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// The environment that picks the real target.
const (
	envToken      = "MP_ACCESS_TOKEN" // test credentials: the real target runs only with them
	envPayerEmail = "MP_PAYER_EMAIL"  // the payer on the real target; defaultPayerEmail if unset
)

// defaultPayerEmail is a payer Mercado Pago's sandbox takes: anyone but
// the seller.
const defaultPayerEmail = "test_user_comanda_conformance@testuser.com"

// The fake target's own credentials.
const (
	fakeToken  = "TEST-conformance-access-token"
	fakeSecret = "conformance-webhook-secret"
)

func TestMain(m *testing.M) {
	if os.Getenv(envToken) == "" {
		fmt.Println("conformance: real Mercado Pago skipped: " + envToken + " is not set")
	} else {
		fmt.Println("conformance: every case runs against the fake and against Mercado Pago (api.mercadopago.com)")
	}
	os.Exit(m.Run())
}

// target is where a case sends the SDK's calls: a fake of its own, or
// Mercado Pago.
type target struct {
	token string
	fake  *fakeTarget // nil on Mercado Pago
}

// fakeTarget is an in-process fake and the ways to reach it.
type fakeTarget struct {
	url     *url.URL
	control mercadopago.ControlClient
}

// eachTarget runs test against a fresh fake, then, with MP_ACCESS_TOKEN
// set, against Mercado Pago.
func eachTarget(t *testing.T, test func(t *testing.T, tg target)) {
	t.Helper()
	t.Parallel()
	t.Run("fake", func(t *testing.T) {
		t.Parallel()
		test(t, newFakeTarget(t))
	})
	if token := os.Getenv(envToken); token != "" {
		t.Run("mercadopago", func(t *testing.T) { test(t, target{token: token}) })
	}
}

// newFakeTarget serves a fake on 127.0.0.1 until the test ends.
func newFakeTarget(t *testing.T) target {
	t.Helper()
	f, err := mercadopago.New(mercadopago.Options{AccessToken: fakeToken, WebhookSecret: fakeSecret})
	if err != nil {
		t.Fatalf("new fake: %v", err)
	}
	t.Cleanup(f.Close) // runs last: no delivery outlives the test
	srv := httptest.NewServer(f.Handler())
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatalf("parse %s: %v", srv.URL, err)
	}
	return target{token: fakeToken, fake: &fakeTarget{url: u, control: mercadopago.NewControlClient(srv.URL)}}
}

// onlyFake skips the rest of a case on Mercado Pago, saying why.
func (tg target) onlyFake(t *testing.T, why string) {
	t.Helper()
	if tg.fake == nil {
		t.Skip("not on Mercado Pago: " + why)
	}
}

// config is the SDK's configuration for the target with token. A key,
// unless "", is every write's X-Idempotency-Key instead of the SDK's
// random one.
func (tg target) config(t *testing.T, token, key string) *config.Config {
	t.Helper()
	var opts []config.Option
	if tg.fake != nil || key != "" {
		r := requester{key: key, client: &http.Client{Timeout: 30 * time.Second}}
		if tg.fake != nil {
			r.to = tg.fake.url
		}
		opts = append(opts, config.WithHTTPClient(r))
	}
	cfg, err := config.New(token, opts...)
	if err != nil {
		t.Fatalf("sdk config: %v", err)
	}
	return cfg
}

// payments is the SDK's payment client on the target.
func (tg target) payments(t *testing.T, key string) payment.Client {
	t.Helper()
	return payment.NewClient(tg.config(t, tg.token, key))
}

// refunds is the SDK's refund client on the target.
func (tg target) refunds(t *testing.T, key string) refund.Client {
	t.Helper()
	return refund.NewClient(tg.config(t, tg.token, key))
}

// requester sends the SDK's requests: to the fake's host when to is set
// (the only change the SDK needs), with key as X-Idempotency-Key if set.
type requester struct {
	to     *url.URL
	key    string
	client *http.Client
}

func (r requester) Do(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	if r.to != nil {
		out.URL.Scheme, out.URL.Host, out.Host = r.to.Scheme, r.to.Host, ""
	}
	if r.key != "" && req.Method != http.MethodGet {
		out.Header.Set("X-Idempotency-Key", r.key)
	}
	return r.client.Do(out)
}

// newReference is an external_reference no other run uses.
func newReference() string { return "comanda-conformance-" + uuid.NewString() }

// pixRequest is a valid PIX creation; cases change what they need.
func pixRequest(ref string) payment.Request {
	email := os.Getenv(envPayerEmail)
	if email == "" {
		email = defaultPayerEmail
	}
	return payment.Request{
		TransactionAmount: 12.34,
		PaymentMethodID:   "pix",
		Payer: &payment.PayerRequest{
			Email:          email,
			FirstName:      "Comanda",
			LastName:       "Conformance",
			Identification: &payment.IdentificationRequest{Type: "CPF", Number: "19119119100"},
		},
		Description:       "Comanda conformance suite",
		ExternalReference: ref,
	}
}

// brazil is the offset the suite writes dates in, as a Brazilian seller's
// server would.
var brazil = time.FixedZone("BRT", -3*60*60)

// at is now plus d, to the second, in Brazil's offset: how the suite sends
// date_of_expiration.
func at(d time.Duration) *time.Time {
	t := time.Now().Add(d).Truncate(time.Second).In(brazil)
	return &t
}

// create creates req on the target and, on Mercado Pago, cancels the
// payment when the test ends if it is still pending, so that a run leaves
// no open PIX code behind.
func (tg target) create(t *testing.T, client payment.Client, req payment.Request) *payment.Response {
	t.Helper()
	p, err := client.Create(t.Context(), req)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if tg.fake == nil {
		t.Cleanup(func() { tg.cancelIfPending(t, p.ID) })
	}
	return p
}

func (tg target) cancelIfPending(t *testing.T, id int) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := tg.payments(t, "")
	if p, err := client.Get(ctx, id); err != nil || p.Status != "pending" {
		return
	}
	if _, err := client.Cancel(ctx, id); err != nil {
		t.Logf("cleanup: payment %d left pending: %v", id, err)
	}
}

// act runs a control verb on the fake (approve, …).
func (tg target) act(t *testing.T, id int, verb string) {
	t.Helper()
	if _, err := tg.fake.control.Act(t.Context(), int64(id), verb, nil); err != nil {
		t.Fatalf("%s payment %d on the fake: %v", verb, id, err)
	}
}

// advanceClock moves the fake's clock through its control API.
func (tg target) advanceClock(t *testing.T, d time.Duration) {
	t.Helper()
	var state mercadopago.ClockState
	body := map[string]string{"advance": d.String()}
	if err := tg.fake.control.Call(t.Context(), http.MethodPost, "/_fake/clock", body, &state); err != nil {
		t.Fatalf("move the fake's clock: %v", err)
	}
}

// waitFor polls cond until it holds or timeout passes: the real API's
// search catches up with a creation a moment later.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s; last error: %v", timeout, what, err)
		}
		select {
		case <-t.Context().Done():
			t.Fatalf("waiting for %s: %v", what, t.Context().Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// apiErrorBody is Mercado Pago's error body as the SDK hands it over, in
// ResponseError.Message. A cause's code is a number or a string of digits.
type apiErrorBody struct {
	Message string `json:"message"`
	Status  int    `json:"status"`
	Cause   []struct {
		Code json.RawMessage `json:"code"`
	} `json:"cause"`
}

// causes returns the cause codes of an error body, as strings.
func causes(body string) []string {
	var e apiErrorBody
	if json.Unmarshal([]byte(body), &e) != nil {
		return nil
	}
	var codes []string
	for _, c := range e.Cause {
		codes = append(codes, strings.Trim(string(c.Code), `"`))
	}
	return codes
}

// wantRefusal checks err is the API's answer status, with cause among its
// cause codes unless cause is "". On a failure it names the document
// that says what the fake answers, to be put right if the real API
// differs.
func wantRefusal(t *testing.T, what string, err error, status int, cause string) {
	t.Helper()
	var resp *mperror.ResponseError
	if !errors.As(err, &resp) {
		t.Errorf("%s: err = %v; want the API's %d", what, err, status)
		return
	}
	if resp.StatusCode != status || (cause != "" && !slices.Contains(causes(resp.Message), cause)) {
		want := fmt.Sprint(status)
		if cause != "" {
			want += " with cause " + cause
		}
		t.Errorf("%s: answered %d %s; want %s, as docs/mercadopago.md says", what, resp.StatusCode, resp.Message, want)
	}
}
