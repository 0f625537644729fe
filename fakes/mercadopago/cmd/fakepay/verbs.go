package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
)

func listPayments(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet(verb)
	order := fs.String("order", "", "only the payments of this order (external_reference)")
	if _, err := parseVerb(g, fs, args, 0, 0, "no arguments"); err != nil {
		return err
	}
	payments, err := mercadopago.NewControlClient(g.url).List(ctx, *order)
	if err != nil {
		return err
	}
	return printPayments(stdout, g.json, payments)
}

// resendFlags are resend's options.
type resendFlags struct {
	count        int
	first        bool
	badSignature bool
	delay        time.Duration
}

func (r *resendFlags) query() url.Values {
	q := url.Values{"count": {strconv.Itoa(r.count)}}
	if r.first {
		q.Set("first", "true")
	}
	if r.badSignature {
		q.Set("bad_signature", "true")
	}
	if r.delay > 0 {
		q.Set("delay", r.delay.String())
	}
	return q
}

// actOnPayment runs show, or a verb that changes a payment or resends its
// webhooks, on the payment named by id or by --order.
func actOnPayment(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet(verb)
	order := fs.String("order", "", "the order id (external_reference) instead of a payment id")
	resend := resendFlags{count: 1}
	if verb == "resend" {
		fs.IntVar(&resend.count, "count", 1, "how many times to send the webhook again")
		fs.BoolVar(&resend.first, "first", false, "the payment's first notification instead of its last")
		fs.BoolVar(&resend.badSignature, "bad-signature", false, "sign with a wrong secret")
		fs.DurationVar(&resend.delay, "delay", 0, "wait this long before sending")
	}
	detail := fs.String("detail", "", "") // reject's
	if verb == "reject" {
		fs.Lookup("detail").Usage = "the reason: " + strings.Join(mercadopago.RejectionDetails(), ", ")
	}
	var refund refundFlags
	if verb == "refund" {
		fs.StringVar(&refund.amount, "amount", "", "give back only this much, e.g. 12.50 (default: all that remains)")
	}
	positional, err := parseVerb(g, fs, args, 0, 1, "one payment id or --order <order id>")
	if err != nil {
		return err
	}
	if resend.count < 1 {
		return usagef("--count must be at least 1")
	}
	if resend.delay < 0 {
		return usagef("--delay must not be negative")
	}
	refundQuery, err := refund.query()
	if err != nil {
		return err
	}
	client := mercadopago.NewControlClient(g.url)
	id, err := target(ctx, client, verb, positional, *order)
	if err != nil {
		return err
	}
	var p mercadopago.Payment
	switch verb {
	case "show":
		p, err = client.Show(ctx, id)
	case "resend":
		p, err = client.Act(ctx, id, verb, resend.query())
	case "refund":
		p, err = client.Act(ctx, id, verb, refundQuery)
	case "reject":
		var q url.Values
		if *detail != "" {
			q = url.Values{"detail": {*detail}}
		}
		p, err = client.Act(ctx, id, verb, q)
	default:
		p, err = client.Act(ctx, id, verb, nil)
	}
	if err != nil {
		return err
	}
	return printPayment(stdout, g.json, p)
}

func listDeliveries(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet(verb)
	order := fs.String("order", "", "only the deliveries about this order's payment")
	positional, err := parseVerb(g, fs, args, 0, 1, "at most one payment id or --order <order id>")
	if err != nil {
		return err
	}
	client := mercadopago.NewControlClient(g.url)
	var id int64
	if len(positional) > 0 || *order != "" {
		if id, err = target(ctx, client, verb, positional, *order); err != nil {
			return err
		}
	}
	log, err := client.Deliveries(ctx, id)
	if err != nil {
		return err
	}
	return printDeliveries(stdout, g.json, log)
}

// target resolves the payment a verb is about: the id given, or the newest
// payment whose external_reference is the order id.
func target(ctx context.Context, client mercadopago.ControlClient, verb string, positional []string, order string) (int64, error) {
	switch {
	case order != "" && len(positional) > 0:
		return 0, usagef("%s takes a payment id or --order, not both", verb)
	case order != "":
		payments, err := client.List(ctx, order)
		if err != nil {
			return 0, err
		}
		if len(payments) == 0 {
			return 0, fmt.Errorf("no payment for order %s", order)
		}
		return payments[len(payments)-1].ID, nil
	case len(positional) != 1:
		return 0, usagef("%s takes one payment id or --order <order id>", verb)
	}
	id, err := strconv.ParseInt(positional[0], 10, 64)
	if err != nil {
		return 0, usagef("%q is not a payment id (an integer)", positional[0])
	}
	return id, nil
}
