package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	thousand := make([]int, 1000)
	for i := range thousand {
		thousand[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single p0", ms(7), 0, 7 * time.Millisecond},
		{"single p100", ms(7), 100, 7 * time.Millisecond},
		{"five p50", ms(15, 20, 35, 40, 50), 50, 35 * time.Millisecond},
		{"five p30", ms(15, 20, 35, 40, 50), 30, 20 * time.Millisecond},
		{"five p40 exact rank", ms(15, 20, 35, 40, 50), 40, 20 * time.Millisecond},
		{"five p100", ms(15, 20, 35, 40, 50), 100, 50 * time.Millisecond},
		{"hundred p99", ms(hundred...), 99, 99 * time.Millisecond},
		{"hundred p99.5", ms(hundred...), 99.5, 100 * time.Millisecond},
		{"hundred p50", ms(hundred...), 50, 50 * time.Millisecond},
		{"hundred p7 no float drift", ms(hundred...), 7, 7 * time.Millisecond},
		{"thousand p99.9", ms(thousand...), 99.9, 999 * time.Millisecond},
		{"hundred p1", ms(hundred...), 1, 1 * time.Millisecond},
		{"below range", ms(1, 2, 3), -5, 1 * time.Millisecond},
		{"above range", ms(1, 2, 3), 150, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}
