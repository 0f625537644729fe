// Package events is the message contract between the services: the JSON
// envelope every SQS message carries, the event names, the queue names and the
// payload of each event. Producers and consumers import only this package to
// agree on the wire format.
package events

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/telemetry"
)

// Event names.
const (
	OrderPaymentRequested = "order-payment-requested-event"
	PaymentCreated        = "payment-created-event"
	PaymentCompleted      = "payment-completed-event"
	PaymentFailed         = "payment-failed-event"
	OrderPaid             = "order-paid-event"
	ProductionStarted     = "production-started-event"
	ProductionCompleted   = "production-completed-event"
)

// Queue names, before the deployment's optional prefix.
const (
	PaymentQueue    = "payment-service-queue"
	OrderQueue      = "order-service-queue"
	ProductionQueue = "production-service-queue"
)

// Service names, used as event_source and event_target.
const (
	OrderService      = "order-service"
	PaymentService    = "payment-service"
	ProductionService = "production-service"
)

// Meta identifies one event. EventID is the producer's id: consumers
// deduplicate on it, never on the broker's message id.
type Meta struct {
	EventID       string    `json:"event_id"`
	EventDate     time.Time `json:"event_date"`
	EventSource   string    `json:"event_source"`
	EventTarget   string    `json:"event_target"`
	EventName     string    `json:"event_name"`
	CorrelationID string    `json:"correlation_id"`
	// TraceParent and TraceState are the W3C trace context of the work
	// that made the event (Traced): the consumer's span continues that
	// trace. Absent when nothing was traced.
	TraceParent string `json:"traceparent,omitempty"`
	TraceState  string `json:"tracestate,omitempty"`
}

// Envelope is the body of every message.
type Envelope struct {
	Meta    Meta            `json:"meta"`
	Payload json.RawMessage `json:"payload"`
}

// ErrMalformed marks a message that can never be processed: it is not an
// envelope, lacks its identity, or its payload does not decode.
var ErrMalformed = errors.New("malformed event")

// New builds an envelope with a fresh event id and the current UTC time.
func New(name, source, target, correlationID string, payload any) (Envelope, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return Envelope{}, fmt.Errorf("encode %s payload: %w", name, err)
	}
	return Envelope{
		Meta: Meta{
			EventID:       uuid.NewString(),
			EventDate:     time.Now().UTC().Truncate(time.Millisecond),
			EventSource:   source,
			EventTarget:   target,
			EventName:     name,
			CorrelationID: correlationID,
		},
		Payload: body,
	}, nil
}

// Traced returns the envelope carrying the trace context of ctx, so that
// whoever handles it continues the same trace; through an outbox too,
// since the context travels in the body.
func (e Envelope) Traced(ctx context.Context) Envelope {
	c := telemetry.Carry(ctx)
	e.Meta.TraceParent, e.Meta.TraceState = c.Parent, c.State
	return e
}

// TraceContext returns ctx with the trace context the envelope carries,
// as the remote parent of what handles it; ctx as it is when it carries
// none.
func (e Envelope) TraceContext(ctx context.Context) context.Context {
	return telemetry.Carried{Parent: e.Meta.TraceParent, State: e.Meta.TraceState}.Context(ctx)
}

// MetaOf decodes the meta of an encoded envelope, and nothing else.
func MetaOf(body []byte) (Meta, error) {
	var e struct {
		Meta Meta `json:"meta"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return Meta{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return e.Meta, nil
}

// Parse decodes a message body into an envelope; anything that is not a
// complete envelope wraps ErrMalformed.
func Parse(body []byte) (Envelope, error) {
	var e Envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return Envelope{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if e.Meta.EventID == "" || e.Meta.EventName == "" || len(e.Payload) == 0 {
		return Envelope{}, fmt.Errorf("%w: meta.event_id, meta.event_name and payload are required", ErrMalformed)
	}
	return e, nil
}

// Decode strictly decodes the payload into v; a mismatch wraps ErrMalformed.
func (e Envelope) Decode(v any) error {
	dec := json.NewDecoder(bytes.NewReader(e.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %s payload: %v", ErrMalformed, e.Meta.EventName, err)
	}
	return nil
}

// Marshal encodes the envelope as a message body.
func (e Envelope) Marshal() ([]byte, error) { return json.Marshal(e) }
