package harness

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// recording is where one run of a service keeps its telemetry: every span
// it ends, and a reader of its metrics. Nil fields keep nothing.
type recording struct {
	spans   sdktrace.SpanProcessor
	metrics sdkmetric.Reader
}

// telemetryRecorder keeps the services' telemetry in memory
// (Options.RecordTelemetry): one span recorder for all, and a metric reader
// for the current run of each service (a reader serves one run: a service
// started again counts from zero, as a restarted task does).
type telemetryRecorder struct {
	spans *spanRing

	mu      sync.Mutex
	readers map[string]*sdkmetric.ManualReader
}

func newTelemetryRecorder(spanLimit int) *telemetryRecorder {
	return &telemetryRecorder{spans: newSpanRing(spanLimit), readers: map[string]*sdkmetric.ManualReader{}}
}

// recording is where the next run of service keeps its telemetry.
func (s *System) recording(service string) recording {
	if s.telemetry == nil {
		return recording{}
	}
	reader := sdkmetric.NewManualReader()
	s.telemetry.mu.Lock()
	s.telemetry.readers[service] = reader
	s.telemetry.mu.Unlock()
	return recording{spans: s.telemetry.spans, metrics: reader}
}

// Spans returns every span the services and the gateway have ended so far,
// when Options.RecordTelemetry is set (in-process only); nil otherwise.
func (s *System) Spans() []sdktrace.ReadOnlySpan {
	if s.telemetry == nil {
		return nil
	}
	return s.telemetry.spans.Ended()
}

// Counter sums the data points of service's counter name (an int64 sum)
// whose attributes include every one of attrs, as the service's current
// run has counted them so far (Options.RecordTelemetry).
func (s *System) Counter(ctx context.Context, service, name string, attrs map[string]string) (int64, error) {
	if s.telemetry == nil {
		return 0, fmt.Errorf("the harness records no telemetry (Options.RecordTelemetry)")
	}
	s.telemetry.mu.Lock()
	reader := s.telemetry.readers[service]
	s.telemetry.mu.Unlock()
	if reader == nil {
		return 0, fmt.Errorf("no service %q has run", service)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		return 0, err
	}
	var total int64
	for _, scope := range rm.ScopeMetrics {
		for _, m := range scope.Metrics {
			sum, ok := m.Data.(metricdata.Sum[int64])
			if m.Name != name || !ok {
				continue
			}
			for _, dp := range sum.DataPoints {
				if hasAttributes(dp.Attributes.ToSlice(), attrs) {
					total += dp.Value
				}
			}
		}
	}
	return total, nil
}

func hasAttributes(have []attribute.KeyValue, want map[string]string) bool {
	for k, v := range want {
		found := false
		for _, kv := range have {
			if string(kv.Key) == k && kv.Value.String() == v {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// telemetryEnvironment gives every service and the gateway
// Options.Telemetry, OpenTelemetry's settings, each with its own
// OTEL_SERVICE_NAME, as each task would be given them.
func telemetryEnvironment(envs map[string]map[string]string, settings map[string]string) error {
	if len(settings) == 0 {
		return nil
	}
	for k := range settings {
		if !strings.HasPrefix(k, "OTEL_") {
			return fmt.Errorf("Options.Telemetry has %s, which is not an OpenTelemetry setting (OTEL_…)", k)
		}
	}
	for name, env := range envs {
		maps.Copy(env, settings)
		env["OTEL_SERVICE_NAME"] = name
	}
	return nil
}
