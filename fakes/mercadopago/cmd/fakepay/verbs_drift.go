package main

import (
	"context"
	"io"
	"net/http"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// drift is `drift [on|off]`: show or switch payload drift.
func drift(ctx context.Context, g *globals, verb string, args []string, stdout, _ io.Writer) error {
	positional, err := parseVerb(g, newFlagSet(verb), args, 0, 1, "nothing, on, or off")
	if err != nil {
		return err
	}
	method, body := http.MethodGet, any(nil)
	if len(positional) == 1 {
		switch positional[0] {
		case "on":
			method, body = http.MethodPut, mercadopago.DriftState{Drift: true}
		case "off":
			method = http.MethodDelete
		default:
			return usagef("drift takes nothing, on, or off; got %q", positional[0])
		}
	}
	var state mercadopago.DriftState
	if err := mercadopago.NewControlClient(g.url).Call(ctx, method, "/_fake/drift", body, &state); err != nil {
		return err
	}
	return printDrift(stdout, g.json, state)
}

func printDrift(w io.Writer, asJSON bool, s mercadopago.DriftState) error {
	if asJSON {
		return printJSON(w, s)
	}
	if !s.Drift {
		return printLine(w, "drift: off")
	}
	return printLine(w, "drift: on; API answers take Mercado Pago's liberties (masked payer, extra fields, nulls)")
}
