package mercadopago_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/google/uuid"
)

// verb is a control method under test.
type verb func(*mercadopago.Fake, context.Context, int64) (mercadopago.Payment, error)

func TestStateMachine(t *testing.T) {
	t.Parallel()
	verbs := map[string]verb{
		"approve":     (*mercadopago.Fake).Approve,
		"reject":      (*mercadopago.Fake).Reject,
		"expire":      (*mercadopago.Fake).Expire,
		"refund":      (*mercadopago.Fake).Refund,
		"process":     (*mercadopago.Fake).Process,
		"authorize":   (*mercadopago.Fake).Authorize,
		"dispute":     (*mercadopago.Fake).Dispute,
		"charge-back": (*mercadopago.Fake).ChargeBack,
	}
	// reach lists the verbs that take a new payment to each state.
	reach := map[string][]string{
		"pending":      nil,
		"in_process":   {"process"},
		"authorized":   {"authorize"},
		"approved":     {"approve"},
		"rejected":     {"reject"},
		"cancelled":    {"expire"},
		"refunded":     {"approve", "refund"},
		"in_mediation": {"approve", "dispute"},
		"charged_back": {"approve", "charge-back"},
	}
	// allowed is the whole state machine: from, verb → status/detail.
	allowed := map[string]map[string]string{
		"pending": {"approve": "approved/accredited", "reject": "rejected/rejected_by_bank", "expire": "cancelled/expired",
			"process": "in_process/pending_review_manual", "authorize": "authorized/pending_capture"},
		"in_process":   {"approve": "approved/accredited", "reject": "rejected/rejected_by_bank", "authorize": "authorized/pending_capture"},
		"authorized":   {"approve": "approved/accredited", "reject": "rejected/rejected_by_bank"},
		"approved":     {"refund": "refunded/refunded", "dispute": "in_mediation/in_mediation", "charge-back": "charged_back/settled"},
		"in_mediation": {"charge-back": "charged_back/settled"},
	}
	for from, path := range reach {
		for name, act := range verbs {
			t.Run(from+"/"+name, func(t *testing.T) {
				t.Parallel()
				f, srv, _ := newTestFake(t)
				ctx := context.Background()
				p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
				for _, step := range path {
					if _, err := verbs[step](f, ctx, p.ID); err != nil {
						t.Fatalf("reach %s: %s: %v", from, step, err)
					}
				}
				got, err := act(f, ctx, p.ID)
				want, ok := allowed[from][name]
				if !ok {
					wantMsg := fmt.Sprintf("payment %d is %s; it cannot %s", p.ID, from, name)
					if !errors.Is(err, mercadopago.ErrInvalidTransition) || err.Error() != wantMsg {
						t.Errorf("err = %v, want %q (ErrInvalidTransition)", err, wantMsg)
					}
					if now, _ := f.Payment(p.ID); now.Status != from {
						t.Errorf("status after refused %s = %s, want %s", name, now.Status, from)
					}
					return
				}
				if err != nil || got.Status+"/"+got.StatusDetail != want {
					t.Errorf("got %s/%s, %v; want %s", got.Status, got.StatusDetail, err, want)
				}
			})
		}
	}
}

// TestRejectionDetails: reject takes any of Mercado Pago's reasons, through
// the control API too, and refuses one it does not know.
func TestRejectionDetails(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	for _, reason := range mercadopago.RejectionDetails() {
		p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
		got, err := f.RejectFor(context.Background(), p.ID, reason)
		if err != nil || got.Status != "rejected" || got.StatusDetail != reason {
			t.Errorf("reject for %s = %s/%s, %v", reason, got.Status, got.StatusDetail, err)
		}
	}
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	if status, raw := controlCall(t, "POST", fmt.Sprintf("%s/_fake/payments/%d/reject?detail=rejected_high_risk", srv.URL, p.ID)); status != 200 ||
		!strings.Contains(string(raw), `"status_detail":"rejected_high_risk"`) {
		t.Errorf("POST reject?detail=rejected_high_risk = %d %s", status, raw)
	}
	if status, raw := controlCall(t, "POST", fmt.Sprintf("%s/_fake/payments/%d/reject?detail=bored", srv.URL, p.ID)); status != 400 {
		t.Errorf("POST reject?detail=bored = %d %s; want 400", status, raw)
	}
}

func TestControlUnknownPayment(t *testing.T) {
	t.Parallel()
	f, _, _ := newTestFake(t)
	if _, err := f.Approve(context.Background(), 42); !errors.Is(err, mercadopago.ErrNotFound) {
		t.Errorf("approve unknown: err = %v, want ErrNotFound", err)
	}
	if _, ok := f.Payment(42); ok {
		t.Error("Payment(42) found a payment that was never created")
	}
}

func TestApproveSetsDates(t *testing.T) {
	t.Parallel()
	f, srv, clock := newTestFake(t)
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), ""))
	clock.Advance(3 * time.Minute)
	got, err := f.Approve(context.Background(), p.ID)
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	if !got.DateApproved.Equal(clock.Now()) || !got.DateLastUpdated.Equal(clock.Now()) || !got.DateCreated.Equal(p.DateCreated.Time) {
		t.Errorf("dates = created %v, approved %v, updated %v", got.DateCreated, got.DateApproved, got.DateLastUpdated)
	}
	if got.TransactionDetails.NetReceivedAmount != got.TransactionAmount {
		t.Errorf("net_received_amount = %v", got.TransactionDetails.NetReceivedAmount)
	}
}

func TestExpiryFollowsTheClock(t *testing.T) {
	t.Parallel()
	f, srv, clock := newTestFake(t)
	hook := newReceiver(t, always(200))
	p := createPayment(t, srv, pixRequest("order-"+uuid.NewString(), hook.url()))

	clock.Advance(29 * time.Minute)
	if got, _ := f.Payment(p.ID); got.Status != "pending" {
		t.Fatalf("after 29 min: %s, want pending", got.Status)
	}
	clock.Advance(2 * time.Minute)
	if got, _ := f.FindByExternalReference(p.ExternalReference); got.Status+"/"+got.StatusDetail != "cancelled/expired" {
		t.Fatalf("after 31 min: %s/%s, want cancelled/expired", got.Status, got.StatusDetail)
	}
	if _, err := f.Approve(context.Background(), p.ID); !errors.Is(err, mercadopago.ErrInvalidTransition) {
		t.Errorf("approve an expired payment: err = %v", err)
	}
	eventually(t, 30*time.Second, "the expiry webhook", func() bool {
		for _, d := range f.Deliveries() {
			if d.PaymentID == p.ID && d.Action == "payment.updated" && d.OK() {
				return true
			}
		}
		return false
	})
}
