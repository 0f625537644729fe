package conformance_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
)

// noApproval is why refunds of an approved payment run on the fake only.
const noApproval = "a sandbox PIX test payment is never approved, so there is nothing to refund"

// TestRefundOfAPendingPaymentIsRefused: the SDK's refund client on a
// payment nobody paid is a 400 (cause 2063: not valid for the payment's
// state), on both targets.
func TestRefundOfAPendingPaymentIsRefused(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		created := tg.create(t, tg.payments(t, ""), pixRequest(newReference()))
		_, err := tg.refunds(t, "").Create(t.Context(), created.ID)
		wantRefusal(t, "a refund of a pending payment", err, http.StatusBadRequest, "2063")
	})
}

// TestPartialThenFullRefund: a partial refund leaves the payment
// approved/partially_refunded, the full refund gives back what remains
// and makes it refunded/refunded; a refund of more than remains is 400.
func TestPartialThenFullRefund(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		payments := tg.payments(t, "")
		created := tg.create(t, payments, pixRequest(newReference()))
		tg.onlyFake(t, noApproval)
		tg.act(t, created.ID, "approve")
		refunds := tg.refunds(t, "")

		partial, err := refunds.CreatePartialRefund(t.Context(), created.ID, 2.34)
		if err != nil || partial.Amount != 2.34 || partial.PaymentID != created.ID || partial.Status != "approved" {
			t.Fatalf("partial refund = %+v, %v", partial, err)
		}
		got, err := payments.Get(t.Context(), created.ID)
		if err != nil || got.Status != "approved" || got.StatusDetail != "partially_refunded" || got.TransactionAmountRefunded != 2.34 {
			t.Errorf("after a partial refund: %+v, %v; want approved/partially_refunded, 2.34 refunded", got, err)
		}
		_, err = refunds.CreatePartialRefund(t.Context(), created.ID, 10.01)
		wantRefusal(t, "a refund of more than remains", err, http.StatusBadRequest, "")

		full, err := refunds.Create(t.Context(), created.ID)
		if err != nil || full.Amount != 10 {
			t.Fatalf("full refund = %+v, %v; want the 10.00 that remained", full, err)
		}
		if got, err = payments.Get(t.Context(), created.ID); err != nil || got.Status != "refunded" || got.StatusDetail != "refunded" {
			t.Errorf("after the full refund: %+v, %v; want refunded/refunded", got, err)
		}
		list, err := refunds.List(t.Context(), created.ID)
		if err != nil || len(list) != 2 || list[0].ID != partial.ID || list[1].ID != full.ID {
			t.Errorf("refunds = %+v, %v; want the partial one, then the full one", list, err)
		}
		if one, err := refunds.Get(t.Context(), created.ID, partial.ID); err != nil || one.Amount != 2.34 {
			t.Errorf("get refund = %+v, %v", one, err)
		}
	})
}

// TestRefundIdempotency: a refund retried with its X-Idempotency-Key gets
// the refund made the first time.
func TestRefundIdempotency(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		created := tg.create(t, tg.payments(t, ""), pixRequest(newReference()))
		tg.onlyFake(t, noApproval)
		tg.act(t, created.ID, "approve")
		refunds := tg.refunds(t, uuid.NewString())
		first, err := refunds.CreatePartialRefund(t.Context(), created.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		again, err := refunds.CreatePartialRefund(t.Context(), created.ID, 1)
		if err != nil || again.ID != first.ID {
			t.Errorf("the same key = %+v, %v; want refund %d again", again, err, first.ID)
		}
		if list, err := refunds.List(t.Context(), created.ID); err != nil || len(list) != 1 {
			t.Errorf("refunds = %+v, %v; want one", list, err)
		}
	})
}
