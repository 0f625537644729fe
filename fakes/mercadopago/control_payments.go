package mercadopago

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

func (f *Fake) handleControlList(w http.ResponseWriter, r *http.Request) {
	ref, hasRef := r.URL.Query()["external_reference"]
	payments := f.paymentsWhere(func(p *Payment) bool { return !hasRef || p.ExternalReference == ref[0] })
	writeJSON(w, http.StatusOK, payments)
}

func (f *Fake) handleControlShow(w http.ResponseWriter, r *http.Request) {
	id, ok := controlPaymentID(w, r)
	if !ok {
		return
	}
	p, found := f.Payment(id)
	if !found {
		writeControlFailure(w, &notFoundError{id: id})
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// controlVerbs are the POST /_fake/payments/{id}/{verb} verbs but resend,
// which takes options.
var controlVerbs = map[string]func(*Fake, context.Context, int64) (Payment, error){
	"approve":      (*Fake).Approve,
	"reject":       (*Fake).Reject,
	"expire":       (*Fake).Expire,
	"cancel":       (*Fake).Cancel,
	"refund":       (*Fake).Refund,
	"process":      (*Fake).Process,
	"authorize":    (*Fake).Authorize,
	"dispute":      (*Fake).Dispute,
	"charge-back":  (*Fake).ChargeBack,
	"out-of-order": (*Fake).ResendOutOfOrder,
}

// handleControlVerb runs a verb on a payment. resend takes
// ?count=N&first=true&bad_signature=true&delay=2s; refund, ?amount=12.50
// to give back only part of the payment; reject, ?detail= for another
// reason than rejected_by_bank.
func (f *Fake) handleControlVerb(w http.ResponseWriter, r *http.Request) {
	id, ok := controlPaymentID(w, r)
	if !ok {
		return
	}
	verb := r.PathValue("verb")
	if verb == "resend" {
		opts, err := resendOptions(r.URL.Query())
		if err != nil {
			writeControlFailure(w, err)
			return
		}
		p, err := f.Resend(r.Context(), id, opts)
		answer(w, p, err)
		return
	}
	if verb == "refund" && r.URL.Query().Has("amount") {
		f.handleControlPartialRefund(w, r, id)
		return
	}
	if verb == "reject" && r.URL.Query().Has("detail") {
		p, err := f.RejectFor(r.Context(), id, r.URL.Query().Get("detail"))
		answer(w, p, err)
		return
	}
	act, known := controlVerbs[verb]
	if !known {
		writeControlError(w, http.StatusNotFound, "unknown_verb", "unknown verb "+strconv.Quote(verb))
		return
	}
	p, err := act(f, r.Context(), id)
	answer(w, p, err)
}

func resendOptions(q url.Values) (ResendOptions, error) {
	count, err := queryInt(q.Get("count"), 1)
	if err != nil || count < 1 {
		return ResendOptions{}, fmt.Errorf("%w: count must be a positive integer", errBadControlRequest)
	}
	opts := ResendOptions{Count: count}
	for name, dst := range map[string]*bool{"first": &opts.First, "bad_signature": &opts.BadSignature} {
		if raw := q.Get(name); raw != "" {
			if *dst, err = strconv.ParseBool(raw); err != nil {
				return ResendOptions{}, fmt.Errorf("%w: %s must be true or false", errBadControlRequest, name)
			}
		}
	}
	if raw := q.Get("delay"); raw != "" {
		if opts.Delay, err = time.ParseDuration(raw); err != nil || opts.Delay < 0 || opts.Delay > maxFaultDelay {
			return ResendOptions{}, fmt.Errorf("%w: delay must be a duration like 2s, at most %s", errBadControlRequest, maxFaultDelay)
		}
	}
	return opts, nil
}

// handleControlDeliveries lists the delivery log, ?payment_id= for one payment.
func (f *Fake) handleControlDeliveries(w http.ResponseWriter, r *http.Request) {
	log := f.Deliveries()
	if raw := r.URL.Query().Get("payment_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			writeControlError(w, http.StatusBadRequest, "invalid_id", "payment_id must be an integer, got "+strconv.Quote(raw))
			return
		}
		kept := log[:0]
		for _, d := range log {
			if d.PaymentID == id {
				kept = append(kept, d)
			}
		}
		log = kept
	}
	writeJSON(w, http.StatusOK, log)
}
