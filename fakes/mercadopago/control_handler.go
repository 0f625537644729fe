package mercadopago

import (
	"context"
	"errors"
	"net/http"
	"strconv"
)

// controlError is the control API's error body: {"error":{"code","message"}}.
type controlError struct {
	Error controlErrorBody `json:"error"`
}

type controlErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeControlError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, controlError{Error: controlErrorBody{Code: code, Message: message}})
}

// writeControlFailure maps the control methods' errors to HTTP, in one place.
func writeControlFailure(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeControlError(w, http.StatusNotFound, "payment_not_found", err.Error())
	case errors.Is(err, ErrInvalidTransition):
		writeControlError(w, http.StatusConflict, "invalid_transition", err.Error())
	case errors.Is(err, ErrNoNotificationURL):
		writeControlError(w, http.StatusConflict, "no_notification_url", err.Error())
	default:
		writeControlError(w, http.StatusInternalServerError, "internal", err.Error())
	}
}

func (f *Fake) handleControlList(w http.ResponseWriter, r *http.Request) {
	ref, hasRef := r.URL.Query()["external_reference"]
	payments := f.paymentsWhere(func(p *Payment) bool { return !hasRef || p.ExternalReference == ref[0] })
	writeJSON(w, http.StatusOK, payments)
}

func (f *Fake) handleControlShow(w http.ResponseWriter, r *http.Request) {
	id, ok := controlPaymentID(w, r)
	if !ok {
		return
	}
	p, found := f.Payment(id)
	if !found {
		writeControlFailure(w, &notFoundError{id: id})
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// handleControlVerb runs approve, reject, expire, refund or resend
// (resend takes ?count=N).
func (f *Fake) handleControlVerb(w http.ResponseWriter, r *http.Request) {
	id, ok := controlPaymentID(w, r)
	if !ok {
		return
	}
	var act func(context.Context, int64) (Payment, error)
	switch r.PathValue("verb") {
	case "approve":
		act = f.Approve
	case "reject":
		act = f.Reject
	case "expire":
		act = f.Expire
	case "refund":
		act = f.Refund
	case "resend":
		count, err := queryInt(r.URL.Query().Get("count"), 1)
		if err != nil || count < 1 {
			writeControlError(w, http.StatusBadRequest, "invalid_count", "count must be a positive integer")
			return
		}
		act = func(ctx context.Context, id int64) (Payment, error) { return f.Resend(ctx, id, count) }
	default:
		writeControlError(w, http.StatusNotFound, "unknown_verb", "unknown verb "+strconv.Quote(r.PathValue("verb")))
		return
	}
	p, err := act(r.Context(), id)
	if err != nil {
		writeControlFailure(w, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (f *Fake) handleControlDeliveries(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, f.Deliveries())
}

func controlPaymentID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeControlError(w, http.StatusBadRequest, "invalid_id", "payment id must be an integer, got "+strconv.Quote(r.PathValue("id")))
		return 0, false
	}
	return id, true
}
