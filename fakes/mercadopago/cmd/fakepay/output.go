package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/comanda/comanda/fakes/mercadopago"
)

func printPayment(w io.Writer, asJSON bool, p mercadopago.Payment) error {
	if asJSON {
		return printJSON(w, p)
	}
	return printLines(w, []mercadopago.Payment{p})
}

func printPayments(w io.Writer, asJSON bool, payments []mercadopago.Payment) error {
	if asJSON {
		return printJSON(w, payments)
	}
	if len(payments) == 0 {
		_, err := fmt.Fprintln(w, "no payments")
		return err
	}
	return printLines(w, payments)
}

// printLines writes one aligned line per payment: id, status/detail,
// amount, external_reference.
func printLines(w io.Writer, payments []mercadopago.Payment) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range payments {
		ref := p.ExternalReference
		if ref == "" {
			ref = "-"
		}
		fmt.Fprintf(tw, "%d\t%s/%s\tR$ %.2f\t%s\n", p.ID, p.Status, p.StatusDetail, p.TransactionAmount, ref)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
