package telemetry_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/comanda/comanda/services/platform/telemetry"
)

// otlpReceiver records what OTLP/HTTP exporters send it.
type otlpReceiver struct {
	mu    sync.Mutex
	posts map[string]int // path → requests
	body  string
}

func newReceiver(t *testing.T) (*otlpReceiver, string) {
	r := &otlpReceiver{posts: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.posts[req.Method+" "+req.URL.Path]++
		r.body += string(body)
		r.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return r, srv.URL
}

// With nothing set, nothing is exported and spans are not recorded.
func TestNothingSetExportsNothing(t *testing.T) {
	t.Parallel()
	tel, err := telemetry.New(t.Context(), telemetry.Config{Sampler: "parentbased_always_on"}, "order")
	if err != nil {
		t.Fatal(err)
	}
	_, span := tel.Tracer("test").Start(t.Context(), "work")
	if span.IsRecording() {
		t.Error("a span is recorded with no exporter set")
	}
	span.End()
	if err := tel.Shutdown(t.Context()); err != nil {
		t.Error(err)
	}
}

// An OTLP endpoint is read and checked, and reported as not exported to:
// this build has no OTLP exporter, and sends nothing.
func TestEndpointIsReportedNotExported(t *testing.T) {
	t.Parallel()
	recv, url := newReceiver(t)
	tel, err := telemetry.New(t.Context(), telemetry.Config{Endpoint: url, Sampler: "always_on", MetricInterval: 60000}, "payment")
	if err != nil {
		t.Fatal(err)
	}
	if want := url + "/v1/traces " + url + "/v1/metrics"; tel.Unexported != want {
		t.Errorf("Unexported = %q, want %q", tel.Unexported, want)
	}
	_, span := tel.Tracer("test").Start(t.Context(), "charge")
	span.End()
	if err := tel.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	recv.mu.Lock()
	defer recv.mu.Unlock()
	if len(recv.posts) != 0 {
		t.Errorf("sent %v", recv.posts)
	}
}

// OTEL_TRACES_EXPORTER=none exports no spans even with an endpoint set,
// and a span processor given by the harness still sees every span.
func TestRecordWithoutExport(t *testing.T) {
	t.Parallel()
	recv, url := newReceiver(t)
	rec := tracetest.NewSpanRecorder()
	tel, err := telemetry.New(t.Context(), telemetry.Config{Endpoint: url, TracesExporter: "none", MetricsExporter: "none",
		Sampler: "parentbased_always_on", Record: rec}, "production")
	if err != nil {
		t.Fatal(err)
	}
	_, span := tel.Tracer("test").Start(context.Background(), "cook")
	span.End()
	if err := tel.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := rec.Ended(); len(got) != 1 || got[0].Name() != "cook" {
		t.Errorf("recorded %v; want the one span", got)
	}
	if len(recv.posts) != 0 {
		t.Errorf("exported %v with the exporters set to none", recv.posts)
	}
}

// A setting that cannot be read is an error naming it, not a silent
// default.
func TestBadSettingsAreRefused(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	for name, cfg := range map[string]telemetry.Config{
		"OTEL_TRACES_SAMPLER":         {Sampler: "sometimes", Record: rec},
		"OTEL_TRACES_SAMPLER_ARG":     {Sampler: "traceidratio", SamplerArg: "2", Record: rec},
		"OTEL_TRACES_EXPORTER":        {TracesExporter: "zipkin"},
		"OTEL_RESOURCE_ATTRIBUTES":    {Sampler: "always_on", ResourceAttributes: "novalue", Record: rec},
		"OTEL_EXPORTER_OTLP_HEADERS":  {Sampler: "always_on", Headers: "=x", Record: rec},
		"OTEL_METRIC_EXPORT_INTERVAL": {Endpoint: "http://127.0.0.1:4318", Sampler: "always_on", MetricInterval: 0},
	} {
		if _, err := telemetry.New(t.Context(), cfg, "auth"); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v, want one naming it", name, err)
		}
	}
}

// A request is a server span, its caller's child; a health check is none.
func TestHandlerTracesRequestsButNotHealthChecks(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tel, err := telemetry.New(t.Context(), telemetry.Config{Sampler: "parentbased_always_on", Record: rec}, "order")
	if err != nil {
		t.Fatal(err)
	}
	h := tel.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	for _, path := range []string{"/healthz", "/readyz", "/order"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans; want the one of /order", len(spans))
	}
	if got := spans[0].Parent().SpanID().String(); got != "00f067aa0ba902b7" || spans[0].SpanContext().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("the span's parent is %s in trace %s; want the caller's", got, spans[0].SpanContext().TraceID())
	}
}

// The calls' tracer provider starts spans within a trace only: background
// polling makes no trace of its own.
func TestActiveTracesOnlyWithinATrace(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tel, err := telemetry.New(t.Context(), telemetry.Config{Sampler: "parentbased_always_on", Record: rec}, "order")
	if err != nil {
		t.Fatal(err)
	}
	calls := tel.Active().Tracer("calls")
	_, alone := calls.Start(t.Context(), "SELECT (a sweep)")
	alone.End()
	ctx, request := tel.Tracer("server").Start(t.Context(), "POST /order")
	_, query := calls.Start(ctx, "SELECT (the request's)")
	query.End()
	request.End()
	var names []string
	for _, s := range rec.Ended() {
		names = append(names, s.Name())
	}
	if strings.Join(names, ",") != "SELECT (the request's),POST /order" {
		t.Errorf("spans %v; want the request's query and the request only", names)
	}
	if off, _ := telemetry.New(t.Context(), telemetry.Config{}, "order"); off.Active() != nil {
		t.Error("Active is set with telemetry off")
	}
}
