package mercadopago

import (
	"fmt"
	"strings"
	"time"
)

// MercadoPagoRetrySchedule is the delays between a webhook's attempts that
// Mercado Pago publishes: retries 15 minutes, 30 minutes, 6 hours, 48
// hours and 96 hours after the first attempt, each given 22 s to answer.
// Played on the fake's clock, `fakepay clock advance 96h` runs all of them
// at once.
func MercadoPagoRetrySchedule() []time.Duration {
	return []time.Duration{15 * time.Minute, 15 * time.Minute, 5*time.Hour + 30*time.Minute, 42 * time.Hour, 48 * time.Hour}
}

// QuickRetrySchedule is Mercado Pago's ladder compressed into eight
// seconds, for tests and a sandbox that should not wait for the clock.
func QuickRetrySchedule() []time.Duration {
	return []time.Duration{100 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second, 5 * time.Second}
}

// ParseRetrySchedule reads a schedule as the command line and the control
// API take it: "mercadopago", "quick", "none", or delays between attempts
// such as "100ms,1s,5s".
func ParseRetrySchedule(s string) ([]time.Duration, error) {
	switch strings.TrimSpace(s) {
	case "mercadopago":
		return MercadoPagoRetrySchedule(), nil
	case "quick":
		return QuickRetrySchedule(), nil
	case "none":
		return []time.Duration{}, nil
	}
	var out []time.Duration
	for part := range strings.SplitSeq(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("%w: a retry schedule is mercadopago, quick, none or delays like 100ms,1s,5s; got %q", ErrInvalidSetting, s)
		}
		out = append(out, d)
	}
	return out, nil
}
