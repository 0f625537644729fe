package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestNotificationsAndVariantsVerbs(t *testing.T) {
	t.Parallel()
	_, srv := newTestFake(t)
	url := srv.URL
	if out := mustRun(t, "--url", url, "notifications", "--retries", "mercadopago", "--variants", "ts_millis,no_request_id"); out !=
		"retries after 15m0s, 15m0s, 5h30m0s, 42h0m0s, 48h0m0s; variants: ts_millis, no_request_id\n" {
		t.Errorf("notifications --retries --variants printed %q", out)
	}
	if out := mustRun(t, "--url", url, "notifications", "--retries", "none"); !strings.HasPrefix(out, "retries after nothing (no retry); variants: ts_millis") {
		t.Errorf("notifications --retries none printed %q", out)
	}
	id := strconv.FormatInt(createPayment(t, url, "order-"+uuid.NewString()), 10)
	if out := mustRun(t, "--url", url, "variants", id); out != "payment "+id+": variants ts_millis, no_request_id (the fake's setting)\n" {
		t.Errorf("variants printed %q", out)
	}
	if out := mustRun(t, "--url", url, "variants", id, "--set", "topic,merchant_order"); out != "payment "+id+": variants topic, merchant_order (its own)\n" {
		t.Errorf("variants --set printed %q", out)
	}
	if out := mustRun(t, "--url", url, "variants", id, "--reset"); !strings.Contains(out, "(the fake's setting)") {
		t.Errorf("variants --reset printed %q", out)
	}
	if out := mustRun(t, "--url", url, "notifications", "reset"); !strings.Contains(out, "variants: none") {
		t.Errorf("notifications reset printed %q", out)
	}
	for _, bad := range [][]string{
		{"notifications", "--variants", "sideways"},
		{"notifications", "--retries", "soon"},
		{"variants", id, "--set", "ts_millis", "--reset"},
	} {
		if code, _, errOut := fakepay(t, append([]string{"--url", url}, bad...)...); code != 2 || errOut == "" {
			t.Errorf("fakepay %v = %d %q; want a usage error", bad, code, errOut)
		}
	}
	if code, _, errOut := fakepay(t, "--url", url, "variants", "999"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("variants of an unknown payment = %d %q", code, errOut)
	}
}
