package order

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// List limits.
const (
	DefaultListLimit = 50
	MaxListLimit     = 200
)

// Routes mounts the order API under /order on r; every route checks its token.
func Routes(r chi.Router, s *Orders, v *token.Verifier, log *slog.Logger) {
	h := &httpAPI{orders: s, log: log}
	r.Route("/order", func(r chi.Router) {
		r.With(token.Require(v, log, token.RoleCustomer)).Post("/", h.handle(h.place))
		r.With(token.Require(v, log)).Get("/", h.handle(h.list))
		r.With(token.Require(v, log)).Get("/{id}", h.handle(h.get))
		r.With(token.Require(v, log, token.RoleEmployee)).Put("/{id}/delivered", h.handle(h.deliver))
	})
}

type httpAPI struct {
	orders *Orders
	log    *slog.Logger
}

// handle maps the handler's domain errors to responses.
func (h *httpAPI) handle(fn web.Handler) http.HandlerFunc {
	return web.Handle(h.log, func(w http.ResponseWriter, r *http.Request) error {
		return httpError(fn(w, r))
	})
}

func (h *httpAPI) place(w http.ResponseWriter, r *http.Request) error {
	var req PlaceRequest
	if err := web.Decode(r, &req); err != nil {
		return err
	}
	lines, err := req.Lines()
	if err != nil {
		return err
	}
	claims, _ := token.FromContext(r.Context())
	o, err := h.orders.Place(r.Context(), Customer{ID: claims.Subject, Name: claims.Name}, lines)
	if err != nil {
		return err
	}
	web.Respond(w, http.StatusCreated, toJSON(o))
	return nil
}

func (h *httpAPI) get(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "order_not_found")
	if err != nil {
		return err
	}
	o, err := h.orders.Get(r.Context(), viewer(r), id)
	if err != nil {
		return err
	}
	web.Respond(w, http.StatusOK, toJSON(o))
	return nil
}

func (h *httpAPI) list(w http.ResponseWriter, r *http.Request) error {
	status, limit, err := listParams(r)
	if err != nil {
		return err
	}
	orders, err := h.orders.List(r.Context(), viewer(r), status, limit)
	if err != nil {
		return err
	}
	web.Respond(w, http.StatusOK, toJSONList(orders))
	return nil
}

func (h *httpAPI) deliver(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "order_not_found")
	if err != nil {
		return err
	}
	o, err := h.orders.Deliver(r.Context(), id)
	if err != nil {
		return err
	}
	web.Respond(w, http.StatusOK, toJSON(o))
	return nil
}

// listParams reads ?status= (any when absent) and ?limit= (DefaultListLimit when absent).
func listParams(r *http.Request) (Status, int, error) {
	q := r.URL.Query()
	var status Status
	if raw := q.Get("status"); raw != "" {
		s, err := ParseStatus(raw)
		if err != nil {
			return "", 0, invalid("status", "must be one of %v", Statuses())
		}
		status = s
	}
	limit := DefaultListLimit
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > MaxListLimit {
			return "", 0, invalid("limit", "must be an integer between 1 and %d", MaxListLimit)
		}
		limit = n
	}
	return status, limit, nil
}

func viewer(r *http.Request) Viewer {
	c, _ := token.FromContext(r.Context())
	return Viewer{ID: c.Subject, Employee: c.IsEmployee()}
}
