package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/comanda/comanda/fakes/mercadopago"
)

func listPayments(ctx context.Context, g *globals, args []string, stdout io.Writer) error {
	fs := newFlagSet("list")
	g.register(fs)
	order := fs.String("order", "", "only the payments of this order (external_reference)")
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(positional) > 0 {
		return usagef("list takes no arguments, got %q", positional[0])
	}
	payments, err := newControlClient(g.url).list(ctx, *order)
	if err != nil {
		return err
	}
	return printPayments(stdout, g.json, payments)
}

// actOnPayment runs show, or a verb that changes a payment, on the payment
// named by id or by --order.
func actOnPayment(ctx context.Context, g *globals, verb string, args []string, stdout io.Writer) error {
	fs := newFlagSet(verb)
	g.register(fs)
	order := fs.String("order", "", "the order id (external_reference) instead of a payment id")
	count := 1
	if verb == "resend" {
		fs.IntVar(&count, "count", 1, "how many times to send the webhook again")
	}
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if count < 1 {
		return usagef("--count must be at least 1")
	}
	client := newControlClient(g.url)
	id, err := target(ctx, client, verb, positional, *order)
	if err != nil {
		return err
	}
	var p mercadopago.Payment
	if verb == "show" {
		p, err = client.show(ctx, id)
	} else {
		query := ""
		if verb == "resend" {
			query = "?count=" + strconv.Itoa(count)
		}
		p, err = client.act(ctx, id, verb, query)
	}
	if err != nil {
		return err
	}
	return printPayment(stdout, g.json, p)
}

// target resolves the payment a verb is about: the id given, or the newest
// payment whose external_reference is the order id.
func target(ctx context.Context, client controlClient, verb string, positional []string, order string) (int64, error) {
	switch {
	case order != "" && len(positional) > 0:
		return 0, usagef("%s takes a payment id or --order, not both", verb)
	case order != "":
		payments, err := client.list(ctx, order)
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
