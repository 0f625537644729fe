package mercadopago_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/mercadopago/sdk-go/pkg/config"
	"github.com/mercadopago/sdk-go/pkg/mperror"
	"github.com/mercadopago/sdk-go/pkg/payment"
)

// hostRewriter is the only change the SDK needs: its requests go to the
// fake instead of api.mercadopago.com. A fixed idempotency key, when set,
// replaces the SDK's random one.
type hostRewriter struct {
	target         *url.URL
	idempotencyKey string
}

func (h hostRewriter) Do(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = h.target.Scheme, h.target.Host, ""
	if h.idempotencyKey != "" && req.Method != http.MethodGet {
		out.Header.Set("X-Idempotency-Key", h.idempotencyKey)
	}
	return http.DefaultClient.Do(out)
}

func sdkClient(t *testing.T, srv *httptest.Server, key string) payment.Client {
	t.Helper()
	return payment.NewClient(sdkConfig(t, srv, key))
}

// sdkConfig is the SDK's configuration pointed at the fake; a fixed key,
// when set, replaces the SDK's random X-Idempotency-Key.
func sdkConfig(t *testing.T, srv *httptest.Server, key string) *config.Config {
	t.Helper()
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatalf("parse server url: %v", err)
	}
	cfg, err := config.New(testToken, config.WithHTTPClient(hostRewriter{target: target, idempotencyKey: key}))
	if err != nil {
		t.Fatalf("sdk config: %v", err)
	}
	return cfg
}

func TestSDKCreateGetSearch(t *testing.T) {
	t.Parallel()
	f, srv, clock := newTestFake(t)
	client := sdkClient(t, srv, uuid.NewString())
	ctx := context.Background()
	ref := "order-" + uuid.NewString()
	expires := clock.Now().Add(15 * time.Minute)
	hook := newReceiver(t, always(http.StatusOK)).url()

	created, err := client.Create(ctx, payment.Request{
		TransactionAmount: 42.5,
		PaymentMethodID:   "pix",
		Payer:             &payment.PayerRequest{Email: "buyer@example.com", Identification: &payment.IdentificationRequest{Type: "CPF", Number: "19119119100"}},
		Description:       "2 x X-Burger",
		ExternalReference: ref,
		NotificationURL:   hook,
		DateOfExpiration:  &expires,
		Metadata:          map[string]any{"orderId": ref},
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if created.ID < 1000000001 || created.Status != "pending" || created.StatusDetail != "pending_waiting_transfer" {
		t.Errorf("created = id %d %s/%s", created.ID, created.Status, created.StatusDetail)
	}
	if created.PaymentTypeID != "bank_transfer" || created.CurrencyID != "BRL" || created.TransactionAmount != 42.5 {
		t.Errorf("created = %s %s %v", created.PaymentTypeID, created.CurrencyID, created.TransactionAmount)
	}
	if !created.DateCreated.Equal(clock.Now()) || !created.DateOfExpiration.Equal(expires) || !created.DateApproved.IsZero() {
		t.Errorf("dates: created %v, expires %v, approved %v", created.DateCreated, created.DateOfExpiration, created.DateApproved)
	}
	if created.Payer.Email != "buyer@example.com" || created.Payer.Identification.Number != "19119119100" {
		t.Errorf("payer = %+v", created.Payer)
	}
	if created.Metadata["order_id"] != ref {
		t.Errorf("metadata = %v, want order_id (snake-cased like Mercado Pago)", created.Metadata)
	}
	if created.NotificationURL != hook || created.ExternalReference != ref || created.LiveMode {
		t.Errorf("created = notification_url %q, external_reference %q, live_mode %v", created.NotificationURL, created.ExternalReference, created.LiveMode)
	}
	checkTransactionData(t, created.PointOfInteraction.TransactionData, srv.URL, "42.50")

	if _, err := f.Approve(ctx, int64(created.ID)); err != nil {
		t.Fatalf("approve: %v", err)
	}
	got, err := client.Get(ctx, created.ID)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if got.ID != created.ID || got.Status != "approved" || got.StatusDetail != "accredited" || !got.DateApproved.Equal(clock.Now()) {
		t.Errorf("get = id %d %s/%s approved %v", got.ID, got.Status, got.StatusDetail, got.DateApproved)
	}

	found, err := client.Search(ctx, payment.SearchRequest{Filters: map[string]string{"external_reference": ref}})
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if found.Paging.Total != 1 || len(found.Results) != 1 || found.Results[0].ID != created.ID {
		t.Errorf("search = %+v", found.Paging)
	}
}

func checkTransactionData(t *testing.T, td payment.TransactionDataResponse, base, amount string) {
	t.Helper()
	if !strings.HasPrefix(td.QRCode, "000201") || !strings.Contains(td.QRCode, "br.gov.bcb.pix") || !strings.Contains(td.QRCode, amount) {
		t.Errorf("qr_code = %q", td.QRCode)
	}
	raw, err := base64.StdEncoding.DecodeString(td.QRCodeBase64)
	if err != nil {
		t.Fatalf("qr_code_base64: %v", err)
	}
	if _, err := png.DecodeConfig(bytes.NewReader(raw)); err != nil {
		t.Errorf("qr_code_base64 is not a PNG: %v", err)
	}
	if !strings.HasPrefix(td.TicketURL, base+"/pix/") {
		t.Errorf("ticket_url = %q", td.TicketURL)
	}
}

func TestSDKDefaultExpiryAndNotFound(t *testing.T) {
	t.Parallel()
	_, srv, clock := newTestFake(t)
	client := sdkClient(t, srv, "")
	ctx := context.Background()

	created, err := client.Create(ctx, payment.Request{
		TransactionAmount: 10,
		PaymentMethodID:   "pix",
		Payer:             &payment.PayerRequest{Email: "buyer@example.com"},
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if want := clock.Now().Add(30 * time.Minute); !created.DateOfExpiration.Equal(want) {
		t.Errorf("date_of_expiration = %v, want %v", created.DateOfExpiration, want)
	}
	if _, err := client.Get(ctx, 999); err == nil || !strings.Contains(err.Error(), "Payment not found") {
		t.Errorf("get unknown: err = %v", err)
	}
}

// TestSDKSameKeySamePayment is what the SDK's retry on 5xx relies on: the
// same request with the same X-Idempotency-Key yields the same payment.
func TestSDKSameKeySamePayment(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	client := sdkClient(t, srv, uuid.NewString())
	ctx := context.Background()
	ref := "order-" + uuid.NewString()
	req := payment.Request{
		TransactionAmount: 18,
		PaymentMethodID:   "pix",
		Payer:             &payment.PayerRequest{Email: "buyer@example.com"},
		ExternalReference: ref,
	}
	first, err := client.Create(ctx, req)
	if err != nil {
		t.Fatalf("first create: %v", err)
	}
	again, err := client.Create(ctx, req)
	if err != nil || again.ID != first.ID {
		t.Fatalf("second create = %v, %v; want id %d", again, err, first.ID)
	}
	req.TransactionAmount = 19
	if _, err := client.Create(ctx, req); err == nil || !strings.Contains(err.Error(), `"status":409`) {
		t.Errorf("same key, other amount: err = %v, want a 409", err)
	}
	if p, ok := f.FindByExternalReference(ref); !ok || p.ID != int64(first.ID) || len(f.Payments()) != 1 {
		t.Errorf("payments = %d, found %v %d", len(f.Payments()), ok, p.ID)
	}
}

// TestSDKErrors: the SDK surfaces the fake's errors as it would the real
// API's: a *mperror.ResponseError with the status and Mercado Pago's body.
func TestSDKErrors(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	target, _ := url.Parse(srv.URL)
	ctx := context.Background()
	wrong, err := config.New("APP_USR-not-the-token", config.WithHTTPClient(hostRewriter{target: target}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = payment.NewClient(wrong).Get(ctx, 1000000001)
	checkSDKError(t, "wrong token", err, http.StatusUnauthorized, `{"message":"invalid access token","error":"unauthorized","status":401}`)

	_, err = sdkClient(t, srv, "").Create(ctx, payment.Request{TransactionAmount: 10, PaymentMethodID: "pix", Payer: &payment.PayerRequest{}})
	checkSDKError(t, "no payer e-mail", err, http.StatusBadRequest, `"cause":[{"code":4050`)
}

func checkSDKError(t *testing.T, what string, err error, status int, inBody string) {
	t.Helper()
	var resp *mperror.ResponseError
	if !errors.As(err, &resp) || resp.StatusCode != status || !strings.Contains(resp.Message, inBody) {
		t.Errorf("%s: err = %v; want a ResponseError %d with %s", what, err, status, inBody)
	}
}

// TestSDKCancel: the SDK's Cancel (PUT {"status":"cancelled"}) cancels a
// pending payment by the collector, and cannot cancel it twice.
func TestSDKCancel(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	client := sdkClient(t, srv, uuid.NewString())
	ctx := context.Background()
	created, err := client.Create(ctx, payment.Request{TransactionAmount: 10, PaymentMethodID: "pix", Payer: &payment.PayerRequest{Email: "buyer@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, err := client.Cancel(ctx, created.ID)
	if err != nil || cancelled.Status != "cancelled" || cancelled.StatusDetail != "by_collector" {
		t.Fatalf("cancel = %+v, %v; want cancelled/by_collector", cancelled, err)
	}
	_, err = client.Cancel(ctx, created.ID)
	checkSDKError(t, "cancel twice", err, http.StatusBadRequest, "is cancelled; it cannot cancel")
	_, err = client.Cancel(ctx, 999)
	checkSDKError(t, "cancel unknown", err, http.StatusNotFound, "Payment not found")
}
