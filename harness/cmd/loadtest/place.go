package main

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/comanda/comanda/harness/apiclient"
)

// placer places orders as the virtual customers, into the book.
type placer struct {
	api  *apiclient.Client
	shop *shop
	book *book
}

// place has a random customer order a random basket; release, if given,
// frees the order's place in a window once the kitchen is done with it
// (at once if the order was not placed).
func (p *placer) place(ctx context.Context, rng *rand.Rand, phase string, release func()) {
	sent := time.Now()
	res, err := p.api.Do(ctx, "POST", "/order", p.shop.someone(rng).token, p.shop.basket(rng))
	answered := time.Now()
	var o apiclient.Order
	if err == nil {
		err = res.Expect(201, &o)
	}
	if err != nil {
		if ctx.Err() == nil {
			p.book.fail(phase)
		}
		if release != nil {
			release()
		}
		return
	}
	p.book.add(&order{id: o.ID, phase: phase, sent: sent, answered: answered, created: o.CreatedAt, release: release})
}

// steady places orders at rate per second, open loop, for d: an order is
// sent when it is due whether or not the earlier ones were answered.
func (p *placer) steady(ctx context.Context, phase string, rate float64, d time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	began := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
	for i := 0; ; i++ {
		sleep(ctx, time.Until(began.Add(time.Duration(i)*interval)))
		if ctx.Err() != nil {
			return
		}
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		wg.Go(func() { p.place(context.WithoutCancel(ctx), rng, phase, nil) })
	}
}

// windowed places orders from clients goroutines for d, never more than
// window of them in flight (placed and not yet completed by the kitchen).
func (p *placer) windowed(ctx context.Context, phase string, clients, window int, d time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	slots := make(chan struct{}, window)
	var wg sync.WaitGroup
	defer wg.Wait()
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 11))
			for {
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return
				}
				var once sync.Once
				p.place(context.WithoutCancel(ctx), rng, phase, func() { once.Do(func() { <-slots }) })
			}
		})
	}
}

// closed has clients each place orders back to back for d.
func (p *placer) closed(ctx context.Context, phase string, clients int, d time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 13))
			for ctx.Err() == nil {
				p.place(context.WithoutCancel(ctx), rng, phase, nil)
			}
		})
	}
}
