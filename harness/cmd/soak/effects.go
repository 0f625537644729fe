package main

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
)

// effectMessages are the log lines that each stand for one effect, which
// must happen at most once per order: a line seen twice for the same order
// (and, for a status change, the same status) is an effect applied twice.
var effectMessages = []string{
	"order status changed",          // the order entered a status (key: the status)
	"order delivered",               // an employee handed the order over
	"payment created",               // the payment service stored the order's payment
	"payment settled",               // a payment moved from PENDING to its final status
	"order received in the kitchen", // the kitchen made the order's record
	"kitchen record moved",          // the kitchen moved the record (key: the status)
}

// effects is the services' log sink: it counts the effect lines by order
// as they are written, and copies every line to an optional writer.
type effects struct {
	out io.Writer

	mu     sync.Mutex
	part   []byte
	counts map[string]map[string]int // order id -> effect -> times
}

func newEffects(out io.Writer) *effects {
	return &effects{out: out, counts: map[string]map[string]int{}}
}

func (e *effects) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.out != nil {
		_, _ = e.out.Write(p)
	}
	e.part = append(e.part, p...)
	for {
		i := bytes.IndexByte(e.part, '\n')
		if i < 0 {
			break
		}
		e.count(e.part[:i])
		e.part = e.part[i+1:]
	}
	e.part = append([]byte(nil), e.part...)
	return len(p), nil
}

// count notes line if it is an effect line.
func (e *effects) count(line []byte) {
	if !bytes.Contains(line, []byte(`"msg":"`)) {
		return
	}
	var l struct {
		Msg     string `json:"msg"`
		OrderID string `json:"order_id"`
		To      string `json:"to"`
		Status  string `json:"status"`
	}
	found := false
	for _, m := range effectMessages {
		if bytes.Contains(line, []byte(`"msg":"`+m+`"`)) {
			found = true
			break
		}
	}
	if !found || json.Unmarshal(line, &l) != nil || l.OrderID == "" {
		return
	}
	key := l.Msg
	switch l.Msg {
	case "order status changed":
		key += " to " + l.To
	case "kitchen record moved":
		key += " to " + l.Status
	}
	if e.counts[l.OrderID] == nil {
		e.counts[l.OrderID] = map[string]int{}
	}
	e.counts[l.OrderID][key]++
}

// twice returns the effects applied more than once to orderID.
func (e *effects) twice(orderID string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for key, n := range e.counts[orderID] {
		if n > 1 {
			out = append(out, key)
		}
	}
	return out
}
