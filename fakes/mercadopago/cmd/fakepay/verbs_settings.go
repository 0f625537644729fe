package main

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// autoApprove is `auto-approve [DURATION|off]`.
func autoApprove(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	positional, err := parseVerb(g, newFlagSet(verb), args, 0, 1, "nothing, a duration like 2s, or off")
	if err != nil {
		return err
	}
	method, body := http.MethodGet, any(nil)
	if len(positional) == 1 {
		method, body = http.MethodDelete, nil
		if positional[0] != "off" {
			d, err := time.ParseDuration(positional[0])
			if err != nil || d <= 0 {
				return usagef("auto-approve takes a positive duration like 2s, or off; got %q", positional[0])
			}
			method, body = http.MethodPut, mercadopago.AutoApproveState{After: mercadopago.Duration(d)}
		}
	}
	var state mercadopago.AutoApproveState
	if err := mercadopago.NewControlClient(g.url).Call(ctx, method, "/_fake/auto-approve", body, &state); err != nil {
		return err
	}
	return printAutoApprove(stdout, g.json, state)
}

// moveClock is `clock [advance DURATION | reset]`.
func moveClock(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	positional, err := parseVerb(g, newFlagSet(verb), args, 0, 2, "nothing, advance DURATION, or reset")
	if err != nil {
		return err
	}
	method, body := http.MethodGet, any(nil)
	switch {
	case len(positional) == 0:
	case len(positional) == 1 && positional[0] == "reset":
		method = http.MethodDelete
	case len(positional) == 2 && positional[0] == "advance":
		d, err := time.ParseDuration(positional[1])
		if err != nil || d <= 0 {
			return usagef("clock advance takes a positive duration like 31m, got %q", positional[1])
		}
		method, body = http.MethodPost, map[string]mercadopago.Duration{"advance": mercadopago.Duration(d)}
	default:
		return usagef("clock takes nothing, advance DURATION, or reset")
	}
	var state mercadopago.ClockState
	if err := mercadopago.NewControlClient(g.url).Call(ctx, method, "/_fake/clock", body, &state); err != nil {
		return err
	}
	return printClock(stdout, g.json, state)
}

// resetFake is `reset`.
func resetFake(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	if _, err := parseVerb(g, newFlagSet(verb), args, 0, 0, "no arguments"); err != nil {
		return err
	}
	var out map[string]string
	if err := mercadopago.NewControlClient(g.url).Call(ctx, http.MethodPost, "/_fake/reset", nil, &out); err != nil {
		return err
	}
	if g.json {
		return printJSON(stdout, out)
	}
	return printLine(stdout, "reset: the fake holds no payments, notifications, deliveries or faults")
}
