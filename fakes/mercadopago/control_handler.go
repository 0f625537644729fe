package mercadopago

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// controlRoutes mounts the control API: everything fakepay does. It takes
// no token: the fake is a local tool.
func (f *Fake) controlRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_fake/payments", f.handleControlList)
	mux.HandleFunc("GET /_fake/payments/{id}", f.handleControlShow)
	mux.HandleFunc("POST /_fake/payments/{id}/{verb}", f.handleControlVerb)
	mux.HandleFunc("GET /_fake/deliveries", f.handleControlDeliveries)

	f.settingsRoutes(mux)
	f.driftRoutes(mux)
	f.notificationRoutes(mux)

	mux.HandleFunc("/_fake/", func(w http.ResponseWriter, r *http.Request) {
		writeControlError(w, http.StatusNotFound, "unknown_endpoint", r.Method+" "+r.URL.Path+" is not part of the control API")
	})
}

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

// errBadControlRequest marks a control request that cannot be read.
var errBadControlRequest = errors.New("bad control request")

// writeControlFailure maps the control methods' errors to HTTP, in one place.
func writeControlFailure(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeControlError(w, http.StatusNotFound, "payment_not_found", err.Error())
	case errors.Is(err, ErrInvalidTransition):
		writeControlError(w, http.StatusConflict, "invalid_transition", err.Error())
	case errors.Is(err, ErrNoNotificationURL):
		writeControlError(w, http.StatusConflict, "no_notification_url", err.Error())
	case errors.Is(err, ErrInvalidFault):
		writeControlError(w, http.StatusBadRequest, "invalid_fault", err.Error())
	case errors.Is(err, ErrInvalidAmount):
		writeControlError(w, http.StatusBadRequest, "invalid_amount", err.Error())
	case errors.Is(err, ErrInvalidSetting):
		writeControlError(w, http.StatusBadRequest, "invalid_setting", err.Error())
	case errors.Is(err, errBadControlRequest):
		writeControlError(w, http.StatusBadRequest, "invalid_request", err.Error())
	default:
		writeControlError(w, http.StatusInternalServerError, "internal", err.Error())
	}
}

// answer writes v, or the failure err maps to.
func answer(w http.ResponseWriter, v any, err error) {
	if err != nil {
		writeControlFailure(w, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// decodeControl reads a control request's JSON body strictly, so that a
// misspelt field is an error rather than silently ignored.
func decodeControl(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: body: %w", errBadControlRequest, err)
	}
	return nil
}

func controlPaymentID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeControlError(w, http.StatusBadRequest, "invalid_id", "payment id must be an integer, got "+strconv.Quote(r.PathValue("id")))
		return 0, false
	}
	return id, true
}
