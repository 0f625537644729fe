package gateway

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/web"
)

// withIDs keeps the caller's request and correlation ids or makes them, and
// puts them in the context and on the response. The service gets the
// request id in the gateway's own header (the proxy sets it), never in
// X-Request-Id, which it forwards untouched: absent if the caller sent
// none.
func withIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqID := r.Header.Get(web.RequestIDHeader)
		if reqID == "" || len(reqID) > 128 {
			reqID = uuid.NewString()
		}
		corrID := r.Header.Get(web.CorrelationIDHeader)
		if corrID == "" || len(corrID) > 128 {
			corrID = reqID
		}
		r.Header.Set(web.CorrelationIDHeader, corrID)
		w.Header().Set(web.RequestIDHeader, reqID)
		w.Header().Set(web.CorrelationIDHeader, corrID)
		ctx := logging.WithCorrelationID(logging.WithRequestID(r.Context(), reqID), corrID)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// limitBody refuses a body over web.MaxBodyBytes with 413 before any
// service sees it. A body of unknown length (chunked) is read first, up to
// the limit, and forwarded with its length.
func limitBody(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > web.MaxBodyBytes {
			web.WriteError(w, r, nil, tooLarge())
			return
		}
		if r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(io.LimitReader(r.Body, web.MaxBodyBytes+1))
			if err != nil {
				web.WriteError(w, r, log, web.InvalidRequest("request body could not be read"))
				return
			}
			if len(body) > web.MaxBodyBytes {
				web.WriteError(w, r, nil, tooLarge())
				return
			}
			r.Body, r.ContentLength, r.TransferEncoding = io.NopCloser(bytes.NewReader(body)), int64(len(body)), nil
		}
		next.ServeHTTP(w, r)
	})
}

func tooLarge() *web.Error {
	return web.NewError(http.StatusRequestEntityTooLarge, "request_too_large", "request body is larger than %d bytes", web.MaxBodyBytes)
}

// recoverer turns a panic into 500 internal; http.ErrAbortHandler, which the
// proxy uses to abandon a response it can no longer finish, goes on.
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic in gateway", "panic", v, "path", r.URL.Path)
				web.WriteError(w, r, nil, web.NewError(http.StatusInternalServerError, "internal", "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		if r.URL.Path == "/healthz" {
			return
		}
		log.InfoContext(r.Context(), "http request", "method", r.Method, "path", r.URL.Path,
			"status", ww.Status(), "bytes", ww.BytesWritten(), "duration_ms", time.Since(start).Milliseconds())
	})
}
