package payment

import (
	"errors"
	"net/http"

	"github.com/comanda/comanda/services/platform/web"
)

// handle adapts h, mapping its domain errors to HTTP ones.
func (api *httpAPI) handle(h web.Handler) http.HandlerFunc {
	return web.Handle(api.log, func(w http.ResponseWriter, r *http.Request) error {
		return httpError(h(w, r))
	})
}

// httpError is the one place where domain errors become HTTP errors;
// anything else is a 500 that reveals nothing.
func httpError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrPaymentNotFound):
		return web.NotFound("payment_not_found", "payment not found")
	case errors.Is(err, ErrInvalidSignature):
		return web.NewError(http.StatusUnauthorized, "invalid_signature", "x-signature is missing or wrong")
	}
	return err
}
