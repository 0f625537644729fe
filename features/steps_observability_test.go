package features

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/cucumber/godog"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

// observed is what a scenario knows of its traces: the one its totem
// started, and the totem's own span, the parent of the gateway's first.
type observed struct {
	traceID    trace.TraceID
	totemSpans []trace.SpanID
	// counted is a counter's value when the scenario first read it.
	counted int64
}

func (w *world) observabilitySteps(sc *godog.ScenarioContext) {
	sc.Step(`^the totem traces its requests$`, w.totemTraces)
	sc.Step(`^the order's trace holds a server span of the gateway, child of the totem's span$`, w.gatewaySpanUnderTotem)
	sc.Step(`^the order's trace holds the span "([^"]*)" of the (\w+) service, child of a span of the (\w+)$`, w.spanUnder)
	sc.Step(`^the span "([^"]*)" links to the trace of Mercado Pago's notification, which began at the gateway$`, w.linksToNotification)
	sc.Step(`^every span of the order's trace has its parent in the trace, but the gateway's first$`, w.traceIsWhole)
	sc.Step(`^the (\w+) service's log lines about the order carry the trace id$`, w.logsCarryTrace)
	sc.Step(`^the (\w+) service's count of (?:messages|orders) (dead-lettered|entering "[A-Z_]+")$`, w.countFirst)
	sc.Step(`^the (\w+) service soon counts at least (\d+) more (?:messages?|orders?) (dead-lettered|entering "[A-Z_]+")$`, w.countsMore)
}

// counter is the metric and the attributes a counting step names.
func counter(what string) (name string, attrs map[string]string) {
	if status, ok := strings.CutPrefix(what, "entering "); ok {
		return "comanda.order.transitions", map[string]string{"to": strings.Trim(status, `"`)}
	}
	return "messaging.client.consumed.messages", map[string]string{"comanda.outcome": "dead_lettered"}
}

func (w *world) countFirst(ctx context.Context, service, what string) error {
	name, attrs := counter(what)
	n, err := suite.Counter(ctx, service, name, attrs)
	w.obs.counted = n
	return err
}

func (w *world) countsMore(ctx context.Context, service string, more int64, what string) error {
	name, attrs := counter(what)
	return w.eventually(ctx, fmt.Sprintf("%s counting %d more (%s %v)", service, more, name, attrs), func() error {
		n, err := suite.Counter(ctx, service, name, attrs)
		if err != nil {
			return err
		}
		if n < w.obs.counted+more {
			return fmt.Errorf("%s %v is %d, was %d", name, attrs, n, w.obs.counted)
		}
		return nil
	})
}

// totemTraces makes the scenario's client start one trace and send its
// context with every request, as a totem instrumented with OpenTelemetry
// would: traceparent names the trace and the totem's span of each call.
func (w *world) totemTraces() error {
	if _, err := rand.Read(w.obs.traceID[:]); err != nil {
		return err
	}
	w.api.HTTP.Transport = &traceparent{next: w.api.HTTP.Transport, obs: &w.obs}
	return nil
}

type traceparent struct {
	next http.RoundTripper
	obs  *observed
}

func (t *traceparent) RoundTrip(r *http.Request) (*http.Response, error) {
	var span trace.SpanID
	if _, err := rand.Read(span[:]); err != nil {
		return nil, err
	}
	t.obs.totemSpans = append(t.obs.totemSpans, span)
	r = r.Clone(r.Context())
	r.Header.Set("traceparent", fmt.Sprintf("00-%s-%s-01", t.obs.traceID, span))
	return t.next.RoundTrip(r)
}

// orderTrace waits for the spans of the scenario's trace that satisfy
// check: a span is recorded when it ends, a moment after the answer.
func (w *world) orderTrace(ctx context.Context, what string, check func([]sdktrace.ReadOnlySpan) error) error {
	if !w.obs.traceID.IsValid() {
		return fmt.Errorf("the totem traces nothing in this scenario")
	}
	return w.eventually(ctx, what, func() error {
		var spans []sdktrace.ReadOnlySpan
		for _, s := range suite.Spans() {
			if s.SpanContext().TraceID() == w.obs.traceID {
				spans = append(spans, s)
			}
		}
		if len(spans) == 0 {
			return fmt.Errorf("no span of trace %s was recorded", w.obs.traceID)
		}
		return check(spans)
	})
}

func serviceOf(s sdktrace.ReadOnlySpan) string {
	for _, kv := range s.Resource().Attributes() {
		if kv.Key == semconv.ServiceNameKey {
			return kv.Value.AsString()
		}
	}
	return ""
}

func describe(spans []sdktrace.ReadOnlySpan) string {
	var b strings.Builder
	for _, s := range spans {
		fmt.Fprintf(&b, "\n  %s %q %s (parent %s)", serviceOf(s), s.Name(), s.SpanContext().SpanID(), s.Parent().SpanID())
	}
	return b.String()
}

func (w *world) gatewaySpanUnderTotem(ctx context.Context) error {
	return w.orderTrace(ctx, "the gateway's span", func(spans []sdktrace.ReadOnlySpan) error {
		for _, s := range spans {
			if serviceOf(s) == "gateway" && s.SpanKind() == trace.SpanKindServer && s.Parent().IsRemote() &&
				slices.Contains(w.obs.totemSpans, s.Parent().SpanID()) {
				return nil
			}
		}
		return fmt.Errorf("no server span of the gateway is a child of the totem's span; the trace:%s", describe(spans))
	})
}

func (w *world) spanUnder(ctx context.Context, name, service, parentService string) error {
	return w.orderTrace(ctx, "the span "+name+" of the "+service+" service", func(spans []sdktrace.ReadOnlySpan) error {
		byID := map[trace.SpanID]sdktrace.ReadOnlySpan{}
		for _, s := range spans {
			byID[s.SpanContext().SpanID()] = s
		}
		for _, s := range spans {
			if serviceOf(s) != service || s.Name() != name {
				continue
			}
			if parent, ok := byID[s.Parent().SpanID()]; ok && serviceOf(parent) == parentService {
				return nil
			}
		}
		return fmt.Errorf("no span %q of the %s service is a child of a span of the %s; the trace:%s", name, service, parentService, describe(spans))
	})
}

// linksToNotification finds the span name in the order's trace linked to
// another trace, whose first span is the gateway's server span of POST
// /payment/webhook: the notification Mercado Pago sent.
func (w *world) linksToNotification(ctx context.Context, name string) error {
	return w.orderTrace(ctx, "the link to the notification's trace", func(spans []sdktrace.ReadOnlySpan) error {
		for _, s := range spans {
			if s.Name() != name {
				continue
			}
			for _, link := range s.Links() {
				if other := link.SpanContext.TraceID(); other != w.obs.traceID && beganAtGatewayWebhook(other) {
					return nil
				}
			}
			return fmt.Errorf("the span %q has links %v, none to a notification's trace", name, s.Links())
		}
		return fmt.Errorf("no span %q in the trace:%s", name, describe(spans))
	})
}

// beganAtGatewayWebhook reports whether trace id began with the gateway
// serving Mercado Pago's notification, with no parent: a trace of its own.
func beganAtGatewayWebhook(id trace.TraceID) bool {
	for _, s := range suite.Spans() {
		if s.SpanContext().TraceID() == id && serviceOf(s) == "gateway" && s.SpanKind() == trace.SpanKindServer &&
			!s.Parent().IsValid() && slices.Contains(s.Attributes(), semconv.URLPath("/payment/webhook")) {
			return true
		}
	}
	return false
}

func (w *world) traceIsWhole(ctx context.Context) error {
	return w.orderTrace(ctx, "a whole trace", func(spans []sdktrace.ReadOnlySpan) error {
		ids := map[trace.SpanID]bool{}
		for _, s := range spans {
			ids[s.SpanContext().SpanID()] = true
		}
		for _, s := range spans {
			parent := s.Parent().SpanID()
			if !ids[parent] && !(serviceOf(s) == "gateway" && slices.Contains(w.obs.totemSpans, parent)) {
				return fmt.Errorf("the span %q of %s has its parent %s outside the trace; the trace:%s", s.Name(), serviceOf(s), parent, describe(spans))
			}
		}
		return nil
	})
}

func (w *world) logsCarryTrace(ctx context.Context, service string) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	return w.eventually(ctx, "log lines with the trace id", func() error {
		if logLines(`"service":"`+service+`"`, a.orderID, `"trace_id":"`+w.obs.traceID.String()+`"`) == 0 {
			return fmt.Errorf("no log line of the %s service about order %s names trace %s", service, a.orderID, w.obs.traceID)
		}
		return nil
	})
}
