package queue

// Backlog is how many bodies published to base wait to be taken into a
// request, for tests that must know every caller is queued.
func Backlog(p *Publisher, base string) int {
	b := p.batchers[base]
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.backlog
}
