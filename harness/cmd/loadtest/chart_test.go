package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// svgElement is one start tag of a parsed chart with its attributes and
// the text directly inside it.
type svgElement struct {
	name  string
	attrs map[string]string
	text  string
}

// parseSVG decodes every token of doc, failing the test on malformed XML.
func parseSVG(t *testing.T, doc []byte) []svgElement {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var (
		elems []svgElement
		open  []int // indexes into elems of the elements not yet closed
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := svgElement{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			elems = append(elems, e)
			open = append(open, len(elems)-1)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				elems[open[len(open)-1]].text += string(tok)
			}
		}
	}
	return elems
}

func renderChart(t *testing.T, title string, series []chartSeries, phases []chartPhase) []svgElement {
	t.Helper()
	var buf bytes.Buffer
	if err := writeLatencyChart(&buf, title, series, phases, time.Second); err != nil {
		t.Fatalf("writeLatencyChart: %v", err)
	}
	return parseSVG(t, buf.Bytes())
}

func sampleAt(sec float64, latencyMS int) latencySample {
	return latencySample{
		At:      time.Duration(sec * float64(time.Second)),
		Latency: time.Duration(latencyMS) * time.Millisecond,
	}
}

func TestLatencyChartPolylinePerSeriesAndQuantile(t *testing.T) {
	t.Parallel()
	series := []chartSeries{
		// Buckets 0, 1 and 5: three points, with a gap the line passes over.
		{Name: "create order", Samples: []latencySample{sampleAt(0.1, 20), sampleAt(0.5, 30), sampleAt(1.2, 25), sampleAt(5.9, 400)}},
		{Name: "empty"},
		{Name: "single", Samples: []latencySample{sampleAt(2.5, 12)}},
	}
	phases := []chartPhase{{Name: "warm-up", Start: 0, End: 2 * time.Second}, {Name: "spike", Start: 2 * time.Second, End: 6 * time.Second}}
	elems := renderChart(t, "latency", series, phases)

	wantPoints := map[string]int{"create order": 3, "empty": 0, "single": 1}
	got := map[string]int{}
	for _, e := range elems {
		if e.name != "polyline" {
			continue
		}
		key := e.attrs["data-series"] + "/" + e.attrs["class"]
		got[key]++
		if n, want := len(strings.Fields(e.attrs["points"])), wantPoints[e.attrs["data-series"]]; n != want {
			t.Errorf("%s has %d points, want %d", key, n, want)
		}
		if dashed := e.attrs["stroke-dasharray"] != ""; dashed != (e.attrs["class"] == "p99") {
			t.Errorf("%s: dashed = %v, want dashed p99 only", key, dashed)
		}
	}
	for _, s := range series {
		for _, q := range []string{"p50", "p99"} {
			if got[s.Name+"/"+q] != 1 {
				t.Errorf("%d polylines for %s/%s, want 1", got[s.Name+"/"+q], s.Name, q)
			}
		}
	}
	if n := countElems(elems, "circle"); n != 2 {
		t.Errorf("%d dots, want 2 (the single-sample series' p50 and p99)", n)
	}
	if n := countElems(elems, "rect", "class", "phase"); n != len(phases) {
		t.Errorf("%d phase bands, want %d", n, len(phases))
	}
}

func TestLatencyChartEscapesText(t *testing.T) {
	t.Parallel()
	title := `p99 < 200ms & "fast" 'enough'`
	name := "<script>alert(1)</script>\x00"
	elems := renderChart(t, title, []chartSeries{{Name: name, Samples: []latencySample{sampleAt(0, 5)}}},
		[]chartPhase{{Name: "a&b", End: time.Second}})
	if elems[0].name != "svg" || elems[1].name != "title" || elems[1].text != title {
		t.Errorf("document starts %s/%s %q, want svg/title %q", elems[0].name, elems[1].name, elems[1].text, title)
	}
	if n := countElems(elems, "script"); n != 0 {
		t.Errorf("series name became %d script elements", n)
	}
	if n := countElems(elems, "polyline", "data-series", "<script>alert(1)</script>\uFFFD"); n != 2 {
		t.Errorf("%d polylines carry the escaped series name, want 2", n)
	}
}

func TestLatencyChartWithoutSamples(t *testing.T) {
	t.Parallel()
	for _, series := range [][]chartSeries{nil, {{Name: "none"}}} {
		elems := renderChart(t, "nothing yet", series, nil)
		if n := countElems(elems, "polyline"); n != 2*len(series) {
			t.Errorf("%d polylines for %d series, want two each", n, len(series))
		}
	}
}

func TestLatencyChartRejectsBadBucket(t *testing.T) {
	t.Parallel()
	if err := writeLatencyChart(io.Discard, "t", nil, nil, 0); err == nil {
		t.Error("bucket 0 accepted")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestLatencyChartReportsWriteError(t *testing.T) {
	t.Parallel()
	if err := writeLatencyChart(failingWriter{}, "t", nil, nil, time.Second); err == nil {
		t.Error("write error swallowed")
	}
}

func TestBucketizeQuantiles(t *testing.T) {
	t.Parallel()
	var samples []latencySample
	for i := 1; i <= 100; i++ { // bucket 3: 1..100 ms, so p50 = 50 ms and p99 = 99 ms
		samples = append(samples, sampleAt(3.5, i))
	}
	samples = append(samples, sampleAt(-1, 7)) // before the start: counted in the first bucket
	got := bucketize(samples, time.Second)
	want := []bucketPoint{{sec: 0.5, p50: 7, p99: 7}, {sec: 3.5, p50: 50, p99: 99}}
	if len(got) != len(want) {
		t.Fatalf("bucketize = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bucket %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestLatencyAxisScale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		values         []float64
		log            bool
		wantLo, wantHi float64
	}{
		{"nothing", nil, false, 0, 1},
		{"two decades stays linear", []float64{5, 500}, false, 0, 500},
		{"round up to a nice top", []float64{3, 37}, false, 0, 40},
		{"sub-millisecond", []float64{0.12, 0.27}, false, 0, 0.3},
		{"over two decades goes log", []float64{2, 201}, true, 1, 1000},
		{"zero ignored for the range", []float64{0, 4, 9000}, true, 1, 10000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := latencyAxis(tt.values)
			if a.log != tt.log || !nearlyEqual(a.lo, tt.wantLo) || !nearlyEqual(a.hi, tt.wantHi) {
				t.Errorf("latencyAxis(%v) = log %v [%v, %v], want log %v [%v, %v]",
					tt.values, a.log, a.lo, a.hi, tt.log, tt.wantLo, tt.wantHi)
			}
			ticks := a.ticks()
			if len(ticks) < 2 {
				t.Errorf("ticks %v: want at least two", ticks)
			}
			for _, v := range ticks {
				if v < a.lo*(1-1e-9) || v > a.hi*(1+1e-9) {
					t.Errorf("tick %v outside [%v, %v]", v, a.lo, a.hi)
				}
			}
			for _, v := range tt.values { // every value lands inside the plot
				if p := a.pos(v); p < plotTop || p > plotBottom {
					t.Errorf("value %v at y=%v, outside the plot", v, p)
				}
			}
		})
	}
}

func nearlyEqual(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// countElems counts the elements called name, with attrs[key] == value when a
// key and value are given.
func countElems(elems []svgElement, name string, keyValue ...string) int {
	n := 0
	for _, e := range elems {
		if e.name == name && (len(keyValue) < 2 || e.attrs[keyValue[0]] == keyValue[1]) {
			n++
		}
	}
	return n
}
