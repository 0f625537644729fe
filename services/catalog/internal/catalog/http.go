package catalog

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// httpAPI serves the menu: public reads, employee-only upkeep.
type httpAPI struct {
	store *store
	log   *slog.Logger
}

// newHandler returns the catalog's routes under their public paths, with
// /healthz and /readyz.
func newHandler(st *store, verifier *token.Verifier, log *slog.Logger, checks ...web.ReadyCheck) http.Handler {
	a := &httpAPI{store: st, log: log}
	r := web.NewRouter(log, checks...)
	r.Get("/categories", a.handle(a.listCategories))
	r.Route("/products", func(r chi.Router) {
		r.Get("/", a.handle(a.listProducts))
		r.Get("/{id}", a.handle(a.getProduct))
		r.Group(func(r chi.Router) {
			r.Use(token.Require(verifier, log, token.RoleEmployee))
			r.Post("/", a.handle(a.createProduct))
			r.Put("/{id}", a.handle(a.replaceProduct))
			r.Delete("/{id}", a.handle(a.deleteProduct))
		})
	})
	return r
}

// handle adapts h, sending every error it returns through httpError.
func (a *httpAPI) handle(h web.Handler) http.HandlerFunc {
	return web.Handle(a.log, func(w http.ResponseWriter, r *http.Request) error {
		return httpError(h(w, r))
	})
}
