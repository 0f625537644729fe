package queue

import "sync/atomic"

// Outcome is what became of one received message.
type Outcome string

// The outcomes, each with a log line and a counter.
const (
	OutcomeHandled      Outcome = "handled"       // the handler succeeded; deleted
	OutcomeRetried      Outcome = "retried"       // the handler failed; redelivered after a backoff
	OutcomeRequeued     Outcome = "requeued"      // a dependency is down; sent again as a fresh message, delayed
	OutcomeDeadLettered Outcome = "dead_lettered" // it can never succeed; moved to the DLQ at once
)

// Stats counts outcomes since the consumer started.
type Stats struct {
	Handled      int64 `json:"handled"`
	Retried      int64 `json:"retried"`
	Requeued     int64 `json:"requeued"`
	DeadLettered int64 `json:"dead_lettered"`
}

type counters struct{ handled, retried, requeued, deadLettered atomic.Int64 }

func (c *counters) add(o Outcome) {
	switch o {
	case OutcomeHandled:
		c.handled.Add(1)
	case OutcomeRetried:
		c.retried.Add(1)
	case OutcomeRequeued:
		c.requeued.Add(1)
	case OutcomeDeadLettered:
		c.deadLettered.Add(1)
	}
}

func (c *counters) snapshot() Stats {
	return Stats{Handled: c.handled.Load(), Retried: c.retried.Load(), Requeued: c.requeued.Load(),
		DeadLettered: c.deadLettered.Load()}
}
