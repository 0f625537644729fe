// Package gateway is the local stand-in for API Gateway and the ALB listener
// rules in front of the services: it sends each path prefix to the service
// that topology.json names, with the path and query unchanged, answers CORS
// the way the HTTP API is configured, refuses bodies over 1 MiB before they
// reach a service, and reports on GET /healthz whether every service is up.
// It also serves the API's contract, GET /openapi.yaml, and a reference to
// read, GET /docs.
package gateway

import (
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/comanda/comanda/services/platform/web"
	"github.com/comanda/comanda/services/topology"
)

// newHandler routes requests to backends (service name → base URL).
func newHandler(top topology.Topology, backends map[string]*url.URL, transport http.RoundTripper, healthTimeout time.Duration, log *slog.Logger) http.Handler {
	proxies := make(map[string]http.Handler, len(backends))
	buffers := newCopyBuffers()
	for name, u := range backends {
		proxies[name] = newProxy(name, u, transport, buffers, log)
	}
	health := &healthCheck{backends: backends, client: &http.Client{Transport: transport, Timeout: healthTimeout}, log: log}
	docs := newAPIDocs()
	routes := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/healthz":
			health.ServeHTTP(w, r)
			return
		case docs.serves(r.URL.Path):
			docs.ServeHTTP(w, r)
			return
		}
		service, ok := route(top, r.URL.Path)
		if !ok {
			web.WriteError(w, r, log, web.NotFound("not_found", "no route for %s %s", r.Method, r.URL.Path))
			return
		}
		proxies[service].ServeHTTP(w, r)
	})
	return withIDs(accessLog(log, recoverer(log, withCORS(limitBody(log, routes)))))
}

// route returns the service for p. A path with dot segments or doubled
// slashes has no route: it would reach a service other than its prefix says.
func route(top topology.Topology, p string) (string, bool) {
	if strings.Contains(p, "//") || path.Clean(p) != strings.TrimSuffix(p, "/") {
		return "", false
	}
	return top.ServiceFor(p)
}
