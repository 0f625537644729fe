package mercadopago

import "net/http"

// DriftState is the payload drift mode as the control API shows it and
// takes it: {"drift":true}.
type DriftState struct {
	Drift bool `json:"drift"`
}

// Drift reports whether the API's answers take Mercado Pago's liberties
// (see api_drift.go).
func (f *Fake) Drift() bool { return f.drift.Load() }

// SetDrift turns payload drift on or off; it applies to the answers given
// from then on.
func (f *Fake) SetDrift(on bool) { f.drift.Store(on) }

func (f *Fake) driftState() DriftState { return DriftState{Drift: f.Drift()} }

// driftRoutes mounts GET, PUT and DELETE /_fake/drift; each answers the
// mode's new state.
func (f *Fake) driftRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_fake/drift", showing(func() any { return f.driftState() }))
	mux.HandleFunc("PUT /_fake/drift", withBody(false, func(req DriftState) (any, error) {
		f.SetDrift(req.Drift)
		return f.driftState(), nil
	}))
	mux.HandleFunc("DELETE /_fake/drift", showing(func() any {
		f.SetDrift(false)
		return f.driftState()
	}))
}
