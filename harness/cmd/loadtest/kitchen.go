package main

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/comanda/comanda/harness/apiclient"
)

// kitchen is the automated kitchen: it watches the queue of RECEIVED
// records as a kitchen screen would, and its cooks start and complete each.
type kitchen struct {
	api      *apiclient.Client
	staff    string
	cooks    int
	cookTime time.Duration
	poll     time.Duration // how often the screen is refreshed
	book     *book

	errors  atomic.Int64
	claimed map[string]bool // records handed to a cook, by the poller only
}

// run works until ctx ends.
func (k *kitchen) run(ctx context.Context) {
	k.claimed = map[string]bool{}
	jobs := make(chan apiclient.KitchenOrder, 1<<16)
	var wg sync.WaitGroup
	for range k.cooks {
		wg.Go(func() {
			for rec := range jobs {
				k.cook(ctx, rec)
			}
		})
	}
	defer wg.Wait()
	defer close(jobs)
	// A refresh lists every record waiting, which the emulator finds by
	// scanning the whole table: a screen refreshed as fast as it can
	// would cost more than the orders it shows.
	tick := time.NewTicker(k.poll)
	defer tick.Stop()
	for ctx.Err() == nil {
		// A record leaves the screen once started: only those still on
		// it need remembering (a run sees tens of thousands).
		recs, listed := k.waiting(ctx)
		claimed := make(map[string]bool, len(recs))
		for _, rec := range recs {
			if k.claimed[rec.ID] {
				claimed[rec.ID] = true
				continue
			}
			claimed[rec.ID] = true
			k.book.sawKitchen(rec.OrderID, rec.CreatedAt)
			jobs <- rec
		}
		if listed {
			k.claimed = claimed
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
		}
	}
}

// waiting lists the records no cook has started, oldest first; listed is
// false when the screen could not be refreshed.
func (k *kitchen) waiting(ctx context.Context) (recs []apiclient.KitchenOrder, listed bool) {
	res, err := k.api.Do(ctx, "GET", "/production?status=RECEIVED", k.staff, nil)
	if err == nil {
		err = res.Expect(200, &recs)
	}
	if err != nil {
		if ctx.Err() == nil {
			k.errors.Add(1)
			sleep(ctx, 50*time.Millisecond)
		}
		return nil, false
	}
	return recs, true
}

// cook starts the record, takes cookTime, and completes it.
func (k *kitchen) cook(ctx context.Context, rec apiclient.KitchenOrder) {
	if !k.advance(ctx, rec.ID, "started") {
		return
	}
	sleep(ctx, k.cookTime)
	if k.advance(ctx, rec.ID, "completed") {
		k.book.cooked(rec.OrderID)
	}
}

// advance moves the record on, trying a few times if the request fails.
func (k *kitchen) advance(ctx context.Context, id, move string) bool {
	for attempt := 0; attempt < 5 && ctx.Err() == nil; attempt++ {
		res, err := k.api.Do(ctx, "PUT", "/production/"+id+"/"+move, k.staff, nil)
		if err == nil && (res.Status == 200 || res.Status == 409) {
			// 409: a lost answer's request had already moved it on.
			return true
		}
		if ctx.Err() == nil {
			k.errors.Add(1)
		}
		sleep(ctx, 20*time.Millisecond)
	}
	return false
}

func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
