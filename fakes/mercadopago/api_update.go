package mercadopago

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// updateRequest is the part of PUT /v1/payments/{id} the fake supports:
// {"status":"cancelled"}, what the SDK's Cancel sends.
type updateRequest struct {
	Status string `json:"status"`
}

// handleUpdate cancels a pending payment (cancelled/by_collector). Other
// updates (captures, amounts) do not apply to PIX and are refused.
func (f *Fake) handleUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeAPIError(w, badRequest(2030, "Invalid payment_id"))
		return
	}
	var req updateRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil || json.Unmarshal(body, &req) != nil {
		writeAPIError(w, badRequest(4000, "malformed JSON body"))
		return
	}
	if req.Status != StatusCancelled {
		writeAPIError(w, badRequest(4000, "only {\"status\":\"cancelled\"} is supported for a PIX payment"))
		return
	}
	p, err := f.Cancel(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		writeAPIError(w, paymentNotFound())
	case errors.Is(err, ErrInvalidTransition):
		writeAPIError(w, badRequest(4040, err.Error()))
	case err != nil:
		writeAPIError(w, serverError(http.StatusInternalServerError))
	default:
		f.writePayment(w, http.StatusOK, p)
	}
}
