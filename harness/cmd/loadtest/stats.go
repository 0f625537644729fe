package main

import (
	"math"
	"time"
)

// percentile returns the nearest-rank p-th percentile (p in 0..100) of
// sorted, which must be in ascending order: the smallest value with at
// least p% of the values at or below it. Nearest rank always answers with a
// latency that was actually observed, never an interpolation. An empty
// slice gives 0; p outside 0..100 is clamped.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// p*n first: p/100*n turns 7% of 100 into 7.000000000000001, rank 8.
	rank := int(math.Ceil(p * float64(n) / 100))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}
