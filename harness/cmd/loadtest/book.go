package main

import (
	"sync"
	"time"
)

// order is one order placed by the tool, and what became of it.
type order struct {
	id    string
	phase string
	// sent and answered are the client's clock around POST /order.
	sent, answered time.Time
	// The services' own timestamps: created, and when each stage was reached.
	created time.Time
	stages  map[string]time.Time
	kitchen time.Time // the kitchen record's created_at
	cooked  bool      // the automated kitchen completed its record
	release func()    // frees the order's place in the flow window, once
}

// book keeps every order placed, by phase and by id.
type book struct {
	mu      sync.Mutex
	byID    map[string]*order
	byPhase map[string][]*order
	failed  map[string]int // POST /order that did not answer 201, by phase
	// early holds kitchen news of orders whose POST had not returned yet.
	early map[string]*order
}

func newBook() *book {
	return &book{byID: map[string]*order{}, byPhase: map[string][]*order{}, failed: map[string]int{}, early: map[string]*order{}}
}

func (b *book) add(o *order) {
	b.mu.Lock()
	b.byID[o.id] = o
	b.byPhase[o.phase] = append(b.byPhase[o.phase], o)
	news, early := b.early[o.id]
	if early {
		delete(b.early, o.id)
		o.kitchen = news.kitchen
	}
	b.mu.Unlock()
	if early && news.cooked {
		b.cooked(o.id)
	}
}

func (b *book) fail(phase string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failed[phase]++
}

// sawKitchen notes when the kitchen record of an order was made.
func (b *book) sawKitchen(orderID string, at time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o := b.known(orderID)
	if o.kitchen.IsZero() {
		o.kitchen = at
	}
}

// cooked notes that the kitchen completed an order, freeing its place in
// the flow window.
func (b *book) cooked(orderID string) {
	b.mu.Lock()
	o := b.known(orderID)
	var release func()
	if !o.cooked {
		o.cooked, release, o.release = true, o.release, nil
	}
	b.mu.Unlock()
	if release != nil {
		release()
	}
}

// known returns the order with id, or the note kept for it until its POST
// returns. b.mu is held.
func (b *book) known(id string) *order {
	if o, ok := b.byID[id]; ok {
		return o
	}
	if b.early[id] == nil {
		b.early[id] = &order{id: id}
	}
	return b.early[id]
}

// snapshot copies a phase's orders as they stand.
func (b *book) snapshot(phase string) []order {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]order, len(b.byPhase[phase]))
	for i, o := range b.byPhase[phase] {
		out[i] = *o
		out[i].release = nil
	}
	return out
}

// orders returns a phase's orders.
func (b *book) orders(phase string) []*order {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*order(nil), b.byPhase[phase]...)
}

// uncooked counts a phase's orders the kitchen has not completed yet.
func (b *book) uncooked(phase string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, o := range b.byPhase[phase] {
		if !o.cooked {
			n++
		}
	}
	return n
}

func (b *book) failures(phase string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.failed[phase]
}
