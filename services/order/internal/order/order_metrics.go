package order

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// meterName names the service's own instruments.
const meterName = "github.com/comanda/comanda/services/order"

// orderMetrics count orders by status transition.
type orderMetrics struct {
	transitions metric.Int64Counter
}

func newOrderMetrics(meters metric.MeterProvider) orderMetrics {
	// An instrument that cannot be made is a no-op one.
	c, _ := meters.Meter(meterName).Int64Counter("comanda.order.transitions", metric.WithUnit("{transition}"),
		metric.WithDescription("Orders entering a status, by the status they left (from, none for a new order) and the one entered (to)."))
	return orderMetrics{transitions: c}
}

// Measured has the orders' metrics made by meters.
func (s *Orders) Measured(meters metric.MeterProvider) { s.metrics = newOrderMetrics(meters) }

// moved counts each status entered, one after the other, from from.
func (m orderMetrics) moved(ctx context.Context, from Status, entered ...Status) {
	for _, to := range entered {
		m.transitions.Add(ctx, 1, metric.WithAttributes(attribute.String("from", string(from)), attribute.String("to", string(to))))
		from = to
	}
}
