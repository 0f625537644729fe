package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/comanda/comanda/harness/apiclient"
)

// verdict is what the checks found.
type verdict struct {
	orders, terminal, lost, duplicated int
	deadLettered, injected             int
	strays                             int // dead letters that are not injected poison
}

// line is the one line the soak ends with.
func (v verdict) line() string {
	return fmt.Sprintf("soak: %d orders, %d terminal, %d lost, %d duplicated, %d dead-lettered (%d injected)",
		v.orders, v.terminal, v.lost, v.duplicated, v.deadLettered, v.injected)
}

func (v verdict) ok() bool {
	return v.terminal == v.orders && v.lost == 0 && v.duplicated == 0 && v.deadLettered == v.injected && v.strays == 0
}

// The histories of an order at each of its two ends.
var (
	deliveredHistory = []string{"RECEIVED", "AWAITING_PAYMENT", "PAID", "IN_PREPARATION", "READY", "DELIVERED"}
	cancelledHistory = []string{"RECEIVED", "AWAITING_PAYMENT", "CANCELLED"}
)

// verdict checks every order and the dead-letter queues.
func (s *soak) verdict(ctx context.Context) (verdict, error) {
	v := verdict{orders: len(s.orders)}
	listed, err := s.listedRecords(ctx)
	if err != nil {
		return v, fmt.Errorf("list the kitchen records: %w", err)
	}
	for _, d := range s.orders {
		terminal, lost, duplicated := s.check(ctx, d, listed)
		v.terminal += count(terminal)
		v.lost += count(lost)
		v.duplicated += count(duplicated)
	}
	dead, err := s.sys.DeadLetters(ctx)
	if err != nil {
		return v, err
	}
	poison := s.faults.injected()
	v.injected = len(poison)
	// Dead-lettering is at least once too (a consumer killed between the
	// copy to the dead-letter queue and the delete does it again): a
	// message counts once however many copies reached the queue.
	seen := map[string]bool{}
	for _, dl := range dead {
		if seen[dl.Body] {
			continue
		}
		seen[dl.Body] = true
		v.deadLettered++
		if !slices.ContainsFunc(poison, func(marker string) bool { return strings.Contains(dl.Body, marker) }) {
			v.strays++
			fmt.Fprintf(s.diag, "soak: dead-lettered from %s, not injected: %s (reason: %s)\n", dl.Queue, dl.Body, dl.Reason)
		}
	}
	return v, nil
}

// check reads one order's end state from every side and says whether it
// is terminal, lost or duplicated, telling why on the diagnostics. listed
// holds the kitchen records' ids by order id.
func (s *soak) check(ctx context.Context, d *driver, listed map[string]string) (terminal, lost, duplicated bool) {
	why := func(format string, args ...any) {
		fmt.Fprintf(s.diag, "soak: order %d (%s): %s\n", d.index, d.orderID, fmt.Sprintf(format, args...))
	}
	if d.orderID == "" {
		why("never placed")
		return false, true, false
	}
	var o apiclient.Order
	if err := s.get(ctx, "/order/"+d.orderID, &o); err != nil {
		why("not found: %v", err)
		return false, true, false
	}
	history := make([]string, len(o.History))
	for i, h := range o.History {
		history[i] = h.Status
	}
	mp, err := s.mp.List(ctx, d.orderID)
	if err != nil {
		why("Mercado Pago's payments unknown: %v", err)
		return false, true, false
	}
	twice := s.effects.twice(d.orderID)
	if len(mp) > 1 || len(twice) > 0 || hasRepeats(history) {
		why("applied twice: %d Mercado Pago payments, effects %v, history %v", len(mp), twice, history)
		duplicated = true
	}
	var p apiclient.Payment
	paymentErr := s.get(ctx, "/payment?order_id="+d.orderID, &p)
	k, kitchenErr := s.kitchenRecord(ctx, d, listed)
	switch o.Status {
	case "DELIVERED":
		terminal = slices.Equal(history, deliveredHistory) && paymentErr == nil && p.Status == "APPROVED" &&
			len(mp) == 1 && kitchenErr == nil && k.Status == "COMPLETED"
	case "CANCELLED":
		terminal = slices.Equal(history, cancelledHistory) && paymentErr == nil &&
			(p.Status == "REJECTED" || p.Status == "CANCELLED") && len(mp) <= 1 && kitchenErr != nil
	default:
		why("stuck at %s (history %v)", o.Status, history)
		return false, true, duplicated
	}
	if !terminal {
		why("ended %s but not consistently: history %v, payment %q (%v), %d Mercado Pago payments, kitchen %q (%v)",
			o.Status, history, p.Status, paymentErr, len(mp), k.Status, kitchenErr)
	}
	return terminal, false, duplicated
}

// errNoRecord is an order the kitchen never had.
var errNoRecord = errors.New("no kitchen record")

// kitchenRecord reads the order's kitchen record: by the id its driver
// found on the kitchen's screen, or else the one listed for the order.
func (s *soak) kitchenRecord(ctx context.Context, d *driver, listed map[string]string) (apiclient.KitchenOrder, error) {
	var k apiclient.KitchenOrder
	id := cmp.Or(d.recordID, listed[d.orderID])
	if id == "" {
		return k, errNoRecord
	}
	err := s.get(ctx, "/production/"+id, &k)
	return k, err
}

// listedRecords is every kitchen record's id by order id, as the kitchen's
// lists show them (GET /production, each status; at most the oldest 1,000
// of each).
func (s *soak) listedRecords(ctx context.Context) (map[string]string, error) {
	ids := map[string]string{}
	for _, status := range []string{"RECEIVED", "IN_PREPARATION", "COMPLETED"} {
		var list []apiclient.KitchenOrder
		if err := s.get(ctx, "/production?status="+status, &list); err != nil {
			return nil, err
		}
		for _, k := range list {
			ids[k.OrderID] = k.ID
		}
	}
	return ids, nil
}

// get reads path as the employee, retrying a while: the system is quiet
// by now, but a check must not fail on one dropped connection.
func (s *soak) get(ctx context.Context, path string, v any) error {
	var last error
	for range 3 {
		res, err := s.api.Do(ctx, "GET", path, s.staff, nil)
		if err == nil {
			if err = res.Expect(200, v); err == nil || res.Status == 404 {
				return err
			}
		}
		last = err
		sleep(ctx, 200*time.Millisecond)
	}
	return last
}

func hasRepeats(xs []string) bool {
	seen := map[string]bool{}
	for _, x := range xs {
		if seen[x] {
			return true
		}
		seen[x] = true
	}
	return false
}

func count(b bool) int {
	if b {
		return 1
	}
	return 0
}
