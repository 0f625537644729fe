package order

import (
	"log/slog"
	"slices"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/comanda/comanda/api/apitest"
)

// The reading of routes from source that holds the spec to every service
// (apitest.RoutesInSource) agrees with chi on this router, which Routes
// builds without I/O: its dependencies are only used per request.
func TestSourceReadingMatchesChi(t *testing.T) {
	t.Parallel()
	r := chi.NewRouter()
	Routes(r, nil, nil, slog.New(slog.DiscardHandler))
	fromChi, fromSource := apitest.ChiRoutes(t, r), apitest.Keys(apitest.RoutesInSource(t, "."))
	if len(fromChi) == 0 || !slices.Equal(fromChi, fromSource) {
		t.Errorf("chi has %v, the source reads %v", fromChi, fromSource)
	}
}
