package mercadopago

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// refundRequest is the body of POST /v1/payments/{id}/refunds: none, {},
// or {"amount": 12.5}. The amount is kept raw, so that a string is told
// apart from a missing amount.
type refundRequest struct {
	Amount json.RawMessage `json:"amount"`
}

// order returns the refund the request asks for, or the error Mercado
// Pago would answer: no amount (or null) refunds what remains.
func (r refundRequest) order() (refundOrder, *apiError) {
	if len(r.Amount) == 0 || bytes.Equal(r.Amount, []byte("null")) {
		return refundOrder{whole: true}, nil
	}
	var amount float64
	if err := json.Unmarshal(r.Amount, &amount); err != nil {
		e := badRequest(4041, "amount attribute must be numeric")
		return refundOrder{}, &e
	}
	if amount <= 0 {
		e := badRequest(4040, "amount attribute must be positive")
		return refundOrder{}, &e
	}
	return refundOrder{amount: amount}, nil
}

// handleCreateRefund gives back part or all of an approved payment's
// money, as the SDK's refund client asks: with X-Idempotency-Key (the
// same key and request return the refund made the first time, even once
// the payment is refunded), and 201 with the refund.
func (f *Fake) handleCreateRefund(w http.ResponseWriter, r *http.Request) {
	id, ok := apiPaymentID(w, r)
	if !ok {
		return
	}
	var req refundRequest // the SDK's full refund sends no body at all
	key, fp, ok := readKeyedJSON(w, r, true, &req)
	if !ok {
		return
	}
	order, e := req.order()
	if e != nil {
		writeAPIError(w, *e)
		return
	}
	// The fingerprint names the payment too: a key is one request, to one
	// payment, and never matches a creation's body.
	refund, _, created, err := f.refund(r.Context(), id, order, key, "refund "+strconv.FormatInt(id, 10)+" "+fp)
	switch {
	case errors.Is(err, errIdempotencyConflict):
		writeAPIError(w, idempotencyConflict())
	case errors.Is(err, ErrNotFound):
		writeAPIError(w, paymentNotFound())
	case errors.Is(err, ErrInvalidTransition), errors.Is(err, ErrInvalidAmount):
		writeAPIError(w, refundRefused(err))
	case err != nil:
		writeAPIError(w, serverError(http.StatusInternalServerError))
	default:
		if !created {
			f.log.Info("idempotent replay", "payment_id", id, "refund_id", refund.ID, "idempotency_key", key)
		}
		writeJSON(w, http.StatusCreated, refund)
	}
}

// handleListRefunds answers a payment's refunds, oldest first; [] when it
// has none.
func (f *Fake) handleListRefunds(w http.ResponseWriter, r *http.Request) {
	id, ok := apiPaymentID(w, r)
	if !ok {
		return
	}
	refunds, found := f.Refunds(id)
	if !found {
		writeAPIError(w, paymentNotFound())
		return
	}
	writeJSON(w, http.StatusOK, refunds)
}

// handleGetRefund answers one refund of a payment.
func (f *Fake) handleGetRefund(w http.ResponseWriter, r *http.Request) {
	id, ok := apiPaymentID(w, r)
	if !ok {
		return
	}
	refundID, err := strconv.ParseInt(r.PathValue("refund_id"), 10, 64)
	if err != nil {
		writeAPIError(w, badRequest(4000, "Invalid refund_id"))
		return
	}
	refunds, found := f.Refunds(id)
	if !found {
		writeAPIError(w, paymentNotFound())
		return
	}
	for _, refund := range refunds {
		if refund.ID == refundID {
			writeJSON(w, http.StatusOK, refund)
			return
		}
	}
	writeAPIError(w, refundNotFound())
}

// apiPaymentID reads the {id} of a payment's path, answering 400 when it
// is not a number.
func apiPaymentID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeAPIError(w, badRequest(2030, "Invalid payment_id"))
		return 0, false
	}
	return id, true
}

// refundRefused is the 400 for a refund the payment does not allow: not
// approved (Mercado Pago's cause 2063), or more than what remains, for
// which Mercado Pago documents no cause of the Payments API; the fake
// answers 2063 as well.
func refundRefused(err error) apiError {
	const stateRefused = 2063 // "The action requested is not valid for the current payment state"
	return badRequest(stateRefused, err.Error())
}

// refundNotFound is Mercado Pago's 404 for a refund id the payment does
// not have.
func refundNotFound() apiError {
	return apiError{
		Message: "Refund not found",
		Error:   "not_found",
		Status:  http.StatusNotFound,
		Cause:   []errorCause{{Code: 2032, Description: "Refund not found"}},
	}
}
