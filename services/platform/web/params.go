package web

import (
	"net/http"

	"github.com/comanda/comanda/services/platform/ids"
	"github.com/go-chi/chi/v5"
)

// PathID returns the UUID path parameter name; a malformed id is 404 with
// notFoundCode, since such a thing cannot exist.
func PathID(r *http.Request, name, notFoundCode string) (string, error) {
	raw := chi.URLParam(r, name)
	id, err := ids.Parse(raw)
	if err != nil {
		return "", NotFound(notFoundCode, "%s %q does not exist", name, raw)
	}
	return id, nil
}

// QueryID returns the UUID query parameter name, "" when absent; a malformed
// one is 400 invalid_request.
func QueryID(r *http.Request, name string) (string, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return "", nil
	}
	id, err := ids.Parse(raw)
	if err != nil {
		return "", InvalidRequest("query parameter %s must be a UUID", name)
	}
	return id, nil
}
