package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"
)

// report prints the table, and writes results.json and the chart.
func (b *bench) report(out io.Writer) error {
	r := &b.results
	printTable(out, r)
	if err := writeFile(b.cfg.Out, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}); err != nil {
		return err
	}
	if err := writeFile(b.cfg.Chart, func(w io.Writer) error {
		return writeLatencyChart(w, "Comanda under load: latency from order creation (p50 solid, p99 dashed)", b.series(), b.bands, time.Second)
	}); err != nil {
		return err
	}
	if err := writeFile(b.cfg.OrdersCSV, b.writeOrders); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nwrote %s and %s\n", b.cfg.Out, b.cfg.Chart)
	return nil
}

// series are the chart's lines: every order's order→kitchen and
// order→READY, and every POST /order, at the time it was placed.
func (b *bench) series() []chartSeries {
	kitchen := chartSeries{Name: "order → kitchen record"}
	ready := chartSeries{Name: "order → READY"}
	post := chartSeries{Name: "POST /order"}
	for _, phase := range []string{phaseLatency, phaseFlow, phasePost} {
		for _, o := range b.book.snapshot(phase) {
			at := o.sent.Sub(b.began)
			if d, ok := o.since(stageKitchen); ok {
				kitchen.Samples = append(kitchen.Samples, latencySample{At: at, Latency: d})
			}
			if d, ok := o.since(stageReady); ok {
				ready.Samples = append(ready.Samples, latencySample{At: at, Latency: d})
			}
			post.Samples = append(post.Samples, latencySample{At: at, Latency: o.answered.Sub(o.sent)})
		}
	}
	return []chartSeries{post, kitchen, ready}
}

// writeOrders writes one line per order: its phase, when it was sent
// (seconds into the run) and each stage's latency in milliseconds (empty if
// never reached).
func (b *bench) writeOrders(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(append([]string{"order_id", "phase", "sent_s"}, stageOrder...))
	for _, phase := range []string{phaseLatency, phaseFlow, phasePost} {
		for _, o := range b.book.snapshot(phase) {
			line := []string{o.id, phase, strconv.FormatFloat(o.sent.Sub(b.began).Seconds(), 'f', 3, 64)}
			for _, stage := range stageOrder {
				cell := ""
				if d, ok := o.since(stage); ok {
					cell = strconv.FormatFloat(ms(d), 'f', 1, 64)
				}
				line = append(line, cell)
			}
			_ = cw.Write(line)
		}
	}
	cw.Flush()
	return cw.Error()
}

func printTable(out io.Writer, r *results) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "target: %s, %d CPUs, %s\t\n", r.Target, r.Machine.CPUs, r.Machine.Go)
	fmt.Fprintf(w, "boot %.0f ms, peak RSS %.0f MB (this process %.0f, PostgreSQL %.0f), CPU %.1f s, errors %d\t\n\n",
		r.BootMS, r.PeakRSSMB, r.PeakRSSSelfMB, r.PeakRSSChildrenMB, r.CPUSeconds, r.Errors)
	fmt.Fprintln(w, "phase\torders\torders/s in\tREADY/s\terrors\tunfinished\tstage\tp50 ms\tp95 ms\tp99 ms\tmax ms\tCPU s\tpeak RSS MB\t")
	if f := r.Floor; f != nil {
		fmt.Fprintf(w, "floor\t%d\t\t%.0f\t%d\t\t\t\t\t\t\t%.1f\t%.0f\t\n", f.Orders, f.OrdersPerS, f.Errors, f.CPUSeconds, f.PeakRSSMB)
	}
	for _, name := range []string{phaseLatency, phaseFlow, phasePost} {
		p, ok := r.Phases[name]
		if !ok {
			continue
		}
		first := true
		for _, stage := range stageOrder {
			s, ok := p.StagesMS[stage]
			if !ok || s.N == 0 {
				continue
			}
			if first {
				fmt.Fprintf(w, "%s\t%d\t%.0f\t%.0f\t%d\t%d\t", name, p.Orders, p.PlacedPerS, p.ReadyPerS, p.Errors, p.Unfinished)
			} else {
				fmt.Fprint(w, "\t\t\t\t\t\t")
			}
			fmt.Fprintf(w, "%s\t%.1f\t%.1f\t%.1f\t%.1f\t", stage, s.P50, s.P95, s.P99, s.Max)
			if first {
				fmt.Fprintf(w, "%.1f\t%.0f\t\n", p.CPUSeconds, p.PeakRSSMB)
			} else {
				fmt.Fprint(w, "\t\t\n")
			}
			first = false
		}
	}
	fmt.Fprintln(w, "\t")
	fmt.Fprintln(w, "target\twant\tgot\tmet\t")
	for _, t := range r.Targets {
		fmt.Fprintf(w, "%s\t%s\t%.1f\t%v\t\n", t.Name, t.Want, t.Got, t.Met)
	}
	if r.Flow.FloorRatio != nil {
		fmt.Fprintf(w, "floor_ratio\t\t%.2f\t\t\n", *r.Flow.FloorRatio)
	}
	_ = w.Flush()
}

func writeFile(path string, fill func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
