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

Drives the fake Mercado Pago; every state change sends its webhook.
A payment is named by its Mercado Pago id or by --order <order id>
(its external_reference).

verbs:
  list [--order ID]               list payments, oldest first
  show <id> | --order ID          show one payment
  approve <id> | --order ID       pay a pending payment (approved/accredited)
  reject <id> | --order ID        refuse a pending payment (rejected/rejected_by_bank)
  expire <id> | --order ID        run out a pending PIX code (cancelled/expired)
  refund <id> | --order ID        give an approved payment's money back (refunded/refunded)
  resend <id> | --order ID [--count N]
                                  send the payment's last webhook again
  serve [--addr ADDR] [--access-token TOKEN] [--webhook-secret SECRET]
                                  run the fake (default 127.0.0.1:8090)

global flags, before or after the verb:
  --url URL   the fake's address (default ` + defaultURL + `)
  --json      print JSON instead of one line per payment
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
	switch verb {
	case "list":
		return listPayments(ctx, g, rest, stdout)
	case "show", "approve", "reject", "expire", "refund", "resend":
		return actOnPayment(ctx, g, verb, rest, stdout)
	case "serve":
		return serve(ctx, g, rest, stdout, stderr)
	case "help":
		return flag.ErrHelp
	default:
		return usagef("unknown verb %q", verb)
	}
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
