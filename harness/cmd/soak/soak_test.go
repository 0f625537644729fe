package main

import (
	"strings"
	"testing"
)

func TestEffectsCountsCommittedEffectsByOrder(t *testing.T) {
	t.Parallel()
	var copied strings.Builder
	e := newEffects(&copied)
	lines := `{"msg":"order status changed","order_id":"o1","to":"PAID"}
{"msg":"order status changed","order_id":"o1","to":"IN_PREPARATION"}
{"msg":"http request","order_id":"o1"}
{"msg":"payment settled","order_id":"o2"}
{"msg":"payment settled","order_id":"o2"}
{"msg":"order status chan`
	// Written in two pieces that split a line, as a logger may.
	_, _ = e.Write([]byte(lines[:70]))
	_, _ = e.Write([]byte(lines[70:] + `ged","order_id":"o1","to":"PAID"}` + "\n"))
	if got := e.twice("o1"); len(got) != 1 || got[0] != "order status changed to PAID" {
		t.Errorf("o1 twice = %v; want PAID entered twice", got)
	}
	if got := e.twice("o2"); len(got) != 1 || got[0] != "payment settled" {
		t.Errorf("o2 twice = %v; want the payment settled twice", got)
	}
	if !strings.Contains(copied.String(), `"http request"`) {
		t.Error("the lines are not copied to the log writer")
	}
}

func TestVerdict(t *testing.T) {
	t.Parallel()
	good := verdict{orders: 200, terminal: 200, deadLettered: 3, injected: 3}
	if !good.ok() || good.line() != "soak: 200 orders, 200 terminal, 0 lost, 0 duplicated, 3 dead-lettered (3 injected)" {
		t.Errorf("%q ok=%v", good.line(), good.ok())
	}
	for _, bad := range []verdict{
		{orders: 2, terminal: 1, lost: 1},
		{orders: 2, terminal: 2, duplicated: 1},
		{orders: 2, terminal: 2, deadLettered: 1},
		{orders: 2, terminal: 2, deadLettered: 1, injected: 1, strays: 1},
	} {
		if bad.ok() {
			t.Errorf("%+v passes", bad)
		}
	}
}
