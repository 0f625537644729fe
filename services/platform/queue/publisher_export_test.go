package queue

// Backlog is how many bodies published to base wait to be taken into a
// request, for tests that must know every caller is queued. A call's
// bodies past its first ten wait in the call, not here, until those ten
// are accepted.
func Backlog(p *Publisher, base string) int { return p.senders[base].batcher.Waiting() }
