package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// TestRefundVerb: refund --amount gives back part of a payment, which
// stays approved/partially_refunded; refund alone gives back what remains.
func TestRefundVerb(t *testing.T) {
	t.Parallel()
	f, srv := newTestFake(t)
	id := createPayment(t, srv.URL, "order-"+uuid.NewString())
	if _, err := f.Approve(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	sid := strconv.FormatInt(id, 10)

	if out := mustRun(t, "--url", srv.URL, "refund", sid, "--amount", "10.40"); !strings.Contains(out, "approved/partially_refunded") {
		t.Errorf("refund --amount 10.40 printed %q", out)
	}
	code, out, errOut := fakepay(t, "--url", srv.URL, "refund", "--amount", "20", sid)
	if want := fmt.Sprintf("fakepay: payment %d: 15.50 remains to refund; it cannot refund 20.00\n", id); code != 1 || out != "" || errOut != want {
		t.Errorf("refund --amount 20 = %d %q %q; want 1, %q", code, out, errOut, want)
	}
	if code, _, errOut := fakepay(t, "--url", srv.URL, "refund", sid, "--amount", "-3"); code != 2 ||
		errOut != `fakepay: --amount takes a positive amount like 12.50, got "-3" (see fakepay --help)`+"\n" {
		t.Errorf("refund --amount -3 = %d %q", code, errOut)
	}
	if out := mustRun(t, "--url", srv.URL, "refund", sid); !strings.Contains(out, "refunded/refunded") {
		t.Errorf("refund printed %q", out)
	}
	refunds, _ := f.Refunds(id)
	if len(refunds) != 2 || refunds[0].Amount != 10.4 || refunds[1].Amount != 15.5 {
		t.Errorf("refunds = %+v; want 10.40, then the 15.50 that remained", refunds)
	}
	if p, _ := f.Payment(id); p.Status != mercadopago.StatusRefunded || p.TransactionAmountRefunded != 25.9 {
		t.Errorf("payment = %s, refunded %v", p.Status, p.TransactionAmountRefunded)
	}
	if code, out, _ := fakepay(t, "--help"); code != 0 || !strings.Contains(out, "refund <payment> [--amount A]") {
		t.Errorf("--help does not show refund's --amount: %q", out)
	}
}
