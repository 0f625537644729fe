package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

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
		return printLine(w, "no payments")
	}
	return printLines(w, payments)
}

// printLines writes one aligned line per payment: id, status/detail,
// amount, external_reference.
func printLines(w io.Writer, payments []mercadopago.Payment) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range payments {
		fmt.Fprintf(tw, "%d\t%s/%s\tR$ %.2f\t%s\n", p.ID, p.Status, p.StatusDetail, p.TransactionAmount, orDash(p.ExternalReference))
	}
	return flush(tw)
}

// printDeliveries writes one aligned line per attempt: when, payment,
// notification, action, attempt, answer, duration, fault.
func printDeliveries(w io.Writer, asJSON bool, log []mercadopago.Delivery) error {
	if asJSON {
		return printJSON(w, log)
	}
	if len(log) == 0 {
		return printLine(w, "no deliveries")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, d := range log {
		answer := fmt.Sprint(d.StatusCode)
		if d.Error != "" {
			answer = d.Error
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t#%d\t%s\t%s\t%s\n", d.Time.Format(time.TimeOnly), d.PaymentID, d.NotificationID,
			d.Action, d.Attempt, answer, d.Duration.Round(time.Microsecond), orDash(d.Fault))
	}
	return flush(tw)
}

func printFaults(w io.Writer, asJSON bool, f mercadopago.Faults) error {
	if asJSON {
		return printJSON(w, f)
	}
	failNext, outage := "none", "none"
	if f.FailNext != nil {
		failNext = fmt.Sprintf("the next %d calls: %s", f.Remaining, describeFault(*f.FailNext))
	}
	if f.Outage != nil {
		outage = "every call: " + describeFault(*f.Outage)
	}
	return printLine(w, fmt.Sprintf("fail-next: %s\noutage:    %s\ninjected:  %d calls (%d creations)",
		failNext, outage, f.Injected, f.InjectedCreations))
}

func describeFault(a mercadopago.APIFault) string {
	var parts []string
	if a.Delay > 0 {
		parts = append(parts, "held "+a.Delay.String())
	}
	if a.Status != 0 {
		parts = append(parts, fmt.Sprintf("answered %d", a.Status))
	}
	if a.Processed {
		parts = append(parts, "after taking effect")
	}
	if a.CreateOnly {
		parts = append(parts, "creations only")
	}
	return strings.Join(parts, ", ")
}

func printClock(w io.Writer, asJSON bool, c mercadopago.ClockState) error {
	if asJSON {
		return printJSON(w, c)
	}
	return printLine(w, fmt.Sprintf("now %s (%s ahead)", c.Now.Format(time.RFC3339), c.Offset))
}

func printAutoApprove(w io.Writer, asJSON bool, a mercadopago.AutoApproveState) error {
	if asJSON {
		return printJSON(w, a)
	}
	if a.After == 0 {
		return printLine(w, "auto-approve: off")
	}
	return printLine(w, fmt.Sprintf("auto-approve: every new payment is approved %s after its creation", a.After))
}

func printLine(w io.Writer, line string) error {
	if _, err := fmt.Fprintln(w, line); err != nil {
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

func flush(tw *tabwriter.Writer) error {
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
