package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/harness/apiclient"
)

// driver takes one order from the totem to its end, as a customer, Mercado
// Pago, the kitchen and the counter would. Every step reads where the order
// stands first, so a driver can be run again, and a request whose answer a
// fault lost is simply tried again.
type driver struct {
	s       *soak
	index   int
	approve bool // Mercado Pago approves this order's payment; else it rejects it
	lines   []map[string]any

	token    string
	orderID  string
	recordID string // the order's kitchen record, once found on the kitchen's screen
	paid     bool   // Mercado Pago was told to approve or reject
	done     atomic.Bool
}

func newDriver(s *soak, index int, rng *rand.Rand) *driver {
	d := &driver{s: s, index: index, approve: rng.Float64() >= s.cfg.RejectShare}
	for range 1 + rng.IntN(3) {
		d.lines = append(d.lines, map[string]any{"product_id": s.menu[rng.IntN(len(s.menu))], "quantity": 1 + rng.IntN(3)})
	}
	return d
}

// finished reports whether the order reached its end.
func (d *driver) finished() bool { return d.done.Load() }

// run drives the order until it is DELIVERED or CANCELLED, or ctx ends.
func (d *driver) run(ctx context.Context) {
	if err := d.place(ctx); err != nil {
		return
	}
	for ctx.Err() == nil {
		o, err := d.order(ctx)
		if err == nil {
			if d.step(ctx, o) {
				d.done.Store(true)
				return
			}
		}
		sleep(ctx, 100*time.Millisecond)
	}
}

// step does what the order's status calls for; true once it is at its end.
func (d *driver) step(ctx context.Context, o apiclient.Order) bool {
	switch o.Status {
	case "AWAITING_PAYMENT":
		if !d.paid && o.Payment != nil {
			d.paid = d.pay(ctx) == nil
		}
	case "PAID":
		d.kitchen(ctx, "started", "RECEIVED")
	case "IN_PREPARATION":
		d.kitchen(ctx, "completed", "IN_PREPARATION")
	case "READY":
		_, _ = d.s.api.Do(ctx, "PUT", "/order/"+d.orderID+"/delivered", d.s.staff, nil)
	case "DELIVERED", "CANCELLED":
		return true
	}
	return false
}

// place gets an anonymous customer and places the order once: after a
// request whose answer was lost, the customer's list says whether it was
// placed.
func (d *driver) place(ctx context.Context) error {
	if d.orderID != "" {
		return nil
	}
	err := retry(ctx, func() error {
		res, err := d.s.api.Do(ctx, "POST", "/auth/token", "", map[string]string{})
		if err != nil {
			return err
		}
		var tok apiclient.Token
		if err := res.Expect(200, &tok); err != nil {
			return err
		}
		d.token = tok.AccessToken
		return nil
	})
	if err != nil {
		return err
	}
	return retry(ctx, func() error {
		if id, err := d.placedBefore(ctx); err != nil || id != "" {
			d.orderID = id
			return err
		}
		res, err := d.s.api.Do(ctx, "POST", "/order", d.token, map[string]any{"items": d.lines})
		if err != nil {
			return err
		}
		var o apiclient.Order
		if err := res.Expect(201, &o); err != nil {
			return err
		}
		d.orderID = o.ID
		return nil
	})
}

// placedBefore returns the customer's order, if a lost answer hid it.
func (d *driver) placedBefore(ctx context.Context) (string, error) {
	res, err := d.s.api.Do(ctx, "GET", "/order", d.token, nil)
	if err != nil {
		return "", err
	}
	var list []apiclient.Order
	if err := res.Expect(200, &list); err != nil {
		return "", err
	}
	if len(list) > 1 {
		return "", fmt.Errorf("customer %d has %d orders; want one", d.index, len(list))
	}
	if len(list) == 1 {
		return list[0].ID, nil
	}
	return "", nil
}

func (d *driver) order(ctx context.Context) (apiclient.Order, error) {
	var o apiclient.Order
	res, err := d.s.api.Do(ctx, "GET", "/order/"+d.orderID, d.token, nil)
	if err != nil {
		return o, err
	}
	return o, res.Expect(200, &o)
}

// pay has Mercado Pago approve or reject the order's payment; the webhook
// follows. A payment already settled counts as done.
func (d *driver) pay(ctx context.Context) error {
	payments, err := d.s.mp.List(ctx, d.orderID)
	if err != nil {
		return err
	}
	if len(payments) == 0 {
		return fmt.Errorf("no Mercado Pago payment for order %s yet", d.orderID)
	}
	verb := "reject"
	if d.approve {
		verb = "approve"
	}
	_, err = d.s.mp.Act(ctx, payments[0].ID, verb, nil)
	if errors.Is(err, mercadopago.ErrInvalidTransition) {
		return nil
	}
	return err
}

// kitchen asks the kitchen to start or complete the order. The first time,
// it finds the order's record on the kitchen's screen, the records in
// status, as an employee would; not there yet, or an answer lost, the next
// look at the order sorts it out, as it does a 409 (already done).
func (d *driver) kitchen(ctx context.Context, move, status string) {
	if d.recordID == "" {
		records, err := d.s.kitchenRecords(ctx, status)
		if err != nil {
			return
		}
		if d.recordID = records[d.orderID]; d.recordID == "" {
			return
		}
	}
	_, _ = d.s.api.Do(ctx, "PUT", "/production/"+d.recordID+"/"+move, d.s.staff, nil)
}

// kitchenRecords lists the kitchen records in status (GET /production),
// their ids by order id.
func (s *soak) kitchenRecords(ctx context.Context, status string) (map[string]string, error) {
	res, err := s.api.Do(ctx, "GET", "/production?status="+status, s.staff, nil)
	if err != nil {
		return nil, err
	}
	var list []apiclient.KitchenOrder
	if err := res.Expect(200, &list); err != nil {
		return nil, err
	}
	ids := make(map[string]string, len(list))
	for _, k := range list {
		ids[k.OrderID] = k.ID
	}
	return ids, nil
}
