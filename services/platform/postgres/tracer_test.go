package postgres_test

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/postgres"
)

// With tracers, every query is a client span named by its operation, with
// its text, and a pipelined transaction is one span with an event per
// statement.
func TestQueriesAndBatchesAreSpans(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tracers := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	pool, err := postgres.Open(t.Context(), postgres.Config{URL: pgtest.NewDatabase(t), Tracers: tracers}, migrations, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	rec.Reset() // the migrations' own

	var one int
	if err := pool.QueryRow(t.Context(), "select $1::int", 1).Scan(&one); err != nil {
		t.Fatal(err)
	}
	reads := &pgx.Batch{}
	reads.Queue("SELECT 2")
	err = postgres.ReadThenWrite(t.Context(), pool, reads, func(pgx.BatchResults) (*pgx.Batch, error) { return nil, nil })
	if err != nil {
		t.Fatal(err)
	}

	spans := rec.Ended()
	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		byName[s.Name()] = s
	}
	q, ok := byName["SELECT"]
	if !ok {
		t.Fatalf("no SELECT span among %d", len(spans))
	}
	attrs := map[string]string{}
	for _, kv := range q.Attributes() {
		attrs[string(kv.Key)] = kv.Value.String()
	}
	if attrs["db.system.name"] != "postgresql" || attrs["db.query.text"] != "select $1::int" || attrs["db.operation.name"] != "SELECT" {
		t.Errorf("the query's span says %v", attrs)
	}
	// Two round trips, two batches: BEGIN with the reads, then COMMIT.
	var batches [][]string
	for _, s := range spans {
		if s.Name() != "BATCH" {
			continue
		}
		var names []string
		for _, e := range s.Events() {
			names = append(names, e.Name)
		}
		batches = append(batches, names)
	}
	if want := [][]string{{"BEGIN", "SELECT"}, {"COMMIT"}}; fmt.Sprint(batches) != fmt.Sprint(want) {
		t.Errorf("the batches' events are %v; want %v", batches, want)
	}
}
