// Package money keeps amounts as integer cents and speaks reais on the wire:
// a JSON number with at most two decimals (25.9 is R$ 25,90).
package money

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Cents is an amount of Brazilian reais in centavos.
type Cents int64

// ErrInvalid is an amount that is not a number with at most two decimals.
var ErrInvalid = errors.New("amount must be a number with at most two decimals")

// Max is the largest amount accepted from a client (R$ 1.000.000,00).
const Max Cents = 100_000_000

// ParseReais reads a decimal string such as "25.9" or "7" exactly, without
// going through floating point.
func ParseReais(s string) (Cents, error) {
	if s == "" || strings.ContainsAny(s, "eE+") {
		return 0, ErrInvalid
	}
	neg := strings.HasPrefix(s, "-")
	whole, frac, dot := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if !digits(whole) || len(whole) > 15 || len(frac) > 2 || (dot && !digits(frac)) {
		return 0, ErrInvalid
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, ErrInvalid
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, ErrInvalid
	}
	c := Cents(w*100 + f)
	if neg {
		c = -c
	}
	return c, nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// String renders reais with the fewest decimals needed: 2590 → "25.9".
func (c Cents) String() string {
	sign := ""
	v := int64(c)
	if v < 0 {
		sign, v = "-", -v
	}
	s := fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Reais is the amount as a float, for APIs (Mercado Pago) that want one.
func (c Cents) Reais() float64 { return float64(c) / 100 }

// FromReais rounds a float amount to cents.
func FromReais(f float64) Cents { return Cents(math.Round(f * 100)) }

// MarshalJSON writes the amount as a JSON number in reais.
func (c Cents) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalJSON reads a JSON number in reais with at most two decimals.
func (c *Cents) UnmarshalJSON(b []byte) error {
	var n json.Number
	if len(b) == 0 || b[0] == '"' {
		return ErrInvalid
	}
	if err := json.Unmarshal(b, &n); err != nil {
		return ErrInvalid
	}
	v, err := ParseReais(n.String())
	if err != nil {
		return err
	}
	*c = v
	return nil
}
