package console

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// paymentVerbs are the fake's verbs the payments page offers, as fakepay
// names them, by the status of the payment they fit.
var paymentVerbs = map[string][]string{
	mercadopago.StatusPending:     {"process", "authorize", "approve", "reject", "expire", "cancel", "resend"},
	mercadopago.StatusInProcess:   {"authorize", "approve", "reject", "resend"},
	mercadopago.StatusAuthorized:  {"approve", "reject", "resend"},
	mercadopago.StatusApproved:    {"refund", "dispute", "charge-back", "resend"},
	mercadopago.StatusInMediation: {"charge-back", "resend"},
}

// verbsFor are the verbs that fit a payment in status; resend fits all.
func verbsFor(status string) []string {
	if verbs, ok := paymentVerbs[status]; ok {
		return verbs
	}
	return []string{"resend"}
}

// knownVerb reports whether the payments page offers verb at all.
func knownVerb(verb string) bool {
	for _, verbs := range paymentVerbs {
		if slices.Contains(verbs, verb) {
			return true
		}
	}
	return false
}

// paymentsView is the fake's payments, newest first, and its settings.
type paymentsView struct {
	Payments    []mercadopago.Payment
	AutoApprove string // "" when off
	Faults      mercadopago.Faults
	Err         string
}

func (c *Console) paymentsPage(w http.ResponseWriter, r *http.Request) {
	var v paymentsView
	ctx := r.Context()
	payments, err := c.fake.List(ctx, "")
	if err != nil {
		v.Err = err.Error()
	}
	slices.Reverse(payments)
	v.Payments = payments[:min(len(payments), 100)]
	var auto mercadopago.AutoApproveState
	if err := c.fake.Call(ctx, http.MethodGet, "/_fake/auto-approve", nil, &auto); err == nil && auto.After > 0 {
		v.AutoApprove = time.Duration(auto.After).String()
	}
	_ = c.fake.Call(ctx, http.MethodGet, "/_fake/faults", nil, &v.Faults)
	c.render(w, r, "payments", page{Title: "Payments", Nav: "payments", Data: v})
}

// actOnPayment runs one of the fake's verbs on a payment: Mercado Pago's
// notification follows, as fakepay's would.
func (c *Console) actOnPayment(w http.ResponseWriter, r *http.Request) {
	verb := r.PathValue("verb")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || !knownVerb(verb) {
		http.NotFound(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	p, err := c.fake.Act(ctx, id, verb, nil)
	back(w, r, "/payments", err, fmt.Sprintf("Payment %d: %s, now %s.", id, verb, p.Status))
}

// paymentSettings switches auto-approve, fail-next and the outage.
func (c *Console) paymentSettings(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	var err error
	var notice string
	switch r.FormValue("setting") {
	case "auto-approve-on":
		after := r.FormValue("after")
		if _, perr := time.ParseDuration(after); perr != nil {
			err = fmt.Errorf("auto-approve after %q: not a duration (e.g. 1s)", after)
			break
		}
		err = c.fake.Call(ctx, http.MethodPut, "/_fake/auto-approve", map[string]string{"after": after}, nil)
		notice = "Every new payment is approved " + after + " after it is made."
	case "auto-approve-off":
		err = c.fake.Call(ctx, http.MethodDelete, "/_fake/auto-approve", nil, nil)
		notice = "Auto-approve is off."
	case "fail-next":
		count, cerr := strconv.Atoi(r.FormValue("count"))
		if cerr != nil || count < 1 {
			err = fmt.Errorf("fail next %q calls: not a positive number", r.FormValue("count"))
			break
		}
		_, err = c.fake.FailNext(ctx, count, mercadopago.APIFault{Status: http.StatusInternalServerError})
		notice = fmt.Sprintf("The next %d calls to Mercado Pago answer 500.", count)
	case "outage-on":
		err = c.fake.Call(ctx, http.MethodPut, "/_fake/faults/outage", mercadopago.APIFault{Status: http.StatusServiceUnavailable}, nil)
		notice = "Mercado Pago is down: every call answers 503."
	case "outage-off":
		err = c.fake.Call(ctx, http.MethodDelete, "/_fake/faults/outage", nil, nil)
		notice = "Mercado Pago is back."
	default:
		err = fmt.Errorf("unknown setting %q", r.FormValue("setting"))
	}
	back(w, r, "/payments", err, notice)
}
