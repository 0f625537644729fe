package main

import (
	"slices"
	"time"
)

// The stages of an order, each timed from the moment the order service
// created it (post_order: the client's round trip of POST /order).
const (
	stagePost     = "post_order"
	stageAwaiting = "awaiting_payment"
	stagePaid     = "paid"
	stageKitchen  = "kitchen"
	stageReady    = "ready"
)

var stageOrder = []string{stagePost, stageAwaiting, stagePaid, stageKitchen, stageReady}

// since returns how long after the order's creation it reached stage, and
// whether it did.
func (o *order) since(stage string) (time.Duration, bool) {
	var at time.Time
	switch stage {
	case stagePost:
		return o.answered.Sub(o.sent), true
	case stageAwaiting:
		at = o.stages["AWAITING_PAYMENT"]
	case stagePaid:
		at = o.stages["PAID"]
	case stageKitchen:
		at = o.kitchen
	case stageReady:
		at = o.stages["READY"]
	}
	if at.IsZero() || o.created.IsZero() {
		return 0, false
	}
	return at.Sub(o.created), true
}

// spread is a latency distribution, in milliseconds.
type spread struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func spreadOf(ds []time.Duration) spread {
	if len(ds) == 0 {
		return spread{}
	}
	slices.Sort(ds)
	return spread{N: len(ds), P50: ms(percentile(ds, 50)), P95: ms(percentile(ds, 95)), P99: ms(percentile(ds, 99)), Max: ms(ds[len(ds)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// stageSpreads times every stage over orders.
func stageSpreads(orders []order) map[string]spread {
	out := map[string]spread{}
	for _, stage := range stageOrder {
		var ds []time.Duration
		for i := range orders {
			if d, ok := orders[i].since(stage); ok {
				ds = append(ds, d)
			}
		}
		out[stage] = spreadOf(ds)
	}
	return out
}

// readyWithin counts the orders that reached READY between from and to.
func readyWithin(orders []order, from, to time.Time) int {
	n := 0
	for i := range orders {
		at := orders[i].stages["READY"]
		if !at.IsZero() && !at.Before(from) && !at.After(to) {
			n++
		}
	}
	return n
}

// placedWithin counts the orders sent between from and to.
func placedWithin(orders []order, from, to time.Time) int {
	n := 0
	for i := range orders {
		if !orders[i].sent.Before(from) && !orders[i].sent.After(to) {
			n++
		}
	}
	return n
}

// unfinished counts the orders not READY (or further) at the end.
func unfinished(orders []order) int {
	n := 0
	for i := range orders {
		if orders[i].stages["READY"].IsZero() {
			n++
		}
	}
	return n
}
