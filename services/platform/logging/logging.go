// Package logging builds the services' slog loggers and carries the request
// and correlation ids, and the trace and span ids, through a context into
// every log line.
package logging

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// Config selects the log format and level.
type Config struct {
	Format string `env:"LOG_FORMAT, default=json"` // json or text
	Level  string `env:"LOG_LEVEL, default=info"`  // debug, info, warn, error
}

// New returns a logger writing to w that adds the context's ids to each record.
func New(w io.Writer, c Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if strings.EqualFold(c.Format, "text") {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(newContextHandler(h))
}

// Discard is a logger that writes nothing, for tests that do not read logs.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

type ctxKey int

const (
	requestIDKey ctxKey = iota
	correlationIDKey
)

// WithRequestID returns ctx carrying the HTTP request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// WithCorrelationID returns ctx carrying the id that follows one business
// flow across services and messages.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, correlationIDKey, id)
}

// CorrelationID returns the correlation id in ctx, or "".
func CorrelationID(ctx context.Context) string {
	id, _ := ctx.Value(correlationIDKey).(string)
	return id
}

// contextHandler adds request_id, correlation_id, and the trace_id and
// span_id of the span in force, from the record's context, at the top level
// of the record, even under WithGroup, so that one query by id finds every
// line.
type contextHandler struct {
	slog.Handler
	// root is the handler before the first WithGroup; ops replay the groups
	// and attributes added since, on top of the ids.
	root slog.Handler
	ops  []func(slog.Handler) slog.Handler
}

func newContextHandler(h slog.Handler) contextHandler { return contextHandler{Handler: h, root: h} }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	var ids []slog.Attr
	if id := RequestID(ctx); id != "" {
		ids = append(ids, slog.String("request_id", id))
	}
	if id := CorrelationID(ctx); id != "" {
		ids = append(ids, slog.String("correlation_id", id))
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		ids = append(ids, slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	if len(ids) == 0 {
		return h.Handler.Handle(ctx, r)
	}
	if len(h.ops) == 0 {
		r.AddAttrs(ids...)
		return h.Handler.Handle(ctx, r)
	}
	withIDs := h.root.WithAttrs(ids)
	for _, op := range h.ops {
		withIDs = op(withIDs)
	}
	return withIDs.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(h.ops) == 0 {
		return newContextHandler(h.Handler.WithAttrs(attrs))
	}
	return h.with(func(x slog.Handler) slog.Handler { return x.WithAttrs(attrs) })
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.with(func(x slog.Handler) slog.Handler { return x.WithGroup(name) })
}

func (h contextHandler) with(op func(slog.Handler) slog.Handler) contextHandler {
	return contextHandler{Handler: op(h.Handler), root: h.root, ops: append(slices.Clip(h.ops), op)}
}
