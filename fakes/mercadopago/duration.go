package mercadopago

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration that the control API writes and reads as Go
// duration text ("2s", "31m0s"), so that fakepay and curl users never have
// to count nanoseconds.
type Duration time.Duration

// MarshalJSON writes the duration as text.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads duration text, or null for zero.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*d = 0
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is text like \"2s\": %w", err)
	}
	parsed, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("a duration is text like \"2s\": %w", err)
	}
	*d = Duration(parsed)
	return nil
}

// String is the duration as Go writes it.
func (d Duration) String() string { return time.Duration(d).String() }
