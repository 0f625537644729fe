package main

import (
	"context"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/comanda/comanda/harness/apiclient"
)

// drain waits until the kitchen has completed every order of phase, or
// until max has passed; it returns how many it still has not.
func drain(ctx context.Context, b *book, phase string, max time.Duration) int {
	deadline := time.Now().Add(max)
	for ctx.Err() == nil && time.Now().Before(deadline) {
		if b.uncooked(phase) == 0 {
			return 0
		}
		sleep(ctx, 20*time.Millisecond)
	}
	return b.uncooked(phase)
}

// collect reads every order of phase back, as an employee, and keeps the
// time each status was reached; an order not READY yet is read again
// until it is or until max has passed.
func collect(ctx context.Context, api *apiclient.Client, staff string, orders []*order, max time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, max)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(32)
	for _, o := range orders {
		g.Go(func() error {
			for gctx.Err() == nil {
				var got apiclient.Order
				res, err := api.Do(gctx, "GET", "/order/"+o.id, staff, nil)
				if err == nil && res.Expect(200, &got) == nil {
					o.stages = map[string]time.Time{}
					for _, h := range got.History {
						o.stages[h.Status] = h.At
					}
					if got.Status == "READY" || got.Status == "DELIVERED" || got.Status == "CANCELLED" {
						return nil
					}
				}
				sleep(gctx, 50*time.Millisecond)
			}
			return nil
		})
	}
	_ = g.Wait()
}
