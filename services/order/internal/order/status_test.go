package order

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestNext(t *testing.T) {
	t.Parallel()
	// want lists, for each trigger, the statuses it moves from and the path
	// it walks; every other (status, trigger) pair must be refused.
	want := map[Trigger]map[Status][]Status{
		TriggerPaymentCreated:   {StatusReceived: {StatusAwaitingPayment}},
		TriggerPaymentApproved:  {StatusAwaitingPayment: {StatusPaid}, StatusReceived: {StatusAwaitingPayment, StatusPaid}},
		TriggerPaymentFailed:    {StatusAwaitingPayment: {StatusCancelled}, StatusReceived: {StatusAwaitingPayment, StatusCancelled}},
		TriggerKitchenStarted:   {StatusPaid: {StatusInPreparation}},
		TriggerKitchenCompleted: {StatusInPreparation: {StatusReady}, StatusPaid: {StatusInPreparation, StatusReady}},
		TriggerDelivered:        {StatusReady: {StatusDelivered}},
	}
	for trigger, froms := range want {
		for _, from := range Statuses() {
			got, err := Next(from, trigger)
			path, ok := froms[from]
			switch {
			case ok && (err != nil || !slices.Equal(got, path)):
				t.Errorf("Next(%s, %s) = %v, %v; want %v", from, trigger, got, err, path)
			case !ok && !errors.Is(err, ErrInvalidTransition):
				t.Errorf("Next(%s, %s) = %v, %v; want ErrInvalidTransition", from, trigger, got, err)
			}
		}
	}
}

func TestNextFinalStatusesAreFinal(t *testing.T) {
	t.Parallel()
	triggers := []Trigger{TriggerPaymentCreated, TriggerPaymentApproved, TriggerPaymentFailed,
		TriggerKitchenStarted, TriggerKitchenCompleted, TriggerDelivered}
	for _, from := range []Status{StatusDelivered, StatusCancelled} {
		for _, tr := range triggers {
			if _, err := Next(from, tr); !errors.Is(err, ErrInvalidTransition) {
				t.Errorf("Next(%s, %s) = %v; want ErrInvalidTransition", from, tr, err)
			}
		}
	}
}

func TestOrderApply(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name     string
		triggers []Trigger
		status   Status
		history  []Status
	}{
		{"happy path", []Trigger{TriggerPaymentCreated, TriggerPaymentApproved, TriggerKitchenStarted, TriggerKitchenCompleted, TriggerDelivered},
			StatusDelivered, []Status{StatusReceived, StatusAwaitingPayment, StatusPaid, StatusInPreparation, StatusReady, StatusDelivered}},
		{"approval before creation", []Trigger{TriggerPaymentApproved, TriggerPaymentCreated},
			StatusPaid, []Status{StatusReceived, StatusAwaitingPayment, StatusPaid}},
		{"second approval", []Trigger{TriggerPaymentCreated, TriggerPaymentApproved, TriggerPaymentApproved},
			StatusPaid, []Status{StatusReceived, StatusAwaitingPayment, StatusPaid}},
		{"failure before creation", []Trigger{TriggerPaymentFailed},
			StatusCancelled, []Status{StatusReceived, StatusAwaitingPayment, StatusCancelled}},
		{"failure after payment", []Trigger{TriggerPaymentApproved, TriggerPaymentFailed},
			StatusPaid, []Status{StatusReceived, StatusAwaitingPayment, StatusPaid}},
		{"completion before start", []Trigger{TriggerPaymentApproved, TriggerKitchenCompleted, TriggerKitchenStarted},
			StatusReady, []Status{StatusReceived, StatusAwaitingPayment, StatusPaid, StatusInPreparation, StatusReady}},
		{"delivery too early", []Trigger{TriggerPaymentApproved, TriggerDelivered},
			StatusPaid, []Status{StatusReceived, StatusAwaitingPayment, StatusPaid}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := New("o", Customer{ID: "c"}, nil, t0)
			for i, tr := range tc.triggers {
				_, _ = o.Apply(tr, t0.Add(time.Duration(i+1)*time.Second))
			}
			if o.Status != tc.status {
				t.Errorf("status = %s; want %s", o.Status, tc.status)
			}
			if got := historyStatuses(o); !slices.Equal(got, tc.history) {
				t.Errorf("history = %v; want %v", got, tc.history)
			}
		})
	}
}

func TestApplyRefusedLeavesOrderAlone(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	o := New("o", Customer{ID: "c"}, nil, t0)
	if _, err := o.Apply(TriggerDelivered, t0.Add(time.Minute)); !errors.Is(err, ErrInvalidTransition) {
		t.Fatalf("Apply = %v; want ErrInvalidTransition", err)
	}
	if o.Status != StatusReceived || len(o.History) != 1 || !o.UpdatedAt.Equal(t0) {
		t.Fatalf("refused trigger changed the order: %+v", o)
	}
}

func TestSortHistoryKeepsLifecycleOrderAtOneInstant(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	o := Order{History: []HistoryEntry{{StatusPaid, t0.Add(time.Second)}, {StatusAwaitingPayment, t0.Add(time.Second)}, {StatusReceived, t0}}}
	o.SortHistory()
	want := []Status{StatusReceived, StatusAwaitingPayment, StatusPaid}
	if got := historyStatuses(o); !slices.Equal(got, want) {
		t.Fatalf("history = %v; want %v", got, want)
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	for _, s := range Statuses() {
		if got, err := ParseStatus(string(s)); err != nil || got != s {
			t.Errorf("ParseStatus(%s) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "paid", "SHIPPED"} {
		if _, err := ParseStatus(s); err == nil {
			t.Errorf("ParseStatus(%q) accepted", s)
		}
	}
}

func historyStatuses(o Order) []Status {
	out := make([]Status, len(o.History))
	for i, h := range o.History {
		out[i] = h.Status
	}
	return out
}
