package production

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
)

func TestTransitionTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		action  string
		from    Status
		to      Status // "" when not allowed
		event   string
		unknown bool
	}{
		{action: "started", from: StatusReceived, to: StatusInPreparation, event: events.ProductionStarted},
		{action: "started", from: StatusInPreparation},
		{action: "started", from: StatusCompleted},
		{action: "completed", from: StatusReceived},
		{action: "completed", from: StatusInPreparation, to: StatusCompleted, event: events.ProductionCompleted},
		{action: "completed", from: StatusCompleted},
		{action: "delivered", from: StatusCompleted, unknown: true},
		{action: "", from: StatusReceived, unknown: true},
	}
	for _, c := range cases {
		tr, ok := TransitionFor(c.action)
		if ok == c.unknown {
			t.Errorf("TransitionFor(%q) ok = %v; want %v", c.action, ok, !c.unknown)
			continue
		}
		if c.unknown {
			continue
		}
		err := tr.Check(c.from)
		switch {
		case c.to == "" && !errors.Is(err, ErrInvalidTransition):
			t.Errorf("%s from %s: err = %v; want ErrInvalidTransition", c.action, c.from, err)
		case c.to != "" && (err != nil || tr.To != c.to || tr.Event != c.event):
			t.Errorf("%s from %s: err %v, to %s, event %s; want %s, %s", c.action, c.from, err, tr.To, tr.Event, c.to, c.event)
		}
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"RECEIVED", "IN_PREPARATION", "COMPLETED"} {
		if got, err := ParseStatus(s); err != nil || string(got) != s {
			t.Errorf("ParseStatus(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "received", "READY", "PAID"} {
		if _, err := ParseStatus(s); !errors.Is(err, ErrUnknownStatus) {
			t.Errorf("ParseStatus(%q) err = %v; want ErrUnknownStatus", s, err)
		}
	}
}

func TestNewRecord(t *testing.T) {
	t.Parallel()
	orderID := uuid.NewString()
	now := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("BRT", -3*3600))
	good := events.OrderPaidPayload{OrderID: orderID, CustomerName: "Ana", Items: []events.OrderItem{{Name: "X-Burger", Quantity: 2}}}
	rec, err := NewRecord(good, now)
	if err != nil {
		t.Fatal(err)
	}
	if rec.ID != RecordID(orderID) || rec.ID == orderID || rec.Status != StatusReceived || rec.CustomerName != "Ana" ||
		len(rec.Items) != 1 || rec.Items[0] != (Item{Name: "X-Burger", Quantity: 2}) {
		t.Errorf("record = %+v", rec)
	}
	if rec.CreatedAt.Location() != time.UTC || rec.CreatedAt.Nanosecond() != 123456000 || !rec.UpdatedAt.Equal(rec.CreatedAt) {
		t.Errorf("created_at = %v; want UTC, microseconds", rec.CreatedAt)
	}
	if again := RecordID(orderID); again != rec.ID || again == RecordID(uuid.NewString()) {
		t.Error("RecordID is not a deterministic function of the order id")
	}
	bad := []events.OrderPaidPayload{
		{OrderID: "not-a-uuid", Items: good.Items},
		{OrderID: orderID},
		{OrderID: orderID, Items: []events.OrderItem{{Name: "X", Quantity: 0}}},
		{OrderID: orderID, Items: []events.OrderItem{{Quantity: 1}}},
	}
	for _, p := range bad {
		if _, err := NewRecord(p, now); err == nil {
			t.Errorf("NewRecord(%+v) succeeded; want an error", p)
		}
	}
}
