package mercadopago

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxFaultDelay bounds a fault's delay; longer would only hang clients.
const maxFaultDelay = 5 * time.Minute

// APIFault is how an API call (/v1/...) misbehaves: it is held back for
// Delay, then answered Status (a 5xx, with Mercado Pago's error body)
// instead of its real answer. Without Status a delayed call is answered
// normally, late. With Processed the call takes effect at once and only its
// answer is lost (a 5xx) or late (past a client's timeout): the cases where
// a client's retry must not charge twice.
type APIFault struct {
	Status     int      `json:"status,omitempty"`
	Delay      Duration `json:"delay,omitempty"`
	CreateOnly bool     `json:"create_only,omitempty"` // only POST /v1/payments
	Processed  bool     `json:"processed,omitempty"`
}

// ErrInvalidFault is returned for a fault that makes no sense.
var ErrInvalidFault = errors.New("invalid fault")

// withDefault gives a fault that names neither a status nor a delay the
// status it stands for.
func (a APIFault) withDefault(status int) APIFault {
	if a.Status == 0 && a.Delay == 0 {
		a.Status = status
	}
	return a
}

func (a APIFault) validate() error {
	switch {
	case a.Status != 0 && (a.Status < 500 || a.Status > 599):
		return fmt.Errorf("%w: status must be a 5xx, got %d", ErrInvalidFault, a.Status)
	case a.Delay < 0 || time.Duration(a.Delay) > maxFaultDelay:
		return fmt.Errorf("%w: delay must be between 0 and %s, got %s", ErrInvalidFault, maxFaultDelay, a.Delay)
	}
	return nil
}

// applies reports whether the fault concerns a call.
func (a APIFault) applies(creation bool) bool { return creation || !a.CreateOnly }

// Faults is what the API suffers now, and how many calls it already has.
type Faults struct {
	// FailNext fails the next Remaining calls it applies to.
	FailNext  *APIFault `json:"fail_next"`
	Remaining int       `json:"remaining"`
	// Outage fails every call it applies to until it is lifted.
	Outage *APIFault `json:"outage"`
	// Injected counts the calls that met a fault since the last clear;
	// InjectedCreations, the creations among them.
	Injected          int `json:"injected"`
	InjectedCreations int `json:"injected_creations"`
}

// faultPlan holds the faults and hands one out per call.
type faultPlan struct {
	mu    sync.Mutex
	state Faults
}

func (p *faultPlan) failNext(count int, a APIFault) (Faults, error) {
	a = a.withDefault(http.StatusInternalServerError)
	if count < 1 {
		return Faults{}, fmt.Errorf("%w: count must be at least 1, got %d", ErrInvalidFault, count)
	}
	if err := a.validate(); err != nil {
		return Faults{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state.FailNext, p.state.Remaining = &a, count
	return p.state, nil
}

func (p *faultPlan) startOutage(a APIFault) (Faults, error) {
	a = a.withDefault(http.StatusServiceUnavailable)
	if err := a.validate(); err != nil {
		return Faults{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state.Outage = &a
	return p.state, nil
}

func (p *faultPlan) endOutage() Faults {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state.Outage = nil
	return p.state
}

// clear lifts every fault and zeroes the counters.
func (p *faultPlan) clear() Faults {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state = Faults{}
	return p.state
}

func (p *faultPlan) current() Faults {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// take returns the fault a call meets, if any: the outage first, else one
// of the fail-next calls.
func (p *faultPlan) take(creation bool) (APIFault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var fault APIFault
	switch s := &p.state; {
	case s.Outage != nil && s.Outage.applies(creation):
		fault = *s.Outage
	case s.FailNext != nil && s.FailNext.applies(creation):
		fault = *s.FailNext
		if s.Remaining--; s.Remaining == 0 {
			s.FailNext = nil
		}
	default:
		return APIFault{}, false
	}
	p.state.Injected++
	if creation {
		p.state.InjectedCreations++
	}
	return fault, true
}

// withFaults puts the fault plan in front of the API.
func (f *Fake) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		creation := r.Method == http.MethodPost && r.URL.Path == "/v1/payments"
		fault, ok := f.faults.take(creation)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		f.log.Info("fault injected", "method", r.Method, "path", r.URL.Path, "status", fault.Status,
			"delay", fault.Delay.String(), "processed", fault.Processed)
		var done *heldAnswer
		if fault.Processed {
			done = &heldAnswer{header: http.Header{}, status: http.StatusOK}
			next.ServeHTTP(done, r) // it takes effect now, whatever becomes of the answer
		}
		if !sleep(r.Context(), time.Duration(fault.Delay)) {
			return // the client gave up waiting
		}
		switch {
		case fault.Status != 0:
			writeAPIError(w, serverError(fault.Status))
		case done != nil:
			done.replay(w)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// serverError is Mercado Pago's body for a 5xx.
func serverError(status int) apiError {
	text := http.StatusText(status)
	if text == "" {
		text = "Server Error"
	}
	return apiError{Message: text, Error: strings.ReplaceAll(strings.ToLower(text), " ", "_"), Status: status}
}

// heldAnswer keeps an answer to send late, or never.
type heldAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (h *heldAnswer) Header() http.Header         { return h.header }
func (h *heldAnswer) Write(b []byte) (int, error) { return h.body.Write(b) }
func (h *heldAnswer) WriteHeader(status int)      { h.status = status }

func (h *heldAnswer) replay(w http.ResponseWriter) {
	maps.Copy(w.Header(), h.header)
	w.WriteHeader(h.status)
	_, _ = w.Write(h.body.Bytes())
}
