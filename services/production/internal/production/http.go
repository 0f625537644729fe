package production

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// newHandler serves the kitchen's routes, all for employees only.
func newHandler(k *Kitchen, v *token.Verifier, log *slog.Logger, checks ...web.ReadyCheck) http.Handler {
	r := web.NewRouter(log, checks...)
	h := &kitchenHTTP{kitchen: k, log: log}
	r.Route("/production", func(r chi.Router) {
		r.Use(token.Require(v, log, token.RoleEmployee))
		r.Get("/", h.handle(h.list))
		r.Get("/{id}", h.handle(h.get))
		r.Put("/{id}/started", h.handle(h.advance("started")))
		r.Put("/{id}/completed", h.handle(h.advance("completed")))
	})
	return r
}

type kitchenHTTP struct {
	kitchen *Kitchen
	log     *slog.Logger
}

func (h *kitchenHTTP) list(w http.ResponseWriter, r *http.Request) error {
	recs, err := h.kitchen.List(r.Context(), r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []Record{}
	}
	web.Respond(w, http.StatusOK, recs)
	return nil
}

func (h *kitchenHTTP) get(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "production_not_found")
	if err != nil {
		return err
	}
	rec, err := h.kitchen.Get(r.Context(), id)
	if err != nil {
		return err
	}
	web.Respond(w, http.StatusOK, rec)
	return nil
}

func (h *kitchenHTTP) advance(action string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id", "production_not_found")
		if err != nil {
			return err
		}
		rec, err := h.kitchen.Advance(r.Context(), id, action)
		if err != nil {
			return err
		}
		web.Respond(w, http.StatusOK, rec)
		return nil
	}
}

// handle adapts a handler, mapping its domain errors to HTTP.
func (h *kitchenHTTP) handle(fn web.Handler) http.HandlerFunc {
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
