package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// notifications is `notifications [--retries S] [--variants LIST] | reset`:
// show or change how every payment's notifications are retried and shaped.
func notifications(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet(verb)
	retries := fs.String("retries", "", "mercadopago, quick, none, or delays like 100ms,1s,5s")
	variants := fs.String("variants", "", "comma-separated variants, or none: "+variantList())
	positional, err := parseVerb(g, fs, args, 0, 1, "nothing, flags, or reset")
	if err != nil {
		return err
	}
	method, body := http.MethodGet, any(nil)
	switch {
	case len(positional) == 1 && positional[0] == "reset":
		method = http.MethodDelete
	case len(positional) == 1:
		return usagef("notifications takes nothing, --retries and --variants, or reset; got %q", positional[0])
	case *retries != "" || *variants != "":
		var set mercadopago.NotificationSettings
		if *retries != "" {
			schedule, err := mercadopago.ParseRetrySchedule(*retries)
			if err != nil {
				return usagef("%v", err)
			}
			set.RetrySchedule = mercadopago.Durations(schedule)
		}
		if *variants != "" {
			if set.Variants, err = mercadopago.ParseVariants(*variants); err != nil {
				return usagef("%v", err)
			}
		}
		method, body = http.MethodPut, set
	}
	var state mercadopago.NotificationSettings
	if err := mercadopago.NewControlClient(g.url).Call(ctx, method, "/_fake/notifications", body, &state); err != nil {
		return err
	}
	if g.json {
		return printJSON(stdout, state)
	}
	return printLine(stdout, fmt.Sprintf("retries after %s; variants: %s", scheduleText(state.RetrySchedule), variantText(state.Variants)))
}

// variants is `variants <payment> [--set LIST | --reset]`: show or change
// how one payment's notifications are shaped from now on.
func variants(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet(verb)
	order := fs.String("order", "", "the order id (external_reference) instead of a payment id")
	set := fs.String("set", "", "comma-separated variants, or none: "+variantList())
	reset := fs.Bool("reset", false, "follow the fake's setting again")
	positional, err := parseVerb(g, fs, args, 0, 1, "one payment id or --order <order id>")
	if err != nil {
		return err
	}
	if *set != "" && *reset {
		return usagef("variants takes --set or --reset, not both")
	}
	client := mercadopago.NewControlClient(g.url)
	id, err := target(ctx, client, verb, positional, *order)
	if err != nil {
		return err
	}
	method, body := http.MethodGet, any(nil)
	switch {
	case *reset:
		method = http.MethodDelete
	case *set != "":
		vs, err := mercadopago.ParseVariants(*set)
		if err != nil {
			return usagef("%v", err)
		}
		method, body = http.MethodPut, map[string][]mercadopago.Variant{"variants": vs}
	}
	var state mercadopago.PaymentVariants
	if err := client.Call(ctx, method, "/_fake/payments/"+strconv.FormatInt(id, 10)+"/variants", body, &state); err != nil {
		return err
	}
	if g.json {
		return printJSON(stdout, state)
	}
	whose := "the fake's setting"
	if state.Own {
		whose = "its own"
	}
	return printLine(stdout, fmt.Sprintf("payment %d: variants %s (%s)", state.PaymentID, variantText(state.Variants), whose))
}

func scheduleText(ds []mercadopago.Duration) string {
	if len(ds) == 0 {
		return "nothing (no retry)"
	}
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return strings.Join(parts, ", ")
}

func variantText(vs []mercadopago.Variant) string {
	if len(vs) == 0 {
		return "none"
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

func variantList() string { return variantText(mercadopago.Variants()) }
