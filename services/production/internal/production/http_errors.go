package production

import (
	"errors"
	"net/http"

	"github.com/comanda/comanda/services/platform/web"
)

// handle adapts a handler, mapping its domain errors to HTTP.
func (h *httpAPI) handle(fn web.Handler) http.HandlerFunc {
	return web.Handle(h.log, func(w http.ResponseWriter, r *http.Request) error {
		return httpError(fn(w, r))
	})
}

// httpError is the one place where domain errors become HTTP errors.
func httpError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotFound):
		return web.NotFound("production_not_found", "no kitchen record with this id")
	case errors.Is(err, ErrInvalidTransition):
		return web.Conflict("invalid_transition", "%s", err.Error())
	case errors.Is(err, ErrUnknownStatus):
		return web.InvalidRequest("status: %s", err.Error())
	default:
		return err
	}
}
