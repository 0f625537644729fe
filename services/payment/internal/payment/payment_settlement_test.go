package payment

import (
	"cmp"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/money"
)

// readBack is a Mercado Pago that answers every read with one payment, in
// states the fake does not reach on its own (a refund our webhook never saw
// approved, an approval for another amount).
type readBack struct{ mp ProviderPayment }

func (r readBack) CreatePix(context.Context, PixRequest) (ProviderPayment, error) { return r.mp, nil }
func (r readBack) Payment(context.Context, int64) (ProviderPayment, error)        { return r.mp, nil }
func (r readBack) FindByReference(context.Context, string) (ProviderPayment, error) {
	return r.mp, nil
}

// sentEvents records what would be published.
type sentEvents struct {
	mu    sync.Mutex
	names []string
}

func (s *sentEvents) Publish(_ context.Context, _ string, env events.Envelope) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.names = append(s.names, env.Meta.EventName)
	return nil
}

// Only "approved", for the payment's amount in reais, approves a payment;
// money going back is recorded on an approved payment and cancels one that
// was never approved here.
func TestSettlementIsCheckedNotTrusted(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	tests := []struct {
		name       string
		stored     Status
		mpStatus   string
		amount     int64 // cents Mercado Pago reports; the payment is 2590
		currency   string
		wantStatus Status
		wantEvent  string // "" for none
		reversal   string
		detail     string // status_detail, when not the status
	}{
		{"approved", StatusPending, "approved", 2590, "BRL", StatusApproved, events.PaymentCompleted, "", ""},
		{"approved for less", StatusPending, "approved", 1, "BRL", StatusPending, "", "", ""},
		{"approved for more", StatusPending, "approved", 2591, "BRL", StatusPending, "", "", ""},
		{"approved in dollars", StatusPending, "approved", 2590, "USD", StatusPending, "", "", ""},
		{"refunded, never approved here", StatusPending, "refunded", 2590, "BRL", StatusCancelled, events.PaymentFailed, "", ""},
		{"charged back, never approved here", StatusPending, "charged_back", 2590, "BRL", StatusCancelled, events.PaymentFailed, "", ""},
		{"disputed, never approved here", StatusPending, "in_mediation", 2590, "BRL", StatusPending, "", "", ""},
		{"refunded after approval", StatusApproved, "refunded", 2590, "BRL", StatusApproved, "", "refunded", ""},
		{"charged back after approval", StatusApproved, "charged_back", 2590, "BRL", StatusApproved, "", "charged_back", ""},
		{"disputed after approval", StatusApproved, "in_mediation", 2590, "BRL", StatusApproved, "", "in_mediation", ""},
		{"partly refunded after approval", StatusApproved, "approved", 2590, "BRL", StatusApproved, events.PaymentCompleted, "partially_refunded", "partially_refunded"},
		{"partly refunded, approval never seen", StatusPending, "approved", 2590, "BRL", StatusApproved, events.PaymentCompleted, "partially_refunded", "partially_refunded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newStoredPayment(uuid.NewString())
			p.Status = tt.stored
			if err := env.store().Create(t.Context(), p); err != nil {
				t.Fatal(err)
			}
			mp := ProviderPayment{ID: p.ProviderPaymentID, Status: tt.mpStatus, StatusDetail: cmp.Or(tt.detail, tt.mpStatus),
				ExternalReference: p.OrderID, Amount: money.Cents(tt.amount), Currency: tt.currency}
			sent := &sentEvents{}
			domain := NewPayments(env.store(), readBack{mp}, sent, creationSettings{TTL: time.Hour}, logging.Discard())
			if err := domain.HandleNotification(t.Context(), mp.ID); err != nil {
				t.Fatalf("HandleNotification: %v", err)
			}
			got, err := env.store().Get(t.Context(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.wantStatus || got.Reversal != tt.reversal {
				t.Errorf("payment is %s (reversal %q); want %s (%q)", got.Status, got.Reversal, tt.wantStatus, tt.reversal)
			}
			want := []string{}
			if tt.wantEvent != "" {
				want = []string{tt.wantEvent}
			}
			if len(sent.names) != len(want) || (len(want) == 1 && sent.names[0] != want[0]) {
				t.Errorf("published %v; want %v", sent.names, want)
			}
		})
	}
}

// A payment Mercado Pago reports approved at its creation is stored
// APPROVED only for our amount in reais.
func TestCreationApprovedForAnotherAmountStaysPending(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	tests := []struct {
		name     string
		amount   int64
		currency string
		want     Status
	}{
		{"our amount", 4200, "BRL", StatusApproved},
		{"less", 1, "BRL", StatusPending},
		{"in dollars", 4200, "USD", StatusPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, orderID := paymentRequest(t, uuid.NewString(), 4200)
			mp := ProviderPayment{ID: 7, Status: "approved", ExternalReference: orderID, Amount: money.Cents(tt.amount),
				Currency: tt.currency, ExpiresAt: time.Now().Add(time.Hour)}
			domain := NewPayments(env.store(), readBack{mp}, &sentEvents{}, creationSettings{TTL: time.Hour}, logging.Discard())
			if err := domain.HandlePaymentRequested(t.Context(), req); err != nil {
				t.Fatal(err)
			}
			got, err := env.store().Get(t.Context(), IDForOrder(orderID))
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.want {
				t.Errorf("stored %s; want %s", got.Status, tt.want)
			}
		})
	}
}
