package payment

import (
	"testing"

	"github.com/google/uuid"
)

func TestStatusFromProvider(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mp   string
		want Status
		ok   bool
	}{
		{"pending", StatusPending, true},
		{"in_process", StatusPending, true},
		{"authorized", StatusPending, true},
		{"approved", StatusApproved, true},
		{"refunded", StatusCancelled, true},
		{"charged_back", StatusCancelled, true},
		{"in_mediation", StatusPending, true},
		{"rejected", StatusRejected, true},
		{"cancelled", StatusCancelled, true},
		{"", "", false},
		{"APPROVED", "", false},
		{"something_new", "", false},
	}
	for _, tt := range tests {
		got, ok := statusFromProvider(tt.mp)
		if got != tt.want || ok != tt.ok {
			t.Errorf("statusFromProvider(%q) = %q, %v; want %q, %v", tt.mp, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCanAdvance(t *testing.T) {
	t.Parallel()
	all := []Status{StatusPending, StatusApproved, StatusRejected, StatusCancelled}
	for _, from := range all {
		for _, to := range all {
			want := from == StatusPending && to != StatusPending
			if got := CanAdvance(from, to); got != want {
				t.Errorf("CanAdvance(%s, %s) = %v; want %v", from, to, got, want)
			}
		}
	}
}

func TestIDForOrder(t *testing.T) {
	t.Parallel()
	order := uuid.NewString()
	id := IDForOrder(order)
	if id != IDForOrder(order) {
		t.Fatal("IDForOrder is not deterministic")
	}
	if id == IDForOrder(uuid.NewString()) {
		t.Fatal("two orders share a payment id")
	}
	parsed, err := uuid.Parse(id)
	if err != nil || parsed.Version() != 5 || parsed.String() != id {
		t.Fatalf("IDForOrder = %q (%v); want a canonical version 5 UUID", id, err)
	}
	// Pinned: a changed namespace would give every order a second payment.
	if got := IDForOrder("00000000-0000-0000-0000-000000000001"); got != pinnedPaymentID {
		t.Fatalf("IDForOrder(…0001) = %s; want %s", got, pinnedPaymentID)
	}
}

// pinnedPaymentID was computed with Python: uuid.uuid5(UUID("8c1f4e62-3a9d-4b57-9e0a-5d2c71b346e8"), "00000000-0000-0000-0000-000000000001").
const pinnedPaymentID = "1d4df19f-6506-59b9-b089-76f797318d9c"
