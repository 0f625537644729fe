package gateway

import (
	"net/http"
	"strconv"
	"time"

	"github.com/comanda/comanda/services/platform/web"
)

// CORS as the HTTP API is configured: any origin, method and header.
const (
	corsAllowMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
	corsMaxAge       = time.Hour
)

// withCORS answers preflight requests itself and lets browsers read every
// response and its ids.
func withCORS(next http.Handler) http.Handler {
	exposed := web.RequestIDHeader + ", " + web.CorrelationIDHeader
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", exposed)
		if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
			next.ServeHTTP(w, r)
			return
		}
		// A wildcard does not cover Authorization, so echo what is asked.
		allowHeaders := r.Header.Get("Access-Control-Request-Headers")
		if allowHeaders == "" {
			allowHeaders = "*"
		}
		h.Set("Access-Control-Allow-Methods", corsAllowMethods)
		h.Set("Access-Control-Allow-Headers", allowHeaders)
		h.Set("Access-Control-Max-Age", strconv.Itoa(int(corsMaxAge.Seconds())))
		h.Add("Vary", "Access-Control-Request-Headers")
		w.WriteHeader(http.StatusNoContent)
	})
}
