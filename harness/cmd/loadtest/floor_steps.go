package main

// The floor's steps: one order, straight-line, as floor.go describes.

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// floorWorker carries one order at a time through the flow, on a queue of
// its own.
type floorWorker struct {
	f     *floor
	queue string // its name, in the outbox's queue column
	url   string
}

// floorOrder is one order on its way.
type floorOrder struct {
	id          string
	correlation string
	next        string // the id of the event the next step takes
	payment     paymentItem
	record      kitchenItem
}

// floorStep is one step of the flow.
type floorStep struct {
	name string
	run  func(context.Context, *floorOrder) error
}

// order carries one order through every step.
func (w *floorWorker) order(ctx context.Context) error {
	o := &floorOrder{correlation: uuid.NewString()}
	for _, s := range w.steps() {
		if err := s.run(ctx, o); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

func (w *floorWorker) steps() []floorStep {
	return []floorStep{
		{"place the order", w.place},
		{"relay order-payment-requested", w.relay},
		{"create the payment", w.consume(w.createPayment)},
		{"apply payment-created", w.consume(w.applyToOrder)},
		{"webhook", w.approve},
		{"apply payment-completed", w.consume(w.applyToOrder)},
		{"relay order-paid", w.relay},
		{"make the kitchen record", w.consume(w.receiveInKitchen)},
		{"kitchen started", w.moveInKitchen(kitchenStarted)},
		{"apply production-started", w.consume(w.applyToOrder)},
		{"kitchen completed", w.moveInKitchen(kitchenCompleted)},
		{"apply production-completed", w.consume(w.applyToOrder)},
	}
}

// floorNow is the order service's clock: UTC, to the millisecond.
func floorNow() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
