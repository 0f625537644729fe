package telemetry

import (
	"fmt"
	"net/url"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
)

// newResource is what every span and metric of the service says of it:
// service.name (OTEL_SERVICE_NAME, else the service's own name) and
// OTEL_RESOURCE_ATTRIBUTES.
func newResource(cfg Config, service string) (*resource.Resource, error) {
	attrs, err := parseList(cfg.ResourceAttributes)
	if err != nil {
		return nil, fmt.Errorf("OTEL_RESOURCE_ATTRIBUTES: %w", err)
	}
	name := cfg.ServiceName
	if name == "" {
		name = service
	}
	kvs := []attribute.KeyValue{semconv.ServiceName(name)}
	for k, v := range attrs {
		if k != string(semconv.ServiceNameKey) {
			kvs = append(kvs, attribute.String(k, v))
		}
	}
	return resource.NewWithAttributes(semconv.SchemaURL, kvs...), nil
}

// parseList reads key=value,key=value, values percent-encoded, as the
// OpenTelemetry settings write them.
func parseList(s string) (map[string]string, error) {
	out := map[string]string{}
	for item := range strings.SplitSeq(s, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not key=value", item)
		}
		value, err := url.PathUnescape(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("%q: %w", item, err)
		}
		out[k] = value
	}
	return out, nil
}
