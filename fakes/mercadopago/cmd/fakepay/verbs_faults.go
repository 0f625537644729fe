package main

import (
	"context"
	"flag"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// faultFlags binds the flags that shape an API fault.
func faultFlags(fs *flag.FlagSet, a *mercadopago.APIFault, withProcessed bool) {
	fs.IntVar(&a.Status, "status", 0, "answer with this 5xx")
	fs.Func("delay", "hold each call this long", func(s string) error {
		d, err := time.ParseDuration(s)
		a.Delay = mercadopago.Duration(d)
		return err
	})
	fs.BoolVar(&a.CreateOnly, "create-only", false, "only payment creations (POST /v1/payments)")
	if withProcessed {
		fs.BoolVar(&a.Processed, "processed", false, "the call takes effect at once; only its answer is lost or late")
	}
}

// failNext is `fail-next N [--status 5xx] [--delay D] [--create-only] [--processed]`.
func failNext(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet(verb)
	var req struct {
		Count int `json:"count"`
		mercadopago.APIFault
	}
	faultFlags(fs, &req.APIFault, true)
	positional, err := parseVerb(g, fs, args, 1, 1, "how many calls to fail, e.g. fail-next 2")
	if err != nil {
		return err
	}
	if req.Count, err = strconv.Atoi(positional[0]); err != nil || req.Count < 1 {
		return usagef("fail-next takes a positive number of calls, got %q", positional[0])
	}
	return callFaults(ctx, g, stdout, http.MethodPost, "/_fake/faults/fail-next", req)
}

// outage is `outage on|off [--status 5xx] [--delay D] [--create-only]`.
func outage(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet(verb)
	var fault mercadopago.APIFault
	faultFlags(fs, &fault, false)
	positional, err := parseVerb(g, fs, args, 1, 1, "on or off")
	if err != nil {
		return err
	}
	switch positional[0] {
	case "on":
		return callFaults(ctx, g, stdout, http.MethodPut, "/_fake/faults/outage", fault)
	case "off":
		return callFaults(ctx, g, stdout, http.MethodDelete, "/_fake/faults/outage", nil)
	}
	return usagef("outage takes on or off, got %q", positional[0])
}

// showFaults is `faults [clear]`.
func showFaults(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	positional, err := parseVerb(g, newFlagSet(verb), args, 0, 1, "nothing, or clear")
	if err != nil {
		return err
	}
	if len(positional) == 0 {
		return callFaults(ctx, g, stdout, http.MethodGet, "/_fake/faults", nil)
	}
	if positional[0] != "clear" {
		return usagef("faults takes nothing, or clear; got %q", positional[0])
	}
	return callFaults(ctx, g, stdout, http.MethodDelete, "/_fake/faults", nil)
}

func callFaults(ctx context.Context, g *globals, stdout io.Writer, method, path string, body any) error {
	var faults mercadopago.Faults
	if err := mercadopago.NewControlClient(g.url).Call(ctx, method, path, body, &faults); err != nil {
		return err
	}
	return printFaults(stdout, g.json, faults)
}
