package web_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/web"
)

// Whatever goes wrong inside, a 500's body is exactly the same few bytes:
// no message, type, address or stack of the cause.
func TestInternalErrorBodyIsExactlyTheSame(t *testing.T) {
	t.Parallel()
	const want = `{"error":{"code":"internal","message":"internal error"}}`
	log := logging.Discard()
	r := web.NewRouter(log)
	r.Get("/error", web.Handle(log, func(http.ResponseWriter, *http.Request) error {
		return errors.New("dial tcp 10.0.0.7:5432: password authentication failed for user comanda")
	}))
	r.Get("/panic", func(http.ResponseWriter, *http.Request) { panic(errors.New("runtime: secret in a panic")) })
	for _, path := range []string{"/error", "/panic"} {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusInternalServerError || strings.TrimSpace(rec.Body.String()) != want {
			t.Errorf("GET %s = %d %s; want 500 %s", path, rec.Code, rec.Body, want)
		}
	}
}
