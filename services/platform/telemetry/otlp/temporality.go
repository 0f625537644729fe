package otlp

import (
	"fmt"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// Temporality reads OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE:
// cumulative (the default), delta or lowmemory, as the specification
// defines them.
func Temporality(preference string) (sdkmetric.TemporalitySelector, error) {
	switch preference {
	case "", "cumulative":
		return sdkmetric.DefaultTemporalitySelector, nil
	case "delta":
		return deltaFor(sdkmetric.InstrumentKindCounter, sdkmetric.InstrumentKindObservableCounter, sdkmetric.InstrumentKindHistogram), nil
	case "lowmemory":
		return deltaFor(sdkmetric.InstrumentKindCounter, sdkmetric.InstrumentKindHistogram), nil
	}
	return nil, fmt.Errorf("%q: want cumulative, delta or lowmemory", preference)
}

// deltaFor is delta for kinds, cumulative for the others.
func deltaFor(kinds ...sdkmetric.InstrumentKind) sdkmetric.TemporalitySelector {
	return func(k sdkmetric.InstrumentKind) metricdata.Temporality {
		for _, delta := range kinds {
			if k == delta {
				return metricdata.DeltaTemporality
			}
		}
		return metricdata.CumulativeTemporality
	}
}
