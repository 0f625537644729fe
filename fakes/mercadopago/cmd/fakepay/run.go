package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

const defaultURL = "http://127.0.0.1:8090"

const usage = `usage: fakepay [--url URL] [--json] <verb> [arguments]

Drives the fake Mercado Pago through its control API; every state change
sends its webhook. <payment> is a Mercado Pago payment id, or --order <order
id> for the newest payment whose external_reference is that order.

verbs:
  list [--order ID]               list payments, oldest first
  show <payment>                  show one payment
  approve <payment>               pay a payment: pending, in process or authorized (approved/accredited)
  reject <payment> [--detail D]   refuse a payment not yet paid (rejected/rejected_by_bank, or D: rejected_insufficient_data, rejected_high_risk, rejected_by_regulations)
  process <payment>               put a pending payment under review (in_process/pending_review_manual)
  authorize <payment>             authorize a pending or in-process payment, not yet captured (authorized/pending_capture)
  dispute <payment>               open a dispute on an approved payment (in_mediation)
  charge-back <payment>           take an approved or disputed payment's money back (charged_back/settled)
  expire <payment>                run a pending PIX code out (cancelled/expired)
  cancel <payment>                cancel a pending payment (cancelled/by_collector)
  refund <payment> [--amount A]   give an approved payment's money back: all that remains, or A (partially_refunded)
  resend <payment> [flags]        send its last notification again: --count N, --first, --bad-signature, --delay D
  out-of-order <payment>          send all its notifications again, newest first
  deliveries [<payment>]          the webhook delivery log: every attempt, its answer and timing
  fail-next N [flags]             fail the next N API calls: --status 5xx (500), --delay D, --create-only, --processed
  outage on|off [flags]           every API call fails until "outage off": --status 5xx (503), --delay D, --create-only
  faults [clear]                  the API faults in force and the calls they met; clear lifts them all
  auto-approve [DURATION|off]     show or set the delay after which every new payment is approved
  clock [advance DURATION|reset]  show or move the fake's clock; payments it passes expire at once
  notifications [flags|reset]     show or set how every notification is retried and shaped: --retries mercadopago|quick|none|100ms,1s,..., --variants LIST
  variants <payment> [flags]      show or set how a payment's notifications are shaped from now on: --set LIST, --reset
  drift [on|off]                  show or switch payload drift: API answers with masked payer, extra fields, nulls
  reset                           forget every payment, notification, delivery and fault
  serve [flags]                   run the fake: --addr, --access-token, --webhook-secret, --state FILE, --auto-approve D, --drift, --webhook-retries S, --variants LIST

--processed: the call takes effect at once and only its answer is lost (a
5xx) or late (--delay), as when a creation succeeds but its answer never
reaches the client; a retry with the same X-Idempotency-Key must then get
the same payment.

Notification variants, each a shape Mercado Pago gives some notifications:
same_request_id (retries repeat the first attempt's x-request-id and
signature), ts_millis, no_request_id, upper_case_id, topic (the IPN shape,
?id=&topic=payment), merchant_order (also the merchant order's IPN).

global flags, before or after the verb:
  --url URL   the fake's address (default ` + defaultURL + `)
  --json      print JSON instead of lines
`

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// run is fakepay without the process around it: it returns the exit status
// and writes one line, "fakepay: <reason>", to stderr when it fails.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	var uerr *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case errors.As(err, &uerr):
		fmt.Fprintf(stderr, "fakepay: %s (see fakepay --help)\n", oneLine(err))
		return 2
	default:
		fmt.Fprintf(stderr, "fakepay: %s\n", oneLine(err))
		return 1
	}
}

// globals are the flags every verb accepts.
type globals struct {
	url  string
	json bool
}

// register binds the global flags to fs, keeping what was parsed so far.
func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.url, "url", g.url, "the fake's address")
	fs.BoolVar(&g.json, "json", g.json, "print JSON")
}

// verbFunc runs one verb with the arguments after it.
type verbFunc func(ctx context.Context, g *globals, verb string, args []string, stdout, stderr io.Writer) error

// verbs maps each verb to the function that runs it.
var verbs = map[string]verbFunc{
	"list":          listPayments,
	"show":          actOnPayment,
	"approve":       actOnPayment,
	"reject":        actOnPayment,
	"expire":        actOnPayment,
	"cancel":        actOnPayment,
	"refund":        actOnPayment,
	"process":       actOnPayment,
	"authorize":     actOnPayment,
	"dispute":       actOnPayment,
	"charge-back":   actOnPayment,
	"resend":        actOnPayment,
	"out-of-order":  actOnPayment,
	"deliveries":    listDeliveries,
	"fail-next":     failNext,
	"outage":        outage,
	"faults":        showFaults,
	"auto-approve":  autoApprove,
	"clock":         moveClock,
	"drift":         drift,
	"notifications": notifications,
	"variants":      variants,
	"reset":         resetFake,
	"serve":         serve,
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	g := &globals{url: defaultURL}
	fs := newFlagSet("fakepay")
	g.register(fs)
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if fs.NArg() == 0 {
		return usagef("no verb given")
	}
	verb, rest := fs.Arg(0), fs.Args()[1:]
	if verb == "help" {
		return flag.ErrHelp
	}
	run, ok := verbs[verb]
	if !ok {
		return usagef("unknown verb %q", verb)
	}
	return run(ctx, g, verb, rest, stdout, stderr)
}

// parseVerb parses a verb's flags (with the global ones) and checks it
// got between least and most positional arguments.
func parseVerb(g *globals, fs *flag.FlagSet, args []string, least, most int, shape string) ([]string, error) {
	g.register(fs)
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	if len(positional) < least || len(positional) > most {
		return nil, usagef("%s takes %s", fs.Name(), shape)
	}
	return positional, nil
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
