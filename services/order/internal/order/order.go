package order

import (
	"slices"
	"time"

	"github.com/comanda/comanda/services/platform/money"
)

// Customer is who placed the order, as their token names them.
type Customer struct {
	ID   string
	Name string
}

// Item is one line of an order, priced when the order was placed.
type Item struct {
	ProductID string
	Name      string
	UnitPrice money.Cents
	Quantity  int
}

// Subtotal is the line's price.
func (i Item) Subtotal() money.Cents { return i.UnitPrice * money.Cents(i.Quantity) }

// HistoryEntry records when the order reached a status.
type HistoryEntry struct {
	Status Status
	At     time.Time
}

// Order is one customer order.
type Order struct {
	ID       string
	Customer Customer
	Status   Status
	Total    money.Cents
	Items    []Item
	Payment  *Payment // nil until the payment service reports one
	History  []HistoryEntry
	// CancellationReason says why a CANCELLED order was cancelled.
	CancellationReason string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// New returns a RECEIVED order of items placed at now.
func New(id string, c Customer, items []Item, now time.Time) Order {
	var total money.Cents
	for _, it := range items {
		total += it.Subtotal()
	}
	return Order{
		ID: id, Customer: c, Status: StatusReceived, Total: total, Items: items,
		History:   []HistoryEntry{{Status: StatusReceived, At: now}},
		CreatedAt: now, UpdatedAt: now,
	}
}

// Apply moves the order by trigger at the time at, recording every status it
// enters in the history; it returns those statuses, or ErrInvalidTransition
// (and leaves the order as it was) when the trigger does not fit.
func (o *Order) Apply(trigger Trigger, at time.Time) ([]Status, error) {
	path, err := Next(o.Status, trigger)
	if err != nil {
		return nil, err
	}
	for _, s := range path {
		if !o.Reached(s) {
			o.History = append(o.History, HistoryEntry{Status: s, At: at})
		}
	}
	o.Status = path[len(path)-1]
	o.UpdatedAt = at
	return path, nil
}

// Reached reports whether the history holds s.
func (o *Order) Reached(s Status) bool {
	return slices.ContainsFunc(o.History, func(h HistoryEntry) bool { return h.Status == s })
}

// SortHistory puts the history oldest first; statuses reached at the same
// instant (one trigger walking two steps) keep their lifecycle order.
func (o *Order) SortHistory() {
	slices.SortStableFunc(o.History, func(a, b HistoryEntry) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return a.Status.rank() - b.Status.rank()
	})
}
