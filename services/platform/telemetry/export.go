package telemetry

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/comanda/comanda/services/platform/telemetry/otlp"
)

// exporters are where the settings ask to send spans and metrics: an
// OTLP/HTTP exporter for each, or nil.
type exporters struct {
	traces    sdktrace.SpanExporter
	metrics   sdkmetric.Reader
	endpoints []string
}

// newExporters reads and checks the export settings of cfg.
func newExporters(cfg Config, log *slog.Logger) (exporters, error) {
	var x exporters
	traces, err := exportEndpoint(cfg.TracesExporter, cfg.TracesEndpoint, cfg.Endpoint, "/v1/traces")
	if err != nil {
		return x, fmt.Errorf("OTEL_TRACES_EXPORTER: %w", err)
	}
	metrics, err := exportEndpoint(cfg.MetricsExporter, cfg.MetricsEndpoint, cfg.Endpoint, "/v1/metrics")
	if err != nil {
		return x, fmt.Errorf("OTEL_METRICS_EXPORTER: %w", err)
	}
	if traces == "" && metrics == "" {
		return x, nil
	}
	options, err := clientOptions(cfg, log)
	if err != nil {
		return x, err
	}
	if traces != "" {
		if err := checkEndpoint(traces); err != nil {
			return x, fmt.Errorf("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (or OTEL_EXPORTER_OTLP_ENDPOINT): %w", err)
		}
		options.Endpoint = traces
		x.traces = otlp.NewTraceExporter(otlp.NewClient(options))
		x.endpoints = append(x.endpoints, traces)
	}
	if metrics != "" {
		if err := checkEndpoint(metrics); err != nil {
			return x, fmt.Errorf("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (or OTEL_EXPORTER_OTLP_ENDPOINT): %w", err)
		}
		if cfg.MetricInterval <= 0 {
			return x, fmt.Errorf("OTEL_METRIC_EXPORT_INTERVAL: %d is not a positive number of milliseconds", cfg.MetricInterval)
		}
		temporality, err := otlp.Temporality(cfg.MetricsTemporality)
		if err != nil {
			return x, fmt.Errorf("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: %w", err)
		}
		options.Endpoint = metrics
		x.metrics = sdkmetric.NewPeriodicReader(otlp.NewMetricExporter(otlp.NewClient(options), temporality),
			sdkmetric.WithInterval(time.Duration(cfg.MetricInterval)*time.Millisecond))
		x.endpoints = append(x.endpoints, metrics)
	}
	return x, nil
}

// exportEndpoint returns where a signal is exported: its own endpoint, or
// the base endpoint with path; "" for nowhere.
func exportEndpoint(kind, own, base, path string) (string, error) {
	switch kind {
	case "none":
		return "", nil
	case "", "otlp":
	default:
		return "", fmt.Errorf("%q: want otlp or none", kind)
	}
	switch {
	case own != "":
		return own, nil
	case base != "":
		return strings.TrimRight(base, "/") + path, nil
	case kind == "otlp":
		return "http://localhost:4318" + path, nil // the SDKs' default
	}
	return "", nil
}

func checkEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http or https URL", endpoint)
	}
	return nil
}

// clientOptions are the settings both signals' exporters share.
func clientOptions(cfg Config, log *slog.Logger) (otlp.ClientOptions, error) {
	o := otlp.ClientOptions{Log: log, Timeout: time.Duration(cfg.Timeout) * time.Millisecond}
	if p := cfg.Protocol; p != "" && p != "http/protobuf" {
		return o, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL: %q: this build exports http/protobuf only", p)
	}
	switch cfg.Compression {
	case "", "none":
	case "gzip":
		o.Gzip = true
	default:
		return o, fmt.Errorf("OTEL_EXPORTER_OTLP_COMPRESSION: %q: want gzip or none", cfg.Compression)
	}
	if cfg.Timeout <= 0 {
		return o, fmt.Errorf("OTEL_EXPORTER_OTLP_TIMEOUT: %d is not a positive number of milliseconds", cfg.Timeout)
	}
	headers, err := parseList(cfg.Headers)
	if err != nil {
		return o, fmt.Errorf("OTEL_EXPORTER_OTLP_HEADERS: %w", err)
	}
	o.Headers = headers
	return o, nil
}
