package main

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A short run of every phase: every order gets through, and results.json
// holds every target docs/performance.md reports, filled in. POST /order is
// measured first, so that the phases after it prove the payment service it
// paused is back.
func TestShortRunReportsEveryPhase(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the whole system")
	}
	dir := t.TempDir()
	cfg, err := parseFlags([]string{
		"-floor-duration", "1s", "-floor-workers", "2",
		"-latency-rate", "20", "-latency-duration", "1s",
		"-flow-window", "20", "-flow-clients", "4", "-flow-warmup", "0s", "-flow-duration", "2s",
		"-post-clients", "4", "-post-duration", "1s", "-customers", "6", "-memory-limit-mb", "0",
		"-out", filepath.Join(dir, "results.json"), "-chart", filepath.Join(dir, "latency.svg"),
		"-orders-csv", filepath.Join(dir, "orders.csv"), "-phases", "post_order,floor,latency,flow",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	if err := run(t.Context(), cfg, &table, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("run: %v", err)
	}

	raw, err := os.ReadFile(cfg.Out)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		BootMS    float64 `json:"boot_ms"`
		PeakRSSMB float64 `json:"peak_rss_mb"`
		Errors    int     `json:"errors"`
		Flow      struct {
			OrdersPerS       float64  `json:"orders_per_s"`
			FloorRatio       *float64 `json:"floor_ratio"`
			OrderToKitchenMS struct {
				P50, P95, P99 float64
			} `json:"order_to_kitchen_ms"`
		} `json:"flow"`
		PostOrder struct {
			ReqPerS  float64 `json:"req_per_s"`
			P99MS    float64 `json:"p99_ms"`
			Pipeline string  `json:"pipeline"`
		} `json:"post_order"`
		Phases map[string]struct {
			Orders, Unfinished int
		} `json:"phases"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("results.json: %v\n%s", err, raw)
	}
	k := got.Flow.OrderToKitchenMS
	if got.BootMS <= 0 || got.PeakRSSMB <= 0 || got.Flow.OrdersPerS <= 0 || got.Flow.FloorRatio == nil || *got.Flow.FloorRatio <= 0 ||
		k.P50 <= 0 || k.P50 > k.P95 || k.P95 > k.P99 || got.PostOrder.ReqPerS <= 0 || got.PostOrder.P99MS <= 0 {
		t.Errorf("results.json misses a number:\n%s", raw)
	}
	if got.PostOrder.Pipeline != pipelinePaused {
		t.Errorf("post_order.pipeline = %q; want %q (the default)", got.PostOrder.Pipeline, pipelinePaused)
	}
	if got.Errors != 0 {
		t.Errorf("%d errors:\n%s\n%s", got.Errors, table.String(), raw)
	}
	for _, phase := range []string{phaseLatency, phaseFlow, phasePost} {
		if p := got.Phases[phase]; p.Orders == 0 || p.Unfinished != 0 {
			t.Errorf("phase %s: %+v; want orders, all of them through", phase, p)
		}
	}
	if !strings.Contains(table.String(), "flow.orders_per_s") {
		t.Errorf("the table has no targets:\n%s", table.String())
	}
	svg, err := os.ReadFile(cfg.Chart)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil || !strings.Contains(string(svg), "<polyline") {
		t.Errorf("the chart is no SVG with lines: %v", err)
	}
}

func TestFlagsRefuseWhatCannotRun(t *testing.T) {
	for _, args := range [][]string{
		{"-post-pipeline", "off"},
		{"-phases", "flow,lunch"},
		{"-cooks", "0"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) succeeded", args)
		}
	}
	if _, err := parseFlags([]string{"-post-pipeline", "running"}, io.Discard); err != nil {
		t.Errorf("-post-pipeline running: %v", err)
	}
}
