package outbox_test

import (
	"context"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/outbox"
)

// What waits in the PostgreSQL outbox: the rows, and the oldest's time.
func TestPostgresBacklog(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	store := outbox.NewPostgresStore(pool)
	if b, err := store.Backlog(t.Context()); err != nil || b.Messages != 0 || !b.Oldest.IsZero() {
		t.Fatalf("an empty outbox: %+v, %v; want nothing waiting", b, err)
	}
	before := time.Now()
	addEvents(t, pool, "q1", "q2", "q1")
	b, err := store.Backlog(t.Context())
	if err != nil || b.Messages != 3 || b.Oldest.Before(before.Add(-time.Minute)) || b.Oldest.After(time.Now().Add(time.Minute)) {
		t.Fatalf("three rows: %+v, %v; want 3 and a time about now", b, err)
	}
}

// What waits in the DynamoDB outbox: the items, and the oldest's time.
func TestDynamoBacklog(t *testing.T) {
	t.Parallel()
	f := newDynamoFixture(t)
	if b, err := f.store.Backlog(t.Context()); err != nil || b.Messages != 0 {
		t.Fatalf("an empty outbox: %+v, %v; want nothing waiting", b, err)
	}
	oldest := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f.put(t, "q", oldest.Add(time.Minute))
	f.put(t, "q", oldest)
	b, err := f.store.Backlog(t.Context())
	if err != nil || b.Messages != 2 || !b.Oldest.Equal(oldest) {
		t.Fatalf("two items: %+v, %v; want 2, the oldest written at %s", b, err, oldest)
	}
}

// The relay's meters observe the backlog: comanda.outbox.messages and
// comanda.outbox.oldest_age.
func TestRelayMeasuresTheBacklog(t *testing.T) {
	t.Parallel()
	f := newDynamoFixture(t)
	f.put(t, "q", time.Now().Add(-90*time.Second))
	reader := sdkmetric.NewManualReader()
	relay := outbox.NewRelay(f.store, &fakePublisher{}, outbox.Config{}, logging.Discard())
	if err := relay.Measure(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))); err != nil {
		t.Fatal(err)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(t.Context(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Gauge[int64]:
				got[m.Name] = float64(d.DataPoints[0].Value)
			case metricdata.Gauge[float64]:
				got[m.Name] = d.DataPoints[0].Value
			}
		}
	}
	if got["comanda.outbox.messages"] != 1 || got["comanda.outbox.oldest_age"] < 89 {
		t.Errorf("observed %v; want 1 message waiting for at least 89 s", got)
	}
}

// Once the relay has stopped, its gauges are no longer observed: the last
// collection, at the service's end, must not query a closed store.
func TestRelayGaugesStopWithTheRelay(t *testing.T) {
	t.Parallel()
	f := newDynamoFixture(t)
	reader := sdkmetric.NewManualReader()
	relay := outbox.NewRelay(f.store, &fakePublisher{}, outbox.Config{}, logging.Discard())
	if err := relay.Measure(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := relay.Run(ctx); err != nil {
		t.Fatal(err)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(t.Context(), &rm); err != nil {
		t.Fatal(err)
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			t.Errorf("observed %s after the relay stopped", m.Name)
		}
	}
}
