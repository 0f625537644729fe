// Package telemetry gives a service its OpenTelemetry tracer and meter
// providers, configured by OpenTelemetry's standard settings
// (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER, …)
// read from the service's own environment, so that services sharing a
// process (the harness) each have theirs. Spans and metrics are exported by
// OTLP over HTTP (package otlp). With no exporter set and nothing recording
// them (the harness can), the providers are no-ops and cost next to
// nothing, while the W3C trace context still passes through the service
// from caller to callee.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// Config holds OpenTelemetry's standard settings, as the SDKs name them.
type Config struct {
	// Disabled turns everything off, an exporter set or not.
	Disabled bool `env:"OTEL_SDK_DISABLED, default=false"`
	// ServiceName is service.name; the service's own name by default.
	ServiceName string `env:"OTEL_SERVICE_NAME"`
	// ResourceAttributes adds key=value,… to every span and metric.
	ResourceAttributes string `env:"OTEL_RESOURCE_ATTRIBUTES"`
	// Endpoint is the OTLP/HTTP receiver's base URL (e.g.
	// http://127.0.0.1:4318): spans go to /v1/traces, metrics to
	// /v1/metrics, unless the per-signal endpoints say otherwise.
	Endpoint        string `env:"OTEL_EXPORTER_OTLP_ENDPOINT"`
	TracesEndpoint  string `env:"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"`
	MetricsEndpoint string `env:"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"`
	// Protocol is http/protobuf, the only one this build speaks.
	Protocol string `env:"OTEL_EXPORTER_OTLP_PROTOCOL"`
	// Headers are sent with every export: key=value,….
	Headers string `env:"OTEL_EXPORTER_OTLP_HEADERS"`
	// Compression is gzip or none.
	Compression string `env:"OTEL_EXPORTER_OTLP_COMPRESSION"`
	// Timeout bounds one export, its retries included, in milliseconds.
	Timeout int `env:"OTEL_EXPORTER_OTLP_TIMEOUT, default=10000"`
	// TracesExporter and MetricsExporter are otlp or none; otlp where an
	// endpoint is set, none otherwise.
	TracesExporter  string `env:"OTEL_TRACES_EXPORTER"`
	MetricsExporter string `env:"OTEL_METRICS_EXPORTER"`
	// Sampler and SamplerArg choose which traces are recorded:
	// always_on, always_off, traceidratio, parentbased_always_on (the
	// default), parentbased_always_off, parentbased_traceidratio.
	Sampler    string `env:"OTEL_TRACES_SAMPLER, default=parentbased_always_on"`
	SamplerArg string `env:"OTEL_TRACES_SAMPLER_ARG"`
	// MetricInterval is how often metrics are exported, in milliseconds.
	MetricInterval int `env:"OTEL_METRIC_EXPORT_INTERVAL, default=60000"`
	// MetricsTemporality is cumulative (the default), delta or lowmemory.
	MetricsTemporality string `env:"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"`

	// Record, when set (by the harness), is given every span the service
	// ends, besides any exporter: the harness keeps them in memory.
	Record sdktrace.SpanProcessor
	// Metrics, when set (by the harness), reads the service's metrics,
	// besides any exporter.
	Metrics sdkmetric.Reader
}

// Telemetry is a service's providers.
type Telemetry struct {
	Tracers    trace.TracerProvider
	Meters     metric.MeterProvider
	Propagator propagation.TextMapPropagator
	// Exported names the OTLP endpoints spans and metrics are sent to.
	Exported []string
	shutdown []func(context.Context) error
}

// Propagator is the W3C trace context and baggage, as every service and
// the AWS and HTTP hops between them carry it.
func Propagator() propagation.TextMapPropagator {
	return propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
}

// New builds the providers of the service named service; log is told
// when exports start failing and when they work again.
func New(ctx context.Context, cfg Config, service string, log *slog.Logger) (*Telemetry, error) {
	t := &Telemetry{Tracers: tracenoop.NewTracerProvider(), Meters: metricnoop.NewMeterProvider(), Propagator: Propagator()}
	if cfg.Disabled {
		return t, nil
	}
	x, err := newExporters(cfg, log)
	if err != nil {
		return nil, err
	}
	t.Exported = x.endpoints
	if x.traces == nil && x.metrics == nil && cfg.Record == nil && cfg.Metrics == nil {
		return t, nil
	}
	res, err := newResource(cfg, service)
	if err != nil {
		return nil, err
	}
	if x.traces != nil || cfg.Record != nil {
		sampler, err := newSampler(cfg.Sampler, cfg.SamplerArg)
		if err != nil {
			return nil, err
		}
		opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res), sdktrace.WithSampler(sampler)}
		if cfg.Record != nil {
			opts = append(opts, sdktrace.WithSpanProcessor(cfg.Record))
		}
		if x.traces != nil {
			opts = append(opts, sdktrace.WithBatcher(x.traces))
		}
		tp := sdktrace.NewTracerProvider(opts...)
		t.Tracers = tp
		t.shutdown = append(t.shutdown, tp.Shutdown)
	}
	if x.metrics != nil || cfg.Metrics != nil {
		opts := []sdkmetric.Option{sdkmetric.WithResource(res)}
		for _, reader := range []sdkmetric.Reader{cfg.Metrics, x.metrics} {
			if reader != nil {
				opts = append(opts, sdkmetric.WithReader(reader))
			}
		}
		mp := sdkmetric.NewMeterProvider(opts...)
		t.Meters = mp
		t.shutdown = append(t.shutdown, mp.Shutdown)
	}
	return t, nil
}

// Active is, when spans are recorded or exported, a tracer provider for
// the calls made within a trace (a span per query, per AWS call): its
// spans are only ever children (childrenOnly). Nil otherwise, so that
// nothing is set up that would cost on every call.
func (t *Telemetry) Active() trace.TracerProvider {
	if len(t.shutdown) == 0 {
		return nil
	}
	return childrenOnly{tracers: t.Tracers}
}

// Shutdown flushes what is buffered and stops the exporters.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	var errs []error
	for _, stop := range t.shutdown {
		errs = append(errs, stop(ctx))
	}
	return errors.Join(errs...)
}

// Tracer is the service's tracer for name (the instrumented package).
func (t *Telemetry) Tracer(name string) trace.Tracer { return t.Tracers.Tracer(name) }

// Handler traces every request h serves: a server span whose parent is the
// caller's, from the request's traceparent.
func (t *Telemetry) Handler(h http.Handler) http.Handler {
	return otelhttp.NewHandler(h, "http.server", t.httpOptions()...)
}

// Transport traces every request sent through next, and sends the trace
// context with it.
func (t *Telemetry) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return otelhttp.NewTransport(next, t.httpOptions()...)
}

func (t *Telemetry) httpOptions() []otelhttp.Option {
	return []otelhttp.Option{
		otelhttp.WithTracerProvider(t.Tracers), otelhttp.WithMeterProvider(t.Meters), otelhttp.WithPropagators(t.Propagator),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }),
		otelhttp.WithFilter(notHealth),
	}
}

// notHealth leaves the health checks untraced and unmeasured: a load
// balancer's or the gateway's polling every few seconds is not traffic.
func notHealth(r *http.Request) bool {
	return r.URL.Path != "/healthz" && r.URL.Path != "/readyz"
}

// Start builds the providers of the service named service, and returns
// them with stop, which flushes and stops them (within five seconds) and
// logs what it could not export.
func Start(ctx context.Context, cfg Config, service string, log *slog.Logger) (*Telemetry, func(), error) {
	t, err := New(ctx, cfg, service, log)
	if err != nil {
		return nil, nil, fmt.Errorf("telemetry: %w", err)
	}
	if len(t.Exported) > 0 {
		log.Info("telemetry: exporting by OTLP/HTTP", "endpoints", strings.Join(t.Exported, " "))
	}
	stop := func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := t.Shutdown(ctx); err != nil {
			log.Warn("telemetry not flushed", "err", err)
		}
	}
	return t, stop, nil
}

// Carried is a trace context kept with data (a payment, a kitchen record),
// as W3C traceparent and tracestate, so that work on that data later, in
// another trace (a webhook, an employee's request), can continue the trace
// that made it.
type Carried struct {
	Parent string // traceparent; "" when nothing was traced
	State  string // tracestate
}

// Carry is the trace context of ctx.
func Carry(ctx context.Context) Carried {
	carrier := propagation.MapCarrier{}
	propagation.TraceContext{}.Inject(ctx, carrier)
	return Carried{Parent: carrier["traceparent"], State: carrier["tracestate"]}
}

// Context returns ctx with c as the remote parent of the spans started in
// it; ctx as it is when c carries nothing.
func (c Carried) Context(ctx context.Context) context.Context {
	if c.Parent == "" {
		return ctx
	}
	return propagation.TraceContext{}.Extract(ctx, propagation.MapCarrier{"traceparent": c.Parent, "tracestate": c.State})
}

// Resume starts a span named name, child of the trace c carries, linked to
// the span in force in ctx (the request that caused the work): the work
// belongs to the trace that made the data, and the request's own trace
// leads to it.
func Resume(ctx context.Context, tracer trace.Tracer, c Carried, name string) (context.Context, trace.Span) {
	link := trace.LinkFromContext(ctx)
	if c.Parent == "" {
		return tracer.Start(ctx, name)
	}
	return tracer.Start(c.Context(ctx), name, trace.WithLinks(link))
}
