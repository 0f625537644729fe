package otlp

import (
	"math"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// encoder appends a protobuf message, field by field, in the binary wire
// format. Fields proto3 would leave out when empty or zero are left out
// (text, varint); the members of a oneof and the fields with presence are
// written always (their callers decide).
type encoder struct{ buf []byte }

// message writes field n as a nested message, filled by fill.
func (e *encoder) message(n protowire.Number, fill func(*encoder)) {
	e.buf = protowire.AppendTag(e.buf, n, protowire.BytesType)
	start := len(e.buf)
	fill(e)
	size := len(e.buf) - start
	// The length comes before the body: make room for it and move the body.
	prefix := protowire.SizeVarint(uint64(size))
	e.buf = append(e.buf, make([]byte, prefix)...)
	copy(e.buf[start+prefix:], e.buf[start:start+size])
	protowire.AppendVarint(e.buf[:start], uint64(size))
}

func (e *encoder) bytes(n protowire.Number, b []byte) {
	e.buf = protowire.AppendTag(e.buf, n, protowire.BytesType)
	e.buf = protowire.AppendBytes(e.buf, b)
}

// str writes field n as a string, always.
func (e *encoder) str(n protowire.Number, s string) {
	e.buf = protowire.AppendTag(e.buf, n, protowire.BytesType)
	e.buf = protowire.AppendString(e.buf, s)
}

// text writes field n unless s is empty.
func (e *encoder) text(n protowire.Number, s string) {
	if s != "" {
		e.str(n, s)
	}
}

// varint writes field n unless v is zero.
func (e *encoder) varint(n protowire.Number, v uint64) {
	if v != 0 {
		e.uvarint(n, v)
	}
}

// uvarint writes field n, always.
func (e *encoder) uvarint(n protowire.Number, v uint64) {
	e.buf = protowire.AppendTag(e.buf, n, protowire.VarintType)
	e.buf = protowire.AppendVarint(e.buf, v)
}

func (e *encoder) boolean(n protowire.Number, b bool) {
	e.uvarint(n, protowire.EncodeBool(b))
}

func (e *encoder) fixed64(n protowire.Number, v uint64) {
	e.buf = protowire.AppendTag(e.buf, n, protowire.Fixed64Type)
	e.buf = protowire.AppendFixed64(e.buf, v)
}

func (e *encoder) fixed32(n protowire.Number, v uint32) {
	e.buf = protowire.AppendTag(e.buf, n, protowire.Fixed32Type)
	e.buf = protowire.AppendFixed32(e.buf, v)
}

func (e *encoder) double(n protowire.Number, f float64) {
	e.fixed64(n, math.Float64bits(f))
}

// time writes field n as nanoseconds since the Unix epoch, unless t is
// the zero time.
func (e *encoder) time(n protowire.Number, t time.Time) {
	if !t.IsZero() {
		e.fixed64(n, uint64(t.UnixNano()))
	}
}

// packedFixed64 writes a repeated fixed64 field, packed.
func (e *encoder) packedFixed64(n protowire.Number, vs []uint64) {
	if len(vs) == 0 {
		return
	}
	e.buf = protowire.AppendTag(e.buf, n, protowire.BytesType)
	e.buf = protowire.AppendVarint(e.buf, uint64(8*len(vs)))
	for _, v := range vs {
		e.buf = protowire.AppendFixed64(e.buf, v)
	}
}

// packedDouble writes a repeated double field, packed.
func (e *encoder) packedDouble(n protowire.Number, fs []float64) {
	vs := make([]uint64, len(fs))
	for i, f := range fs {
		vs[i] = math.Float64bits(f)
	}
	e.packedFixed64(n, vs)
}
