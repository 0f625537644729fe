package otlp

import (
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	"google.golang.org/protobuf/encoding/protowire"
)

// The messages of opentelemetry/proto/common/v1 and resource/v1.

// keyValues writes attrs as repeated KeyValue field n.
func keyValues(e *encoder, n protowire.Number, attrs []attribute.KeyValue) {
	for _, kv := range attrs {
		e.message(n, func(e *encoder) {
			e.str(1, string(kv.Key))
			e.message(2, func(e *encoder) { anyValue(e, kv.Value) })
		})
	}
}

// anyValue writes the fields of an AnyValue: one of its oneof, always,
// since an empty string or a zero is a value too.
func anyValue(e *encoder, v attribute.Value) {
	switch v.Type() {
	case attribute.STRING:
		e.str(1, v.AsString())
	case attribute.BOOL:
		e.boolean(2, v.AsBool())
	case attribute.INT64:
		e.uvarint(3, uint64(v.AsInt64()))
	case attribute.FLOAT64:
		e.double(4, v.AsFloat64())
	case attribute.BOOLSLICE:
		array(e, v.AsBoolSlice(), attribute.BoolValue)
	case attribute.INT64SLICE:
		array(e, v.AsInt64Slice(), attribute.Int64Value)
	case attribute.FLOAT64SLICE:
		array(e, v.AsFloat64Slice(), attribute.Float64Value)
	case attribute.STRINGSLICE:
		array(e, v.AsStringSlice(), attribute.StringValue)
	case attribute.SLICE:
		array(e, v.AsSlice(), func(v attribute.Value) attribute.Value { return v })
	case attribute.MAP:
		e.message(6, func(e *encoder) { keyValues(e, 1, v.AsMap()) })
	case attribute.BYTESLICE:
		e.bytes(7, v.AsByteSlice())
	}
	// EMPTY: an AnyValue with none of its fields set.
}

// array writes an ArrayValue of vs.
func array[T any](e *encoder, vs []T, value func(T) attribute.Value) {
	e.message(5, func(e *encoder) {
		for _, v := range vs {
			e.message(1, func(e *encoder) { anyValue(e, value(v)) })
		}
	})
}

// scope writes the fields of an InstrumentationScope.
func scope(e *encoder, s instrumentation.Scope) {
	e.text(1, s.Name)
	e.text(2, s.Version)
	keyValues(e, 3, s.Attributes.ToSlice())
}

// resourceFields writes the fields of a Resource.
func resourceFields(e *encoder, r *resource.Resource) {
	keyValues(e, 1, r.Attributes())
}
