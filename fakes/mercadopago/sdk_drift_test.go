package mercadopago_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/mercadopago/sdk-go/pkg/payment"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// serviceView is what the payment service reads of a payment
// (services/payment/internal/payment/mercadopago.go), plus the metadata it
// sends, as one comparable value.
type serviceView struct {
	ID                  int
	Status, Detail      string
	Amount              float64
	Currency, Reference string
	Metadata            string // JSON; an empty map and null both read "{}"
	ExpiresMillis       int64
	TransactionData     payment.TransactionDataResponse
}

func viewOf(t *testing.T, r *payment.Response) serviceView {
	t.Helper()
	meta := "{}"
	if len(r.Metadata) > 0 {
		raw, err := json.Marshal(r.Metadata)
		if err != nil {
			t.Fatal(err)
		}
		meta = string(raw)
	}
	return serviceView{
		ID: r.ID, Status: r.Status, Detail: r.StatusDetail, Amount: r.TransactionAmount,
		Currency: r.CurrencyID, Reference: r.ExternalReference, Metadata: meta,
		ExpiresMillis: r.DateOfExpiration.UnixMilli(), TransactionData: r.PointOfInteraction.TransactionData,
	}
}

// plainGet reads a payment with drift off for a moment: the answer to
// compare a drifted one with.
func plainGet(t *testing.T, f *mercadopago.Fake, client payment.Client, id int) serviceView {
	t.Helper()
	f.SetDrift(false)
	defer f.SetDrift(true)
	r, err := client.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("get %d without drift: %v", id, err)
	}
	return viewOf(t, r)
}

// checkDrifted fails unless r decodes the drift's own marks, so that a test
// cannot pass against undrifted answers.
func checkDrifted(t *testing.T, what string, r *payment.Response) {
	t.Helper()
	masked := r.Payer.Email == "" || r.Payer.Email == "***"
	if r.Payer.ID != "3001234567" || !masked || r.IssuerID != "12501" || r.PaymentMethod.IssuerID != "12501" || r.ProcessingMode != "aggregator" {
		t.Errorf("%s: payer %+v, issuer_id %q, processing_mode %q; want the drift's", what, r.Payer, r.IssuerID, r.ProcessingMode)
	}
}

// TestSDKDecodesDriftedAnswers: with drift on, the SDK decodes every
// answer of creation, read, search and cancellation without error, and
// what the payment service reads comes out as it does without drift, for
// even and odd payment ids (the drift's two forms), with metadata and
// without.
func TestSDKDecodesDriftedAnswers(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	f.SetDrift(true)
	client := sdkClient(t, srv, "")
	ctx := context.Background()
	ref := "order-" + uuid.NewString()

	var ids []int
	withMeta := map[string]any{"orderId": ref, "paymentId": "p-1"}
	for i, meta := range []map[string]any{nil, nil, withMeta, withMeta} {
		created, err := client.Create(ctx, payment.Request{
			TransactionAmount: 42.5 + float64(i),
			PaymentMethodID:   "pix",
			Payer: &payment.PayerRequest{Email: "buyer@example.com", FirstName: "Ana", LastName: "Souza",
				Identification: &payment.IdentificationRequest{Type: "CPF", Number: "19119119100"}},
			ExternalReference: ref,
			Metadata:          meta,
		})
		if err != nil {
			t.Fatalf("create %d with drift: %v", i, err)
		}
		checkDrifted(t, "create", created)
		if got, want := viewOf(t, created), plainGet(t, f, client, created.ID); got != want {
			t.Errorf("create with drift reads\n%+v\nwithout\n%+v", got, want)
		}
		ids = append(ids, created.ID)
	}

	if _, err := f.Approve(ctx, int64(ids[0])); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		got, err := client.Get(ctx, id)
		if err != nil {
			t.Fatalf("get %d with drift: %v", id, err)
		}
		checkDrifted(t, "get", got)
		if view, want := viewOf(t, got), plainGet(t, f, client, id); view != want {
			t.Errorf("get with drift reads\n%+v\nwithout\n%+v", view, want)
		}
	}

	found, err := client.Search(ctx, payment.SearchRequest{Filters: map[string]string{"external_reference": ref, "criteria": "desc"}})
	if err != nil {
		t.Fatalf("search with drift: %v", err)
	}
	if found.Paging.Total != len(ids) || len(found.Results) != len(ids) {
		t.Fatalf("search = %+v, %d results; want %d", found.Paging, len(found.Results), len(ids))
	}
	for i := range found.Results {
		r := &found.Results[i]
		checkDrifted(t, "search", r)
		if view, want := viewOf(t, r), plainGet(t, f, client, r.ID); view != want {
			t.Errorf("search with drift reads\n%+v\nwithout\n%+v", view, want)
		}
	}

	cancelled, err := client.Cancel(ctx, ids[1])
	if err != nil {
		t.Fatalf("cancel with drift: %v", err)
	}
	checkDrifted(t, "cancel", cancelled)
	if view, want := viewOf(t, cancelled), plainGet(t, f, client, ids[1]); view != want || view.Status != mercadopago.StatusCancelled {
		t.Errorf("cancel with drift reads\n%+v\nwithout\n%+v", view, want)
	}
}
