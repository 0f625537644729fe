package telemetry_test

import (
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/comanda/comanda/services/platform/telemetry"
)

// otlpReceiver records what OTLP/HTTP exporters send it.
type otlpReceiver struct {
	mu     sync.Mutex
	posts  map[string]int    // method and path → requests
	bodies map[string][]byte // path → the last body, uncompressed
}

func newReceiver(t *testing.T) (*otlpReceiver, string) {
	r := &otlpReceiver{posts: map[string]int{}, bodies: map[string][]byte{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var body io.Reader = req.Body
		if req.Header.Get("Content-Encoding") == "gzip" {
			body, _ = gzip.NewReader(req.Body)
		}
		data, _ := io.ReadAll(body)
		r.mu.Lock()
		r.posts[req.Method+" "+req.URL.Path]++
		r.bodies[req.URL.Path] = data
		r.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return r, srv.URL
}

// quiet is the log of the services under test: what it says is not checked here.
var quiet = slog.New(slog.DiscardHandler)

// With nothing set, nothing is exported and spans are not recorded.
func TestNothingSetExportsNothing(t *testing.T) {
	t.Parallel()
	tel, err := telemetry.New(t.Context(), telemetry.Config{Sampler: "parentbased_always_on"}, "order", quiet)
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

// With an OTLP endpoint set, spans go to /v1/traces and metrics to
// /v1/metrics, as OTLP protobuf naming the service.
func TestEndpointExportsSpansAndMetrics(t *testing.T) {
	t.Parallel()
	recv, url := newReceiver(t)
	tel, err := telemetry.New(t.Context(), telemetry.Config{Endpoint: url + "/", Sampler: "always_on", MetricInterval: 60000,
		Timeout: 10000, Compression: "gzip"}, "payment", quiet)
	if err != nil {
		t.Fatal(err)
	}
	if want := url + "/v1/traces " + url + "/v1/metrics"; strings.Join(tel.Exported, " ") != want {
		t.Errorf("Exported = %q, want %q", tel.Exported, want)
	}
	_, span := tel.Tracer("test").Start(t.Context(), "charge")
	span.End()
	counter, _ := tel.Meters.Meter("test").Int64Counter("comanda.charges")
	counter.Add(t.Context(), 1)
	if err := tel.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	recv.mu.Lock()
	defer recv.mu.Unlock()
	var traces tracepb.TracesData
	if err := proto.Unmarshal(recv.bodies["/v1/traces"], &traces); err != nil {
		t.Fatal(err)
	}
	var metrics metricspb.MetricsData
	if err := proto.Unmarshal(recv.bodies["/v1/metrics"], &metrics); err != nil {
		t.Fatal(err)
	}
	if name := traces.GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()[0].GetName(); name != "charge" {
		t.Errorf("exported span %q, want charge", name)
	}
	if name := metrics.GetResourceMetrics()[0].GetScopeMetrics()[0].GetMetrics()[0].GetName(); name != "comanda.charges" {
		t.Errorf("exported metric %q, want comanda.charges", name)
	}
	service := metrics.GetResourceMetrics()[0].GetResource().GetAttributes()[0]
	if service.GetKey() != "service.name" || service.GetValue().GetStringValue() != "payment" {
		t.Errorf("resource attribute %v; want service.name payment", service)
	}
}

// OTEL_TRACES_EXPORTER=none exports no spans even with an endpoint set,
// and a span processor given by the harness still sees every span.
func TestRecordWithoutExport(t *testing.T) {
	t.Parallel()
	recv, url := newReceiver(t)
	rec := tracetest.NewSpanRecorder()
	tel, err := telemetry.New(t.Context(), telemetry.Config{Endpoint: url, TracesExporter: "none", MetricsExporter: "none",
		Sampler: "parentbased_always_on", Record: rec}, "production", quiet)
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
	const local = "http://127.0.0.1:4318"
	for name, cfg := range map[string]telemetry.Config{
		"OTEL_TRACES_SAMPLER":                               {Sampler: "sometimes", Record: rec},
		"OTEL_TRACES_SAMPLER_ARG":                           {Sampler: "traceidratio", SamplerArg: "2", Record: rec},
		"OTEL_TRACES_EXPORTER":                              {TracesExporter: "zipkin"},
		"OTEL_RESOURCE_ATTRIBUTES":                          {Sampler: "always_on", ResourceAttributes: "novalue", Record: rec},
		"OTEL_EXPORTER_OTLP_HEADERS":                        {Endpoint: local, Timeout: 1, Headers: "=x"},
		"OTEL_METRIC_EXPORT_INTERVAL":                       {Endpoint: local, Timeout: 1, MetricInterval: 0},
		"OTEL_EXPORTER_OTLP_PROTOCOL":                       {Endpoint: local, Timeout: 1, Protocol: "grpc"},
		"OTEL_EXPORTER_OTLP_COMPRESSION":                    {Endpoint: local, Timeout: 1, Compression: "zstd"},
		"OTEL_EXPORTER_OTLP_TIMEOUT":                        {Endpoint: local, Timeout: 0},
		"OTEL_EXPORTER_OTLP_ENDPOINT":                       {Endpoint: "127.0.0.1:4318", Timeout: 1},
		"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": {Endpoint: local, Timeout: 1, MetricInterval: 1, MetricsTemporality: "often"},
	} {
		if _, err := telemetry.New(t.Context(), cfg, "auth", quiet); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v, want one naming it", name, err)
		}
	}
}

// A request is a server span, its caller's child; a health check is none.
func TestHandlerTracesRequestsButNotHealthChecks(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tel, err := telemetry.New(t.Context(), telemetry.Config{Sampler: "parentbased_always_on", Record: rec}, "order", quiet)
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
	tel, err := telemetry.New(t.Context(), telemetry.Config{Sampler: "parentbased_always_on", Record: rec}, "order", quiet)
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
	if off, _ := telemetry.New(t.Context(), telemetry.Config{}, "order", quiet); off.Active() != nil {
		t.Error("Active is set with telemetry off")
	}
}
