package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

// queryTracer makes a client span of every query, and of every batch (a
// pipelined transaction: BEGIN, the reads, then the writes and COMMIT), as
// OpenTelemetry's database conventions name them. The statement's text
// goes with it: its values are parameters, never in the text.
type queryTracer struct {
	tracer   trace.Tracer
	database string
}

func newQueryTracer(tracers trace.TracerProvider, database string) *queryTracer {
	return &queryTracer{tracer: tracers.Tracer("github.com/comanda/comanda/services/platform/postgres"), database: database}
}

func (q *queryTracer) start(ctx context.Context, name string, attrs ...attribute.KeyValue) context.Context {
	attrs = append(attrs, semconv.DBSystemNamePostgreSQL, semconv.DBNamespace(q.database))
	ctx, _ = q.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return ctx
}

func end(ctx context.Context, err error) {
	span := trace.SpanFromContext(ctx)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "the statement failed")
	}
	span.End()
}

func (q *queryTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	op := operation(data.SQL)
	return q.start(ctx, op, semconv.DBOperationName(op), semconv.DBQueryText(data.SQL))
}

func (q *queryTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	end(ctx, data.Err)
}

func (q *queryTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	return q.start(ctx, "BATCH", semconv.DBOperationName("BATCH"), semconv.DBOperationBatchSize(data.Batch.Len()))
}

// TraceBatchQuery notes each statement of a batch as an event of its span:
// they go out together, and a span each would cost more than they tell.
func (q *queryTracer) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	attrs := []attribute.KeyValue{semconv.DBQueryText(data.SQL)}
	if data.Err != nil {
		attrs = append(attrs, attribute.String("error", data.Err.Error()))
	}
	trace.SpanFromContext(ctx).AddEvent(operation(data.SQL), trace.WithAttributes(attrs...))
}

func (q *queryTracer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchEndData) {
	end(ctx, data.Err)
}

// operation is a statement's first word, upper case: SELECT, INSERT, BEGIN…
func operation(sql string) string {
	sql = strings.TrimSpace(sql)
	if i := strings.IndexAny(sql, " \t\n("); i > 0 {
		sql = sql[:i]
	}
	return strings.ToUpper(sql)
}
