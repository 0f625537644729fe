package console

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/harness/apiclient"
)

// orderView is an order's page.
type orderView struct {
	Order         apiclient.Order
	Payments      []fakePayment
	CorrelationID string
	Trace         *waterfall
	Linked        []*waterfall
	Messages      []message
	Logs          []string
	TraceNote     string // why there is no trace, when there is none
}

// fakePayment is a payment at the fake Mercado Pago, with the
// notifications it sent about it and how they were answered.
type fakePayment struct {
	mercadopago.Payment
	Deliveries []mercadopago.Delivery
}

func (c *Console) orderPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var v orderView
	res, err := c.staff.do(r.Context(), http.MethodGet, "/order/"+id, nil)
	if err == nil {
		err = res.Expect(http.StatusOK, &v.Order)
	}
	if err != nil {
		c.render(w, r, "order", page{Title: "Order " + id, Nav: "orders", Alert: err.Error(), Data: v})
		return
	}
	v.Payments = c.fakePayments(r.Context(), id)
	lines := c.sys.LogLines()
	var traceID trace.TraceID
	v.CorrelationID, traceID = originOf(lines, id)
	v.Logs = linesAbout(lines, id, v.CorrelationID)
	c.traceOf(&v, traceID)
	c.render(w, r, "order", page{Title: "Order " + short(id), Nav: "orders", Data: v})
}

func short(id string) string { return id[:min(len(id), 8)] }

func (c *Console) fakePayments(ctx context.Context, orderID string) []fakePayment {
	payments, err := c.fake.List(ctx, orderID)
	if err != nil {
		return nil
	}
	out := make([]fakePayment, 0, len(payments))
	for _, p := range payments {
		d, _ := c.fake.Deliveries(ctx, p.ID)
		out = append(out, fakePayment{Payment: p, Deliveries: d})
	}
	return out
}

func (c *Console) traceOf(v *orderView, id trace.TraceID) {
	switch {
	case !c.sys.InProcess():
		v.TraceNote = "Traces are kept in memory for the in-process system only; with containers, set OTEL_EXPORTER_OTLP_ENDPOINT to send them to a collector."
		return
	case !id.IsValid():
		v.TraceNote = "No trace names this order (the log line of its placing is no longer kept)."
		return
	}
	spans := c.sys.Spans()
	v.Trace = newWaterfall(id, spans)
	if v.Trace == nil {
		v.TraceNote = "The order's trace " + id.String() + " is no longer kept: the console keeps the newest spans only."
		return
	}
	v.Messages = messagesOf(id, spans)
	for _, linked := range linkedTraces(v.Trace) {
		if w := newWaterfall(linked, spans); w != nil {
			v.Linked = append(v.Linked, w)
		}
	}
}

// The fields of a log line, in text (key=value) or JSON ("key":"value").
var (
	correlationField = regexp.MustCompile(`correlation_id"?[=:]"?([0-9a-zA-Z-]+)`)
	traceField       = regexp.MustCompile(`trace_id"?[=:]"?([0-9a-f]{32})`)
)

// originOf finds, in the log, the line the order service wrote when it
// placed the order: its correlation id and its trace.
func originOf(lines []string, orderID string) (string, trace.TraceID) {
	for _, l := range lines {
		if strings.Contains(l, orderID) && strings.Contains(l, "order placed") {
			var id trace.TraceID
			if m := traceField.FindStringSubmatch(l); m != nil {
				id, _ = trace.TraceIDFromHex(m[1])
			}
			if m := correlationField.FindStringSubmatch(l); m != nil {
				return m[1], id
			}
			return "", id
		}
	}
	return "", trace.TraceID{}
}

// linesAbout are the log lines that name the order or its correlation id.
func linesAbout(lines []string, orderID, correlationID string) []string {
	var out []string
	for _, l := range lines {
		if strings.Contains(l, orderID) || (correlationID != "" && strings.Contains(l, correlationID)) {
			out = append(out, l)
		}
	}
	return out
}

// deliver marks a READY order delivered, as the employee.
func (c *Console) deliver(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	res, err := c.staff.do(ctx, http.MethodPut, "/order/"+id+"/delivered", nil)
	if err == nil {
		err = res.Expect(http.StatusOK, nil)
	}
	back(w, r, "/kitchen", err, "Order "+short(id)+" delivered.")
}
