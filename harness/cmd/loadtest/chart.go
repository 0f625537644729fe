package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// latencySample is one order's latency, placed at the moment the order
// was created, measured from the start of the run.
type latencySample struct {
	At      time.Duration
	Latency time.Duration
}

// chartSeries is one line pair (p50 and p99) on the latency chart.
type chartSeries struct {
	Name    string
	Samples []latencySample
}

// chartPhase is a stretch of the run drawn as a labelled band behind the
// lines, so a reader can tell which latencies belong to which load or fault.
type chartPhase struct {
	Name       string
	Start, End time.Duration
}

// The chart's geometry in SVG user units; the legend lives in the right margin.
const (
	chartWidth, chartHeight = 900, 450
	plotLeft, plotRight     = 64, 700
	plotTop, plotBottom     = 40, 400
	legendLeft              = plotRight + 18
	legendNameRunes         = 22
)

// seriesColours are Tableau's ten, told apart easily, also in print.
var seriesColours = []string{
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
}

// bucketPoint is one bucket of a series: its middle in seconds and its
// p50 and p99 in milliseconds.
type bucketPoint struct {
	sec, p50, p99 float64
}

// writeLatencyChart draws the p50 (solid) and p99 (dashed) latency of every
// series per bucket of creation time as a self-contained SVG: no scripts,
// no external fonts or styles, so it opens in any browser or viewer. The y
// axis turns logarithmic when the plotted latencies span more than two
// decades, so a slow spike does not flatten the steady state into the axis.
// A line joins the buckets that have samples; a bucket without any is not
// drawn, and the line passes over it.
func writeLatencyChart(w io.Writer, title string, series []chartSeries, phases []chartPhase, bucket time.Duration) error {
	if bucket <= 0 {
		return fmt.Errorf("latency chart bucket must be positive, got %v", bucket)
	}
	points := make([][]bucketPoint, len(series))
	var latencies []float64
	xMax := 0.0
	for i, s := range series {
		points[i] = bucketize(s.Samples, bucket)
		for _, p := range points[i] {
			latencies = append(latencies, p.p50, p.p99)
			xMax = max(xMax, p.sec+bucket.Seconds()/2)
		}
	}
	for _, ph := range phases {
		xMax = max(xMax, ph.End.Seconds())
	}
	if xMax <= 0 {
		xMax = bucket.Seconds()
	}
	c := &svgChart{
		x: axis{lo: 0, hi: xMax, from: plotLeft, to: plotRight},
		y: latencyAxis(latencies),
	}
	c.header(title)
	c.phaseBands(phases)
	c.grid()
	c.lines(series, points)
	c.legend(series)
	c.printf("</svg>\n")
	_, err := io.WriteString(w, c.b.String())
	return err
}

// bucketize groups samples by the bucket their At falls in and gives each
// non-empty bucket's p50 and p99, in time order.
func bucketize(samples []latencySample, bucket time.Duration) []bucketPoint {
	byBucket := map[int64][]time.Duration{}
	for _, s := range samples {
		i := max(int64(s.At/bucket), 0)
		byBucket[i] = append(byBucket[i], s.Latency)
	}
	out := make([]bucketPoint, 0, len(byBucket))
	for _, i := range slices.Sorted(maps.Keys(byBucket)) {
		l := byBucket[i]
		slices.Sort(l)
		out = append(out, bucketPoint{
			sec: (float64(i) + 0.5) * bucket.Seconds(),
			p50: millis(percentile(l, 50)),
			p99: millis(percentile(l, 99)),
		})
	}
	return out
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// svgChart accumulates the document; writing happens once, at the end, so
// there is one error to check.
type svgChart struct {
	b    strings.Builder
	x, y axis
}

func (c *svgChart) printf(format string, args ...any) { fmt.Fprintf(&c.b, format, args...) }

func (c *svgChart) header(title string) {
	c.printf(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		chartWidth, chartHeight, chartWidth, chartHeight)
	c.printf("<title>%s</title>\n", esc(title))
	c.printf(`<rect width="%d" height="%d" fill="white"/>`+"\n", chartWidth, chartHeight)
	c.printf(`<defs><clipPath id="plot-area"><rect x="%d" y="%d" width="%d" height="%d"/></clipPath></defs>`+"\n",
		plotLeft, plotTop, plotRight-plotLeft, plotBottom-plotTop)
	c.printf(`<text x="%d" y="24" text-anchor="middle" font-size="16" font-weight="bold">%s</text>`+"\n",
		(plotLeft+plotRight)/2, esc(title))
}

// phaseBands shades each phase; labels of neighbouring bands alternate
// between two rows so that short phases do not print over each other.
func (c *svgChart) phaseBands(phases []chartPhase) {
	c.printf(`<g class="phases" clip-path="url(#plot-area)">` + "\n")
	for i, ph := range phases {
		from, to := c.x.pos(max(ph.Start.Seconds(), 0)), c.x.pos(ph.End.Seconds())
		if to <= from {
			continue
		}
		fill := [...]string{"#eef2f8", "#f6f1e7"}[i%2]
		c.printf(`<rect class="phase" x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`+"\n",
			from, plotTop, to-from, plotBottom-plotTop, fill, esc(ph.Name))
		c.printf(`<text x="%.1f" y="%d" font-size="11" fill="#555">%s</text>`+"\n",
			from+3, plotTop+13+12*(i%2), esc(ph.Name))
	}
	c.printf("</g>\n")
}

// grid draws the grid lines, both axes with their tick labels and names.
func (c *svgChart) grid() {
	c.printf(`<g class="grid" stroke="#d8d8d8" stroke-width="1">` + "\n")
	for _, v := range c.x.ticks() {
		c.printf(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`+"\n", c.x.pos(v), plotTop, c.x.pos(v), plotBottom)
	}
	for _, v := range c.y.ticks() {
		c.printf(`<line x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`+"\n", plotLeft, c.y.pos(v), plotRight, c.y.pos(v))
	}
	c.printf("</g>\n")
	c.printf(`<g class="axes" fill="#333">` + "\n")
	c.printf(`<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>`+"\n",
		plotLeft, plotTop, plotRight-plotLeft, plotBottom-plotTop)
	for _, v := range c.x.ticks() {
		c.printf(`<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", c.x.pos(v), plotBottom+16, formatTick(v))
	}
	for _, v := range c.y.ticks() {
		c.printf(`<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", plotLeft-6, c.y.pos(v)+4, formatTick(v))
	}
	c.printf(`<text x="%d" y="%d" text-anchor="middle">time since start (s)</text>`+"\n", (plotLeft+plotRight)/2, plotBottom+36)
	yName := "latency (ms)"
	if c.y.log {
		yName = "latency (ms, log scale)"
	}
	c.printf(`<text transform="translate(16 %d) rotate(-90)" text-anchor="middle">%s</text>`+"\n", (plotTop+plotBottom)/2, yName)
	c.printf("</g>\n")
}

// lines draws, per series, one polyline for p50 and one for p99, even when
// the series is empty, so a reader of the file finds every series named.
// A lone point would be invisible as a line, so it gets a dot as well.
func (c *svgChart) lines(series []chartSeries, points [][]bucketPoint) {
	c.printf(`<g class="series" clip-path="url(#plot-area)" fill="none" stroke-width="1.6" stroke-linejoin="round">` + "\n")
	for i, s := range series {
		colour := seriesColours[i%len(seriesColours)]
		for _, q := range []struct {
			name, dash string
			value      func(bucketPoint) float64
		}{
			{"p50", "", func(p bucketPoint) float64 { return p.p50 }},
			{"p99", ` stroke-dasharray="6 4"`, func(p bucketPoint) float64 { return p.p99 }},
		} {
			coords := make([]string, len(points[i]))
			for j, p := range points[i] {
				coords[j] = fmt.Sprintf("%.1f,%.1f", c.x.pos(p.sec), c.y.pos(q.value(p)))
			}
			c.printf(`<polyline class="%s" data-series="%s" stroke="%s"%s points="%s"><title>%s %s</title></polyline>`+"\n",
				q.name, esc(s.Name), colour, q.dash, strings.Join(coords, " "), esc(s.Name), q.name)
			if len(points[i]) == 1 {
				p := points[i][0]
				c.printf(`<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>`+"\n", c.x.pos(p.sec), c.y.pos(q.value(p)), colour)
			}
		}
	}
	c.printf("</g>\n")
}

// legend names each series by colour and explains the two line styles.
func (c *svgChart) legend(series []chartSeries) {
	c.printf(`<g class="legend">` + "\n")
	y := plotTop + 6
	row := func(colour, dash, label, full string) {
		c.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>`+"\n",
			legendLeft, y, legendLeft+24, y, colour, dash)
		c.printf(`<text x="%d" y="%d">%s<title>%s</title></text>`+"\n", legendLeft+30, y+4, esc(label), esc(full))
		y += 18
	}
	row("#555", "", "p50", "median latency per bucket")
	row("#555", ` stroke-dasharray="6 4"`, "p99", "99th percentile latency per bucket")
	y += 6
	for i, s := range series {
		row(seriesColours[i%len(seriesColours)], "", truncateRunes(s.Name, legendNameRunes), s.Name)
	}
	c.printf("</g>\n")
}

// truncateRunes shortens s to at most n runes, marking the cut with an ellipsis.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// esc makes s safe as XML text or as a double-quoted attribute value;
// characters XML cannot hold at all, such as NUL, become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails to write
	return b.String()
}

// axis maps values onto pixels, linearly or by decades.
type axis struct {
	lo, hi   float64 // values at the ends; both positive when log
	from, to float64 // pixels at the ends; to < from on the y axis, which grows upward
	log      bool
}

// latencyAxis fits the y axis to the plotted latencies (ms): from zero to a
// round number above the highest, or, when the highest is more than 100
// times the lowest, from decade to decade on a log scale.
func latencyAxis(values []float64) axis {
	a := axis{from: plotBottom, to: plotTop, hi: 1}
	lo, hi := math.Inf(1), 0.0
	for _, v := range values {
		if v > 0 {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	switch {
	case hi == 0:
	case hi/lo > 100:
		a.log = true
		a.lo = math.Pow(10, math.Floor(math.Log10(lo)))
		a.hi = math.Pow(10, math.Ceil(math.Log10(hi)))
	default:
		step := niceStep(hi / 5)
		a.hi = math.Ceil(hi/step) * step
	}
	return a
}

func (a axis) pos(v float64) float64 {
	f := 0.0
	switch {
	case a.log:
		f = math.Log10(max(v, a.lo)/a.lo) / math.Log10(a.hi/a.lo)
	case a.hi > a.lo:
		f = (v - a.lo) / (a.hi - a.lo)
	}
	return a.from + f*(a.to-a.from)
}

// ticks are round values inside the axis: multiples of a 1, 2 or 5 step on
// a linear axis; 1, 2 and 5 of each decade on a log axis of up to three
// decades, and the decades alone on a longer one.
func (a axis) ticks() []float64 {
	var out []float64
	if a.log {
		mults := []float64{1, 2, 5}
		decades := int(math.Round(math.Log10(a.hi / a.lo)))
		if decades > 3 {
			mults = mults[:1]
		}
		for d := range decades + 1 {
			for _, m := range mults {
				if v := a.lo * math.Pow(10, float64(d)) * m; v <= a.hi*(1+1e-9) {
					out = append(out, v)
				}
			}
		}
		return out
	}
	step := niceStep((a.hi - a.lo) / 6)
	for i := math.Ceil(a.lo / step); i*step <= a.hi*(1+1e-9); i++ {
		out = append(out, i*step)
	}
	return out
}

// niceStep rounds raw up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if raw <= m*mag*(1+1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// formatTick prints a tick value without the float noise of its arithmetic.
func formatTick(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
