package harness

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// logSink keeps the services' log lines in memory (the newest maxLines) and
// copies them to an optional writer.
type logSink struct {
	mu    sync.Mutex
	lines []string
	out   io.Writer
	part  []byte
}

const maxLines = 20000

func newLogSink(out io.Writer) *logSink { return &logSink{out: out} }

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.out != nil {
		_, _ = s.out.Write(p)
	}
	s.part = append(s.part, p...)
	for {
		i := bytes.IndexByte(s.part, '\n')
		if i < 0 {
			break
		}
		s.lines = append(s.lines, string(s.part[:i]))
		s.part = s.part[i+1:]
	}
	if over := len(s.lines) - maxLines; over > 0 {
		s.lines = append(s.lines[:0:0], s.lines[over:]...)
	}
	return len(p), nil
}

// all returns a copy of every kept line.
func (s *logSink) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

// matching returns the kept lines that contain every one of needles.
func (s *logSink) matching(needles ...string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, line := range s.lines {
		ok := true
		for _, n := range needles {
			if !strings.Contains(line, n) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}
