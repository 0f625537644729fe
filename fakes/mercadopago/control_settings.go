package mercadopago

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// settingsRoutes mounts the control API's faults, clock, auto-approve and
// reset; each answers the setting's new state.
func (f *Fake) settingsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_fake/faults", showing(func() any { return f.Faults() }))
	mux.HandleFunc("DELETE /_fake/faults", showing(func() any { return f.ClearFaults() }))
	mux.HandleFunc("POST /_fake/faults/fail-next", withBody(false, func(req failNextRequest) (any, error) {
		return f.FailNext(req.Count, req.APIFault)
	}))
	mux.HandleFunc("PUT /_fake/faults/outage", withBody(true, func(req APIFault) (any, error) { return f.StartOutage(req) }))
	mux.HandleFunc("DELETE /_fake/faults/outage", showing(func() any { return f.EndOutage() }))

	mux.HandleFunc("GET /_fake/clock", showing(func() any { return f.Clock() }))
	mux.HandleFunc("POST /_fake/clock", withBody(false, func(req clockRequest) (any, error) {
		return f.AdvanceClock(time.Duration(req.Advance))
	}))
	mux.HandleFunc("DELETE /_fake/clock", showing(func() any { return f.ResetClock() }))

	mux.HandleFunc("GET /_fake/auto-approve", showing(func() any { return f.autoApproveState() }))
	mux.HandleFunc("PUT /_fake/auto-approve", withBody(false, func(req AutoApproveState) (any, error) {
		err := f.SetAutoApprove(time.Duration(req.After))
		return f.autoApproveState(), err
	}))
	mux.HandleFunc("DELETE /_fake/auto-approve", showing(func() any {
		_ = f.SetAutoApprove(0) // zero is always valid
		return f.autoApproveState()
	}))

	mux.HandleFunc("POST /_fake/reset", showing(func() any {
		f.Reset()
		return map[string]string{"status": "reset"}
	}))
}

// failNextRequest is the body of POST /_fake/faults/fail-next.
type failNextRequest struct {
	Count int `json:"count"`
	APIFault
}

// clockRequest is the body of POST /_fake/clock.
type clockRequest struct {
	Advance Duration `json:"advance"`
}

// AutoApproveState is the auto-approve mode as the control API shows it;
// After is 0s when it is off.
type AutoApproveState struct {
	After Duration `json:"after"`
}

func (f *Fake) autoApproveState() AutoApproveState {
	return AutoApproveState{After: Duration(f.AutoApprove())}
}

// showing answers what state returns.
func showing(state func() any) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, state()) }
}

// withBody decodes the request's JSON body into a T (with optional, an
// empty body is the zero T), then answers what act returns.
func withBody[T any](optional bool, act func(T) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req T
		if err := decodeControl(r, &req); err != nil && !(optional && errors.Is(err, io.EOF)) {
			writeControlFailure(w, err)
			return
		}
		v, err := act(req)
		answer(w, v, err)
	}
}
