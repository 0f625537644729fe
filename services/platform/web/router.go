package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/comanda/comanda/services/platform/logging"
)

// Header names that carry ids across services.
const (
	RequestIDHeader = "X-Request-Id"
	// GatewayRequestIDHeader is the request id the local gateway gives the
	// service: the caller's X-Request-Id, or one it made. It never writes
	// X-Request-Id itself, which reaches the service as the caller sent it:
	// Mercado Pago signs its notifications' x-request-id, and one the
	// gateway invented or replaced would break the signature.
	GatewayRequestIDHeader = "X-Comanda-Request-Id"
	CorrelationIDHeader    = "X-Correlation-Id"
)

// ReadyCheck reports whether one dependency is reachable.
type ReadyCheck func(ctx context.Context) error

// NewRouter returns a chi router with the standard middleware, JSON 404 and
// 405 answers, GET /healthz (alive) and GET /readyz (every check passes).
func NewRouter(log *slog.Logger, checks ...ReadyCheck) chi.Router {
	r := chi.NewRouter()
	r.Use(requestIDs, recoverer(log), limitBody, accessLog(log), spanRoute)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, log, NotFound("not_found", "no route for %s %s", r.Method, r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, log, NewError(http.StatusMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s", r.Method, r.URL.Path))
	})
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		Respond(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.Get("/readyz", Handle(log, func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		for _, check := range checks {
			if err := check(ctx); err != nil {
				log.WarnContext(ctx, "not ready", "err", err)
				return NewError(http.StatusServiceUnavailable, "not_ready", "a dependency is unreachable")
			}
		}
		Respond(w, http.StatusOK, map[string]string{"status": "ready"})
		return nil
	}))
	return r
}

// requestIDs takes the caller's request and correlation ids (the request
// id as the local gateway gave it, if it did) or makes new ones, puts them
// in the context and echoes them in the response.
func requestIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqID := r.Header.Get(GatewayRequestIDHeader)
		if reqID == "" || len(reqID) > 128 {
			reqID = r.Header.Get(RequestIDHeader)
		}
		if reqID == "" || len(reqID) > 128 {
			reqID = uuid.NewString()
		}
		corrID := r.Header.Get(CorrelationIDHeader)
		if corrID == "" || len(corrID) > 128 {
			corrID = reqID
		}
		ctx := logging.WithCorrelationID(logging.WithRequestID(r.Context(), reqID), corrID)
		w.Header().Set(RequestIDHeader, reqID)
		w.Header().Set(CorrelationIDHeader, corrID)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// recoverer turns a panic into 500 internal, logged with its value.
func recoverer(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					log.ErrorContext(r.Context(), "panic in handler", "panic", v, "path", r.URL.Path)
					WriteError(w, r, log, errInternal)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > MaxBodyBytes {
			WriteError(w, r, nil, NewError(http.StatusRequestEntityTooLarge, "request_too_large", "request body is larger than %d bytes", MaxBodyBytes))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// spanRoute names the request's server span (see telemetry.Handler) after
// the route that served it, "POST /order/{id}/...", as OpenTelemetry's HTTP
// conventions ask, once the router has matched it, and labels its metrics
// with the route. Outside telemetry.Handler it does nothing.
func spanRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		span := trace.SpanFromContext(r.Context())
		labeler, measured := otelhttp.LabelerFromContext(r.Context())
		if !span.IsRecording() && !measured {
			return
		}
		route := chi.RouteContext(r.Context()).RoutePattern()
		if route == "" {
			return
		}
		span.SetName(r.Method + " " + route)
		span.SetAttributes(semconv.HTTPRoute(route))
		if measured {
			labeler.Add(semconv.HTTPRoute(route))
		}
	})
}

func accessLog(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
				return
			}
			log.InfoContext(r.Context(), "http request", "method", r.Method, "path", r.URL.Path,
				"status", ww.Status(), "bytes", ww.BytesWritten(), "duration_ms", time.Since(start).Milliseconds())
		})
	}
}
