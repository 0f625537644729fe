package harness

import (
	"fmt"
	"maps"
	"strings"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Spans returns every span the services and the gateway have ended so far,
// when Options.RecordSpans is set (in-process only); nil otherwise.
func (s *System) Spans() []sdktrace.ReadOnlySpan {
	if s.spans == nil {
		return nil
	}
	return s.spans.Ended()
}

// spanProcessor is where every service's spans are kept, or nil.
func (s *System) spanProcessor() sdktrace.SpanProcessor {
	if s.spans == nil {
		return nil
	}
	return s.spans
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
