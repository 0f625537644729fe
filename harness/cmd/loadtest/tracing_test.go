package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for the command when
// -tracing-cost runs it again for a side of a round (-tracing-round).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "-tracing-round" {
		main()
		return
	}
	os.Exit(m.Run())
}

// A short tracing cost: two systems side by side, every order of both
// READY, spans exported by the one with telemetry on and none by the other.
func TestTracingCostSideBySide(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the whole system twice")
	}
	dir := t.TempDir()
	cfg, err := parseFlags([]string{"-tracing-cost", "-tracing-rate", "10", "-tracing-duration", "1s", "-tracing-rounds", "1",
		"-customers", "4", "-memory-limit-mb", "0", "-tracing-out", filepath.Join(dir, "tracing.json")}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	if err := tracingCost(t.Context(), cfg, &table, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(cfg.TracingOut)
	if err != nil {
		t.Fatal(err)
	}
	var got costResults
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Rounds) != 2 {
		t.Fatalf("%d sides; want off and on", len(got.Rounds))
	}
	for _, r := range got.Rounds {
		if r.Orders < 5 || r.Unfinished != 0 || r.CPUPerOrderMS <= 0 {
			t.Errorf("telemetry %s: %+v; want every order READY, and its CPU", r.Telemetry, r)
		}
		exported := r.SpansPerOrder > 0 && r.KBPerOrder > 0
		if exported != (r.Telemetry == telemetryOn) {
			t.Errorf("telemetry %s exported %.1f spans per order", r.Telemetry, r.SpansPerOrder)
		}
	}
	if got.OffMS <= 0 || got.OnMS <= 0 || !strings.Contains(table.String(), "CPU per order: off") {
		t.Errorf("results %+v, table:\n%s", got, table.String())
	}
}
