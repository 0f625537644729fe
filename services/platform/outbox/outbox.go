// Package outbox makes "change the database and publish" atomic: a service
// writes each event to an outbox in the same transaction as the change it
// announces, and a Relay sends it to its queue afterwards, at least once.
//
// Two stores hold the waiting messages: PostgresStore, a table written in
// the change's transaction (the order service), and DynamoStore, items
// written in the change's TransactWriteItems (the production service). The
// relay does the same with both: it sweeps what waits, on a ticker and
// when woken, publishes it in per-queue batches and removes what was
// accepted; and for a service that publishes right after its commit
// (PublishNow) it batches the removals and leaves a message to the sweep
// only once it is older than Config.Settle.
//
// Consumers deduplicate by event id: a message may be published twice (a
// removal lost, a crash between publishing and removing, two relays
// sweeping a store that does not lock), never lost.
package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/comanda/comanda/services/events"
)

// Message is one event waiting in an outbox.
type Message struct {
	// ID is the store's key for the message: the event id for messages
	// made by NewMessage (the DynamoDB store's key), the row's number for
	// the PostgreSQL store's.
	ID    string
	Queue string // the base name of the queue it goes to
	Body  []byte // the encoded envelope
	// EventID, EventName and CorrelationID are the envelope's, for the log
	// line that says it was published.
	EventID, EventName, CorrelationID string
}

// NewMessage encodes env for queue, as a message keyed by its event id.
func NewMessage(queue string, env events.Envelope) (Message, error) {
	body, err := env.Marshal()
	if err != nil {
		return Message{}, fmt.Errorf("encode %s: %w", env.Meta.EventName, err)
	}
	return Message{ID: env.Meta.EventID, Queue: queue, Body: body, EventID: env.Meta.EventID,
		EventName: env.Meta.EventName, CorrelationID: env.Meta.CorrelationID}, nil
}

// Store is where messages wait until the relay publishes them.
type Store interface {
	// Sweep hands publish up to limit waiting messages written at least
	// minAge ago, oldest first, and removes the ones publish reports sent,
	// also when publish fails after sending some. It returns how many it
	// handed over.
	Sweep(ctx context.Context, minAge time.Duration, limit int, publish PublishFunc) (int, error)
	// Remove removes messages published by other means, by ID. Removing
	// one that is not there is no error.
	Remove(ctx context.Context, ids []string) error
}

// PublishFunc publishes msgs and returns the IDs of those their queues
// accepted; it stops at the first failure.
type PublishFunc func(ctx context.Context, msgs []Message) (sent []string, err error)

// Publisher is what the relay sends through (queue.Publisher).
type Publisher interface {
	PublishBodies(ctx context.Context, queue string, bodies [][]byte) error
}
