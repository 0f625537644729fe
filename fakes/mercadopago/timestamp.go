package mercadopago

import (
	"bytes"
	"fmt"
	"time"
)

// mpTimeLayout is how Mercado Pago writes times: milliseconds and an offset.
const mpTimeLayout = "2006-01-02T15:04:05.000-07:00"

// mpOffset is the offset the Payments API renders its times in.
const mpOffset = -4 * 60 * 60

// Timestamp is a time as the Payments API writes it: RFC 3339 with
// milliseconds and an offset, or null when unset (never "", which the
// official SDK cannot decode).
type Timestamp struct{ time.Time }

// newTimestamp truncates t to what the wire can carry, so that a value
// read back from JSON equals the one stored.
func newTimestamp(t time.Time) Timestamp {
	return Timestamp{t.Truncate(time.Millisecond).In(time.FixedZone("", mpOffset))}
}

// MarshalJSON writes the time in Mercado Pago's layout, or null if zero.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.In(time.FixedZone("", mpOffset)).Format(mpTimeLayout) + `"`), nil
}

// UnmarshalJSON accepts null or any RFC 3339 time.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = Timestamp{}
		return nil
	}
	var parsed time.Time
	if err := parsed.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("decode timestamp: %w", err)
	}
	*t = Timestamp{parsed}
	return nil
}
