package mercadopago

import (
	"fmt"
	"math"
	"strconv"
)

// refundAmount reads the control API's ?amount=12.50 of a partial refund.
func refundAmount(raw string) (float64, error) {
	amount, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(amount) || math.IsInf(amount, 0) {
		return 0, fmt.Errorf("%w: amount must be a number like 12.50, got %q", errBadControlRequest, raw)
	}
	return amount, nil
}
