package mercadopago

import (
	"encoding/json"
	"net/http"
)

// apiError is Mercado Pago's error body.
type apiError struct {
	Message string       `json:"message"`
	Error   string       `json:"error"`
	Status  int          `json:"status"`
	Cause   []errorCause `json:"cause,omitempty"`
}

// errorCause is one entry of an error's cause list.
type errorCause struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
	Data        any    `json:"data"`
}

// badRequest is a 400 with a single cause, the way Mercado Pago reports a
// failed validation.
func badRequest(code int, description string) apiError {
	return apiError{
		Message: description,
		Error:   "bad_request",
		Status:  http.StatusBadRequest,
		Cause:   []errorCause{{Code: code, Description: description}},
	}
}

func unauthorized() apiError {
	return apiError{Message: "invalid access token", Error: "unauthorized", Status: http.StatusUnauthorized}
}

func paymentNotFound() apiError {
	return apiError{
		Message: "Payment not found",
		Error:   "not_found",
		Status:  http.StatusNotFound,
		Cause:   []errorCause{{Code: 2000, Description: "Payment not found"}},
	}
}

func idempotencyConflict() apiError {
	const msg = "X-Idempotency-Key already used with a different request body"
	return apiError{
		Message: msg,
		Error:   "conflict",
		Status:  http.StatusConflict,
		Cause:   []errorCause{{Code: 409, Description: msg}},
	}
}

func writeAPIError(w http.ResponseWriter, e apiError) {
	writeJSON(w, e.Status, e)
}

// writeJSON writes v as the response; an encoding failure can only be the
// client going away, so it is not reported.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func handleUnknownResource(w http.ResponseWriter, _ *http.Request) {
	writeAPIError(w, apiError{Message: "resource not found", Error: "not_found", Status: http.StatusNotFound})
}
