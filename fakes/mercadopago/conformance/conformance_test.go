package conformance_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/mercadopago/sdk-go/pkg/payment"
)

// searchTimeout bounds the wait for a new payment to show in a search.
const searchTimeout = time.Minute

// TestCreateGetSearch: a PIX payment is created pending with what the
// buyer needs to pay, read back by id and found by its
// external_reference.
func TestCreateGetSearch(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		client := tg.payments(t, "")
		ref := newReference()
		req := pixRequest(ref)
		req.DateOfExpiration = at(45 * time.Minute)
		created := tg.create(t, client, req)
		if created.ID <= 0 || created.Status != "pending" || created.StatusDetail != "pending_waiting_transfer" {
			t.Errorf("created = id %d, %s/%s; want pending/pending_waiting_transfer", created.ID, created.Status, created.StatusDetail)
		}
		if created.PaymentMethodID != "pix" || created.PaymentTypeID != "bank_transfer" || created.CurrencyID != "BRL" ||
			created.TransactionAmount != 12.34 || created.ExternalReference != ref || created.LiveMode {
			t.Errorf("created = %s/%s %s %v, external_reference %q, live_mode %v", created.PaymentMethodID, created.PaymentTypeID,
				created.CurrencyID, created.TransactionAmount, created.ExternalReference, created.LiveMode)
		}
		if !created.DateOfExpiration.Equal(*req.DateOfExpiration) || !created.DateApproved.IsZero() || created.DateCreated.IsZero() {
			t.Errorf("dates: created %v, expires %v (sent %v), approved %v", created.DateCreated, created.DateOfExpiration, *req.DateOfExpiration, created.DateApproved)
		}
		if td := created.PointOfInteraction.TransactionData; td.QRCode == "" || td.QRCodeBase64 == "" || td.TicketURL == "" {
			t.Errorf("transaction_data = %+v; want qr_code, qr_code_base64 and ticket_url", td)
		}

		got, err := client.Get(t.Context(), created.ID)
		if err != nil || got.ID != created.ID || got.Status != "pending" || got.ExternalReference != ref {
			t.Errorf("get = %+v, %v", got, err)
		}

		search := payment.SearchRequest{Filters: map[string]string{"external_reference": ref}}
		waitFor(t, searchTimeout, "the search to find the payment", func() (bool, error) {
			found, err := client.Search(t.Context(), search)
			if err != nil {
				return false, err
			}
			return found.Paging.Total == 1 && len(found.Results) == 1 && found.Results[0].ID == created.ID, nil
		})
	})
}

// TestIdempotency: the same X-Idempotency-Key and body give the same
// payment; the same key with another body is refused with 409, the status
// docs/mercadopago.md gives (Mercado Pago does not publish one).
func TestIdempotency(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		client := tg.payments(t, uuid.NewString())
		ref := newReference()
		req := pixRequest(ref)
		first := tg.create(t, client, req)
		again, err := client.Create(t.Context(), req)
		if err != nil || again.ID != first.ID {
			t.Fatalf("the same key and body = %+v, %v; want payment %d again", again, err, first.ID)
		}
		req.TransactionAmount = 43.21
		_, err = client.Create(t.Context(), req)
		wantRefusal(t, "the same key with another amount", err, http.StatusConflict, "")

		search := payment.SearchRequest{Filters: map[string]string{"external_reference": ref}}
		waitFor(t, searchTimeout, "the search to find the payment", func() (bool, error) {
			found, err := client.Search(t.Context(), search)
			return err == nil && found.Paging.Total > 0, err
		})
		if found, err := client.Search(t.Context(), search); err != nil || found.Paging.Total != 1 {
			t.Errorf("payments for one key: %+v, %v; want 1", found, err)
		}
	})
}

// TestErrors: a wrong token is 401, an unknown payment 404, an invalid
// body 400 with Mercado Pago's cause.
func TestErrors(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		wrong := payment.NewClient(tg.config(t, "TEST-0000000000000000-000000-00000000000000000000000000000000-000000000", ""))
		_, err := wrong.Get(t.Context(), 1000000001)
		wantRefusal(t, "a wrong token", err, http.StatusUnauthorized, "")

		client := tg.payments(t, "")
		_, err = client.Get(t.Context(), 999999999999)
		wantRefusal(t, "an unknown payment", err, http.StatusNotFound, "2000")

		req := pixRequest(newReference())
		req.TransactionAmount = -1
		_, err = client.Create(t.Context(), req)
		wantRefusal(t, "a negative amount", err, http.StatusBadRequest, "4037")
	})
}

// TestExpiry: a date_of_expiration in the past is refused; a payment
// whose date_of_expiration passes ends cancelled/expired.
func TestExpiry(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		client := tg.payments(t, "")
		past := pixRequest(newReference())
		past.DateOfExpiration = at(-time.Hour)
		_, err := client.Create(t.Context(), past)
		wantRefusal(t, "a date_of_expiration in the past", err, http.StatusBadRequest, "4026")

		// 31 minutes: above the 30 minutes a PIX code is said to need at
		// the least on Mercado Pago.
		short := pixRequest(newReference())
		short.DateOfExpiration = at(31 * time.Minute)
		created := tg.create(t, client, short)
		if created.Status != "pending" {
			t.Fatalf("created %s/%s; want pending", created.Status, created.StatusDetail)
		}
		tg.onlyFake(t, "its PIX code runs out 31 minutes from now in real time; only the fake's clock can be moved")
		tg.advanceClock(t, 32*time.Minute)
		got, err := client.Get(t.Context(), created.ID)
		if err != nil || got.Status != "cancelled" || got.StatusDetail != "expired" {
			t.Errorf("after its date_of_expiration: %+v, %v; want cancelled/expired", got, err)
		}
	})
}

// TestCancel: the SDK's Cancel cancels a pending payment on the seller's
// behalf, and a cancelled payment cannot be cancelled again.
func TestCancel(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		client := tg.payments(t, "")
		created := tg.create(t, client, pixRequest(newReference()))
		cancelled, err := client.Cancel(t.Context(), created.ID)
		if err != nil || cancelled.Status != "cancelled" || cancelled.StatusDetail != "by_collector" {
			t.Fatalf("cancel = %+v, %v; want cancelled/by_collector", cancelled, err)
		}
		if got, err := client.Get(t.Context(), created.ID); err != nil || got.Status != "cancelled" {
			t.Errorf("get after cancel = %+v, %v", got, err)
		}
		_, err = client.Cancel(t.Context(), created.ID)
		wantRefusal(t, "a second cancel", err, http.StatusBadRequest, "")
	})
}
