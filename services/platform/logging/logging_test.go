package logging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/comanda/comanda/services/platform/logging"
)

// records decodes the JSON lines a logger wrote.
func records(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(buf.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

func TestRecordsCarryTheContextIDs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := logging.New(&buf, logging.Config{Format: "json", Level: "info"})
	ctx := logging.WithCorrelationID(logging.WithRequestID(context.Background(), "req-1"), "corr-1")

	log.InfoContext(ctx, "plain")
	log.With("order_id", "o-1").WithGroup("payment").InfoContext(ctx, "derived", "status", "APPROVED")
	log.Info("no context")

	recs := records(t, &buf)
	if len(recs) != 3 {
		t.Fatalf("got %d records; want 3:\n%s", len(recs), buf.String())
	}
	for _, rec := range recs[:2] {
		// The ids stay at the top level even under a group, so queries can find them.
		if rec["request_id"] != "req-1" || rec["correlation_id"] != "corr-1" {
			t.Errorf("record %v lacks request_id req-1 and correlation_id corr-1", rec)
		}
	}
	if _, ok := recs[2]["request_id"]; ok {
		t.Errorf("a record without ids in its context got one: %v", recs[2])
	}
	if recs[1]["order_id"] != "o-1" {
		t.Errorf("derived logger lost its attributes: %v", recs[1])
	}
}

func TestGroupsKeepTheirShapeAroundTheIDs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := logging.New(&buf, logging.Config{Format: "json", Level: "info"}).
		With("service", "order").WithGroup("payment").With("payment_id", "p-1").WithGroup("provider")
	ctx := logging.WithRequestID(context.Background(), "req-3")
	log.InfoContext(ctx, "with ids", "status", 201)
	log.Info("without ids", "status", 500)

	recs := records(t, &buf)
	for i, want := range []string{"req-3", ""} {
		rec := recs[i]
		got, _ := rec["request_id"].(string)
		payment, _ := rec["payment"].(map[string]any)
		provider, _ := payment["provider"].(map[string]any)
		if got != want || rec["service"] != "order" || payment["payment_id"] != "p-1" || provider["status"] == nil {
			t.Errorf("record %d = %v; want request_id %q at the top and the groups intact", i, rec, want)
		}
		if _, nested := payment["request_id"]; nested {
			t.Errorf("record %d has the request id inside a group: %v", i, rec)
		}
	}
}

func TestOnlyTheIDsPresentAreAdded(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := logging.New(&buf, logging.Config{Format: "json", Level: "info"})
	log.InfoContext(logging.WithCorrelationID(context.Background(), "corr-only"), "from a consumer")
	rec := records(t, &buf)[0]
	if rec["correlation_id"] != "corr-only" {
		t.Errorf("record %v lacks correlation_id", rec)
	}
	if _, ok := rec["request_id"]; ok {
		t.Errorf("record %v has a request_id nobody set", rec)
	}
}

func TestLevelAndFormat(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := logging.New(&buf, logging.Config{Format: "text", Level: "warn"})
	ctx := logging.WithRequestID(context.Background(), "req-2")
	log.InfoContext(ctx, "dropped")
	log.WarnContext(ctx, "kept")
	out := buf.String()
	if strings.Contains(out, "dropped") || !strings.Contains(out, "msg=kept") || !strings.Contains(out, "request_id=req-2") {
		t.Fatalf("text logger at warn wrote %q; want only the warning, with its request id", out)
	}

	buf.Reset()
	log = logging.New(&buf, logging.Config{Format: "json", Level: "nonsense"})
	log.Debug("hidden")
	log.Info("shown")
	if strings.Contains(buf.String(), "hidden") || !strings.Contains(buf.String(), "shown") {
		t.Fatalf("an unknown level should mean info; got %q", buf.String())
	}
}

func TestIDsAbsentFromABareContext(t *testing.T) {
	t.Parallel()
	if logging.RequestID(context.Background()) != "" || logging.CorrelationID(context.Background()) != "" {
		t.Fatal("a bare context has ids")
	}
}

// A line logged within a span carries its trace and span ids, so that a
// trace leads to its log lines and back.
func TestRecordsCarryTheSpanInForce(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := logging.New(&buf, logging.Config{Format: "json", Level: "info"})
	traceID, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	spanID, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	ctx := trace.ContextWithSpanContext(context.Background(),
		trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: spanID, TraceFlags: trace.FlagsSampled}))

	log.WithGroup("payment").InfoContext(ctx, "in a span")
	log.Info("outside")

	recs := records(t, &buf)
	if got := recs[0]; got["trace_id"] != traceID.String() || got["span_id"] != spanID.String() {
		t.Errorf("in a span: %v; want trace_id %s and span_id %s at the top level", got, traceID, spanID)
	}
	if _, ok := recs[1]["trace_id"]; ok {
		t.Errorf("outside any span: %v; want no trace_id", recs[1])
	}
}
