package mercadopago

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
)

// handleControlPartialRefund is POST /_fake/payments/{id}/refund?amount=12.50:
// a refund of that much, which leaves the payment approved/partially_refunded
// unless it is all that remained. Without ?amount the verb refunds all of it.
func (f *Fake) handleControlPartialRefund(w http.ResponseWriter, r *http.Request, id int64) {
	raw := r.URL.Query().Get("amount")
	amount, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(amount) || math.IsInf(amount, 0) {
		writeControlFailure(w, fmt.Errorf("%w: amount must be a number like 12.50, got %q", errBadControlRequest, raw))
		return
	}
	p, err := f.RefundAmount(r.Context(), id, amount)
	answer(w, p, err)
}
