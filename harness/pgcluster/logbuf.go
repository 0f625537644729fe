package pgcluster

import "sync"

// logBuffer keeps the last limit bytes written to it, for diagnostics.
type logBuffer struct {
	mu    sync.Mutex
	buf   []byte
	limit int
}

func newLogBuffer(limit int) *logBuffer { return &logBuffer{limit: limit} }

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.limit; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
