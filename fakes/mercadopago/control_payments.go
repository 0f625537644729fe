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

// controlVerb runs one POST /_fake/payments/{id}/{verb} on a payment,
// with the options in the query.
type controlVerb func(f *Fake, ctx context.Context, id int64, q url.Values) (Payment, error)

// controlVerbs are the verbs of POST /_fake/payments/{id}/{verb}. resend
// takes ?count=N&first=true&bad_signature=true&delay=2s; refund,
// ?amount=12.50 to give back only part of the payment; reject, ?detail=
// for another reason than rejected_by_bank.
var controlVerbs = map[string]controlVerb{
	"approve":      plain((*Fake).Approve),
	"expire":       plain((*Fake).Expire),
	"cancel":       plain((*Fake).Cancel),
	"process":      plain((*Fake).Process),
	"authorize":    plain((*Fake).Authorize),
	"dispute":      plain((*Fake).Dispute),
	"charge-back":  plain((*Fake).ChargeBack),
	"out-of-order": plain((*Fake).ResendOutOfOrder),
	"reject": func(f *Fake, ctx context.Context, id int64, q url.Values) (Payment, error) {
		if !q.Has("detail") {
			return f.Reject(ctx, id)
		}
		return f.RejectFor(ctx, id, q.Get("detail"))
	},
	"refund": func(f *Fake, ctx context.Context, id int64, q url.Values) (Payment, error) {
		if !q.Has("amount") {
			return f.Refund(ctx, id)
		}
		amount, err := refundAmount(q.Get("amount"))
		if err != nil {
			return Payment{}, err
		}
		return f.RefundAmount(ctx, id, amount)
	},
	"resend": func(f *Fake, ctx context.Context, id int64, q url.Values) (Payment, error) {
		opts, err := resendOptions(q)
		if err != nil {
			return Payment{}, err
		}
		return f.Resend(ctx, id, opts)
	},
}

// plain is a verb that takes no options.
func plain(act func(*Fake, context.Context, int64) (Payment, error)) controlVerb {
	return func(f *Fake, ctx context.Context, id int64, _ url.Values) (Payment, error) { return act(f, ctx, id) }
}

// handleControlVerb runs a verb on a payment.
func (f *Fake) handleControlVerb(w http.ResponseWriter, r *http.Request) {
	id, ok := controlPaymentID(w, r)
	if !ok {
		return
	}
	verb := r.PathValue("verb")
	act, known := controlVerbs[verb]
	if !known {
		writeControlError(w, http.StatusNotFound, "unknown_verb", "unknown verb "+strconv.Quote(verb))
		return
	}
	p, err := act(f, r.Context(), id, r.URL.Query())
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
