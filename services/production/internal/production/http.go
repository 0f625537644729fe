package production

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// newHandler serves the kitchen's routes, all for employees only.
func newHandler(k *Kitchen, v *token.Verifier, log *slog.Logger, checks ...web.ReadyCheck) http.Handler {
	r := web.NewRouter(log, checks...)
	h := &httpAPI{kitchen: k, log: log}
	r.Route("/production", func(r chi.Router) {
		r.Use(token.Require(v, log, token.RoleEmployee))
		r.Get("/", h.handle(h.list))
		r.Get("/{id}", h.handle(h.get))
		r.Put("/{id}/started", h.handle(h.advance("started")))
		r.Put("/{id}/completed", h.handle(h.advance("completed")))
	})
	return r
}

type httpAPI struct {
	kitchen *Kitchen
	log     *slog.Logger
}

func (h *httpAPI) list(w http.ResponseWriter, r *http.Request) error {
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

func (h *httpAPI) get(w http.ResponseWriter, r *http.Request) error {
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

func (h *httpAPI) advance(action string) web.Handler {
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
