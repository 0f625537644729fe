package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/web"
)

func TestPanicIsInternalAndRevealsNothing(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	log := logging.New(&logs, logging.Config{Format: "json", Level: "info"})
	r := web.NewRouter(log)
	r.Get("/boom", func(http.ResponseWriter, *http.Request) { panic("secret-db-password leaked") })

	rec := serve(r, httptest.NewRequest(http.MethodGet, "/boom", nil))

	wantError(t, rec, http.StatusInternalServerError, "internal")
	if strings.Contains(rec.Body.String(), "secret-db-password") {
		t.Errorf("panic value leaked to the client: %s", rec.Body)
	}
	if !strings.Contains(logs.String(), "secret-db-password") {
		t.Errorf("panic value is not in the logs: %s", logs.String())
	}
}

func TestHandlerErrorsUseTheErrorShape(t *testing.T) {
	t.Parallel()
	log := logging.Discard()
	r := web.NewRouter(log)
	r.Get("/conflict", web.Handle(log, func(http.ResponseWriter, *http.Request) error {
		return fmt.Errorf("reserve: %w", web.Conflict("order_closed", "order is closed"))
	}))
	r.Get("/plain", web.Handle(log, func(http.ResponseWriter, *http.Request) error {
		return errors.New("pq: connection refused at 10.0.0.7")
	}))

	msg := wantError(t, serve(r, httptest.NewRequest(http.MethodGet, "/conflict", nil)), http.StatusConflict, "order_closed")
	if msg != "order is closed" {
		t.Errorf("message = %q; want the *Error's own message", msg)
	}
	rec := serve(r, httptest.NewRequest(http.MethodGet, "/plain", nil))
	wantError(t, rec, http.StatusInternalServerError, "internal")
	if strings.Contains(rec.Body.String(), "10.0.0.7") {
		t.Errorf("an internal error leaked to the client: %s", rec.Body)
	}
}

func TestUnknownRouteIsJSON404(t *testing.T) {
	t.Parallel()
	rec := serve(web.NewRouter(logging.Discard()), httptest.NewRequest(http.MethodGet, "/no/such/thing", nil))
	wantError(t, rec, http.StatusNotFound, "not_found")
}

func TestWrongMethodIsJSON405(t *testing.T) {
	t.Parallel()
	rec := serve(web.NewRouter(logging.Discard()), httptest.NewRequest(http.MethodDelete, "/healthz", nil))
	wantError(t, rec, http.StatusMethodNotAllowed, "method_not_allowed")
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	failing := func(context.Context) error { return errors.New("down") }
	// Liveness does not depend on the dependencies.
	rec := serve(web.NewRouter(logging.Discard(), failing), httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("healthz = %d %q %s; want 200 JSON", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	ok := func(context.Context) error { return nil }
	failing := func(context.Context) error { return errors.New("postgres: dial tcp 10.0.0.7:5432") }

	rec := serve(web.NewRouter(logging.Discard(), ok, ok), httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("readyz with passing checks = %d %s; want 200", rec.Code, rec.Body)
	}
	rec = serve(web.NewRouter(logging.Discard(), ok, failing), httptest.NewRequest(http.MethodGet, "/readyz", nil))
	wantError(t, rec, http.StatusServiceUnavailable, "not_ready")
	if strings.Contains(rec.Body.String(), "10.0.0.7") {
		t.Errorf("readiness failure leaked its cause: %s", rec.Body)
	}
}

// idsRouter answers GET /ids with the ids its handler sees in the context.
func idsRouter(log *slog.Logger) http.Handler {
	r := web.NewRouter(log)
	r.Get("/ids", func(w http.ResponseWriter, r *http.Request) {
		log.InfoContext(r.Context(), "handling")
		web.Respond(w, http.StatusOK, map[string]string{
			"request_id":     logging.RequestID(r.Context()),
			"correlation_id": logging.CorrelationID(r.Context()),
		})
	})
	return r
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name              string
		reqID, corrID     string
		wantReq, wantCorr string // "" means a fresh UUID; "=req" the request id
	}{
		{"both given", "req-1", "corr-1", "req-1", "corr-1"},
		{"correlation defaults to the request id", "req-2", "", "req-2", "=req"},
		{"request id generated", "", "", "", "=req"},
		{"too long request id replaced", strings.Repeat("r", 129), "corr-3", "", "corr-3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, "/ids", nil)
			if c.reqID != "" {
				req.Header.Set(web.RequestIDHeader, c.reqID)
			}
			if c.corrID != "" {
				req.Header.Set(web.CorrelationIDHeader, c.corrID)
			}
			rec := serve(idsRouter(logging.Discard()), req)

			gotReq, gotCorr := rec.Header().Get(web.RequestIDHeader), rec.Header().Get(web.CorrelationIDHeader)
			switch c.wantReq {
			case "":
				if _, err := uuid.Parse(gotReq); err != nil {
					t.Errorf("generated request id %q is not a UUID", gotReq)
				}
			default:
				if gotReq != c.wantReq {
					t.Errorf("request id = %q; want %q", gotReq, c.wantReq)
				}
			}
			wantCorr := c.wantCorr
			if wantCorr == "=req" {
				wantCorr = gotReq
			}
			if gotCorr != wantCorr {
				t.Errorf("correlation id = %q; want %q", gotCorr, wantCorr)
			}
			body := rec.Body.String()
			if !strings.Contains(body, `"request_id":"`+gotReq+`"`) || !strings.Contains(body, `"correlation_id":"`+gotCorr+`"`) {
				t.Errorf("handler saw ids %s; want the echoed %q and %q", body, gotReq, gotCorr)
			}
		})
	}
}

// The local gateway's request id, in its own header, wins over the
// caller's X-Request-Id, which it leaves as the caller sent it.
func TestGatewayRequestIDWins(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodGet, "/ids", nil)
	req.Header.Set(web.GatewayRequestIDHeader, "from-gateway")
	req.Header.Set(web.RequestIDHeader, "signed-by-mercado-pago")
	rec := serve(idsRouter(logging.Discard()), req)
	if got := rec.Header().Get(web.RequestIDHeader); got != "from-gateway" {
		t.Errorf("request id %q; want the gateway's", got)
	}
}

func TestRequestIDsReachTheLogs(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	log := logging.New(&logs, logging.Config{Format: "json", Level: "info"})
	req := httptest.NewRequest(http.MethodGet, "/ids", nil)
	req.Header.Set(web.RequestIDHeader, "req-logged")
	req.Header.Set(web.CorrelationIDHeader, "corr-logged")
	serve(idsRouter(log), req)
	for _, want := range []string{`"request_id":"req-logged"`, `"correlation_id":"corr-logged"`, `"msg":"http request"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %s:\n%s", want, logs.String())
		}
	}
}
