package otlp

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"google.golang.org/protobuf/encoding/protowire"
)

// MetricExporter sends metrics to an OTLP/HTTP receiver's /v1/metrics.
type MetricExporter struct {
	client      *Client
	temporality sdkmetric.TemporalitySelector
	closed      atomic.Bool
}

// NewMetricExporter exports metrics through client, each instrument with
// the temporality temporality chooses for its kind.
func NewMetricExporter(client *Client, temporality sdkmetric.TemporalitySelector) *MetricExporter {
	return &MetricExporter{client: client, temporality: temporality}
}

// Temporality is the temporality of the instruments of kind k.
func (x *MetricExporter) Temporality(k sdkmetric.InstrumentKind) metricdata.Temporality {
	return x.temporality(k)
}

// Aggregation is the SDK's default for every kind: sums, last values and
// explicit-bucket histograms, the aggregations this exporter writes.
func (x *MetricExporter) Aggregation(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
	return sdkmetric.DefaultAggregationSelector(k)
}

// Export sends rm in one request. A metric whose aggregation it cannot
// write is an error (the others are sent); a failure to send is the
// client's to report (Client.Send).
func (x *MetricExporter) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	if x.closed.Load() {
		return nil
	}
	body, points, err := EncodeMetrics(rm)
	if points > 0 {
		x.client.Send(ctx, body, points)
	}
	return err
}

// ForceFlush has nothing to flush: Export sends before it returns.
func (x *MetricExporter) ForceFlush(context.Context) error { return nil }

// Shutdown stops the exporter: it sends nothing after.
func (x *MetricExporter) Shutdown(context.Context) error {
	x.closed.Store(true)
	return nil
}

// EncodeMetrics is rm as an OTLP ExportMetricsServiceRequest (the same
// message as MetricsData), with the number of data points it holds.
func EncodeMetrics(rm *metricdata.ResourceMetrics) ([]byte, int, error) {
	var e encoder
	var errs []error
	points := 0
	e.message(1, func(e *encoder) { // ResourceMetrics
		e.message(1, func(e *encoder) { resourceFields(e, rm.Resource) })
		for _, sm := range rm.ScopeMetrics {
			e.message(2, func(e *encoder) { // ScopeMetrics
				e.message(1, func(e *encoder) { scope(e, sm.Scope) })
				for _, m := range sm.Metrics {
					n, err := metricPoints(m.Data)
					if err != nil {
						errs = append(errs, fmt.Errorf("metric %s: %w", m.Name, err))
						continue
					}
					points += n
					e.message(2, func(e *encoder) { metricFields(e, m) })
				}
				e.text(3, sm.Scope.SchemaURL)
			})
		}
		e.text(3, rm.Resource.SchemaURL())
	})
	return e.buf, points, errors.Join(errs...)
}

// metricPoints is how many data points data holds, or an error if this
// exporter does not write its aggregation.
func metricPoints(data metricdata.Aggregation) (int, error) {
	switch d := data.(type) {
	case metricdata.Gauge[int64]:
		return len(d.DataPoints), nil
	case metricdata.Gauge[float64]:
		return len(d.DataPoints), nil
	case metricdata.Sum[int64]:
		return len(d.DataPoints), nil
	case metricdata.Sum[float64]:
		return len(d.DataPoints), nil
	case metricdata.Histogram[int64]:
		return len(d.DataPoints), nil
	case metricdata.Histogram[float64]:
		return len(d.DataPoints), nil
	}
	return 0, fmt.Errorf("aggregation %T is not exported", data)
}

// metricFields writes the fields of a Metric whose aggregation
// metricPoints accepts.
func metricFields(e *encoder, m metricdata.Metrics) {
	e.text(1, m.Name)
	e.text(2, m.Description)
	e.text(3, m.Unit)
	switch d := m.Data.(type) {
	case metricdata.Gauge[int64]:
		e.message(5, func(e *encoder) { numberPoints(e, d.DataPoints) })
	case metricdata.Gauge[float64]:
		e.message(5, func(e *encoder) { numberPoints(e, d.DataPoints) })
	case metricdata.Sum[int64]:
		e.message(7, func(e *encoder) { sumFields(e, d) })
	case metricdata.Sum[float64]:
		e.message(7, func(e *encoder) { sumFields(e, d) })
	case metricdata.Histogram[int64]:
		e.message(9, func(e *encoder) { histogramFields(e, d) })
	case metricdata.Histogram[float64]:
		e.message(9, func(e *encoder) { histogramFields(e, d) })
	}
}

func sumFields[N int64 | float64](e *encoder, s metricdata.Sum[N]) {
	numberPoints(e, s.DataPoints)
	e.varint(2, temporality(s.Temporality))
	if s.IsMonotonic {
		e.boolean(3, true)
	}
}

func numberPoints[N int64 | float64](e *encoder, points []metricdata.DataPoint[N]) {
	for _, p := range points {
		e.message(1, func(e *encoder) { // NumberDataPoint
			e.time(2, p.StartTime)
			e.time(3, p.Time)
			number(e, 4, 6, p.Value)
			for _, x := range p.Exemplars {
				e.message(5, func(e *encoder) { exemplarFields(e, x) })
			}
			keyValues(e, 7, p.Attributes.ToSlice())
		})
	}
}

func histogramFields[N int64 | float64](e *encoder, h metricdata.Histogram[N]) {
	for _, p := range h.DataPoints {
		e.message(1, func(e *encoder) { // HistogramDataPoint
			e.time(2, p.StartTime)
			e.time(3, p.Time)
			e.fixed64(4, p.Count)
			e.double(5, float64(p.Sum))
			e.packedFixed64(6, p.BucketCounts)
			e.packedDouble(7, p.Bounds)
			for _, x := range p.Exemplars {
				e.message(8, func(e *encoder) { exemplarFields(e, x) })
			}
			keyValues(e, 9, p.Attributes.ToSlice())
			if v, ok := p.Min.Value(); ok {
				e.double(11, float64(v))
			}
			if v, ok := p.Max.Value(); ok {
				e.double(12, float64(v))
			}
		})
	}
	e.varint(2, temporality(h.Temporality))
}

func exemplarFields[N int64 | float64](e *encoder, x metricdata.Exemplar[N]) {
	e.time(2, x.Time)
	number(e, 3, 6, x.Value)
	if len(x.SpanID) > 0 {
		e.bytes(4, x.SpanID)
	}
	if len(x.TraceID) > 0 {
		e.bytes(5, x.TraceID)
	}
	keyValues(e, 7, x.FilteredAttributes)
}

// number writes v as the double field or the sfixed64 field of a oneof:
// always, since zero is a value.
func number[N int64 | float64](e *encoder, double, integer protowire.Number, v N) {
	switch v := any(v).(type) {
	case int64:
		e.fixed64(integer, uint64(v))
	case float64:
		e.double(double, v)
	}
}

// temporality is AggregationTemporality, whose numbers are not the SDK's.
func temporality(t metricdata.Temporality) uint64 {
	switch t {
	case metricdata.DeltaTemporality:
		return 1
	case metricdata.CumulativeTemporality:
		return 2
	}
	return 0
}
