package otlp_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	metricspb "go.opentelemetry.io/proto/otlp/metrics/v1"
	"google.golang.org/protobuf/proto"

	"github.com/comanda/comanda/services/platform/telemetry/otlp"
)

// Counters, up-down counters, gauges and histograms are written as OTLP's
// generated code reads them, a zero an int value all the same.
func TestMetricsDecodeAsOTLP(t *testing.T) {
	t.Parallel()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader),
		sdkmetric.WithResource(resource.NewSchemaless(attribute.String("service.name", "payment"))))
	meter := mp.Meter("comanda/queue")
	ctx := context.Background()
	handled, _ := meter.Int64Counter("messaging.client.consumed.messages", metric.WithUnit("{message}"))
	handled.Add(ctx, 3, metric.WithAttributes(attribute.String("comanda.outcome", "handled")))
	waiting, _ := meter.Int64UpDownCounter("comanda.outbox.messages")
	waiting.Add(ctx, 0)
	duration, _ := meter.Float64Histogram("messaging.process.duration", metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(0.1, 1))
	for _, d := range []float64{0.05, 0.5, 2} {
		duration.Record(ctx, d)
	}
	_, _ = meter.Float64ObservableGauge("comanda.outbox.oldest_age", metric.WithFloat64Callback(
		func(_ context.Context, o metric.Float64Observer) error { o.Observe(1.5); return nil }))

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		t.Fatal(err)
	}
	body, points, err := otlp.EncodeMetrics(&rm)
	if err != nil || points != 4 {
		t.Fatalf("%d points, %v; want 4", points, err)
	}
	var got metricspb.MetricsData
	if err := proto.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	rs := got.ResourceMetrics[0]
	if attrs(rs.Resource.Attributes)["service.name"].GetStringValue() != "payment" || rs.ScopeMetrics[0].Scope.Name != "comanda/queue" {
		t.Errorf("resource %v scope %v", rs.Resource, rs.ScopeMetrics[0].Scope)
	}
	metrics := map[string]*metricspb.Metric{}
	for _, m := range rs.ScopeMetrics[0].Metrics {
		metrics[m.Name] = m
	}

	sum := metrics["messaging.client.consumed.messages"].GetSum()
	if metrics["messaging.client.consumed.messages"].GetUnit() != "{message}" || !sum.GetIsMonotonic() ||
		sum.GetAggregationTemporality() != metricspb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE ||
		sum.DataPoints[0].GetAsInt() != 3 || attrs(sum.DataPoints[0].Attributes)["comanda.outcome"].GetStringValue() != "handled" ||
		sum.DataPoints[0].StartTimeUnixNano == 0 || sum.DataPoints[0].TimeUnixNano < sum.DataPoints[0].StartTimeUnixNano {
		t.Errorf("counter %v", sum)
	}
	updown := metrics["comanda.outbox.messages"].GetSum()
	if _, isInt := updown.GetDataPoints()[0].GetValue().(*metricspb.NumberDataPoint_AsInt); updown.GetIsMonotonic() || !isInt {
		t.Errorf("up-down counter %v; want non-monotonic, an int 0", updown)
	}
	h := metrics["messaging.process.duration"].GetHistogram().GetDataPoints()[0]
	if h.Count != 3 || h.GetSum() != 2.55 || h.GetMin() != 0.05 || h.GetMax() != 2 ||
		len(h.ExplicitBounds) != 2 || h.ExplicitBounds[1] != 1 || len(h.BucketCounts) != 3 || h.BucketCounts[2] != 1 {
		t.Errorf("histogram point %v", h)
	}
	if g := metrics["comanda.outbox.oldest_age"].GetGauge().GetDataPoints(); len(g) != 1 || g[0].GetAsDouble() != 1.5 {
		t.Errorf("gauge %v", g)
	}
}

// The temporality preference is the specification's.
func TestTemporalityPreference(t *testing.T) {
	t.Parallel()
	for pref, want := range map[string][2]metricdata.Temporality{ // counter, up-down counter
		"":           {metricdata.CumulativeTemporality, metricdata.CumulativeTemporality},
		"delta":      {metricdata.DeltaTemporality, metricdata.CumulativeTemporality},
		"lowmemory":  {metricdata.DeltaTemporality, metricdata.CumulativeTemporality},
		"cumulative": {metricdata.CumulativeTemporality, metricdata.CumulativeTemporality},
	} {
		sel, err := otlp.Temporality(pref)
		if err != nil {
			t.Fatal(err)
		}
		if got := [2]metricdata.Temporality{sel(sdkmetric.InstrumentKindCounter), sel(sdkmetric.InstrumentKindUpDownCounter)}; got != want {
			t.Errorf("%q: %v, want %v", pref, got, want)
		}
	}
	if sel, _ := otlp.Temporality("lowmemory"); sel(sdkmetric.InstrumentKindObservableCounter) != metricdata.CumulativeTemporality {
		t.Error("lowmemory: observable counters are delta; want cumulative")
	}
	if _, err := otlp.Temporality("sometimes"); err == nil {
		t.Error("an unknown preference is accepted")
	}
}
