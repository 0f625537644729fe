package mercadopago

import "net/http"

// notificationRoutes mounts the control API's notification settings: the
// retry schedule and variants of every payment, and one payment's own
// variants.
func (f *Fake) notificationRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_fake/notifications", showing(func() any { return f.Notifications() }))
	mux.HandleFunc("PUT /_fake/notifications", withBody(false, func(req NotificationSettings) (any, error) {
		return f.SetNotifications(req)
	}))
	mux.HandleFunc("DELETE /_fake/notifications", showing(func() any { return f.ResetNotifications() }))

	mux.HandleFunc("GET /_fake/payments/{id}/variants", f.withPaymentID(func(id int64, _ *http.Request) (any, error) {
		return f.PaymentVariants(id)
	}))
	mux.HandleFunc("PUT /_fake/payments/{id}/variants", f.withPaymentID(func(id int64, r *http.Request) (any, error) {
		var req variantsRequest
		if err := decodeControl(r, &req); err != nil {
			return nil, err
		}
		if req.Variants == nil {
			req.Variants = []Variant{}
		}
		return f.SetPaymentVariants(id, req.Variants)
	}))
	mux.HandleFunc("DELETE /_fake/payments/{id}/variants", f.withPaymentID(func(id int64, _ *http.Request) (any, error) {
		return f.SetPaymentVariants(id, nil)
	}))
}

// variantsRequest is the body of PUT /_fake/payments/{id}/variants.
type variantsRequest struct {
	Variants []Variant `json:"variants"`
}

// withPaymentID answers what act returns for the payment in the path.
func (f *Fake) withPaymentID(act func(id int64, r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := controlPaymentID(w, r)
		if !ok {
			return
		}
		v, err := act(id, r)
		answer(w, v, err)
	}
}
