package harness

import (
	"fmt"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// The ring keeps the newest spans, oldest first; with no limit, every one.
func TestSpanRingKeepsTheNewest(t *testing.T) {
	t.Parallel()
	for limit, want := range map[int]string{0: "0 1 2 3 4", 3: "2 3 4", 5: "0 1 2 3 4"} {
		r := newSpanRing(limit)
		for i := range 5 {
			r.OnEnd(tracetest.SpanStub{Name: fmt.Sprint(i)}.Snapshot())
		}
		var names []string
		for _, s := range r.Ended() {
			names = append(names, s.Name())
		}
		if got := strings.Join(names, " "); got != want {
			t.Errorf("limit %d: kept %q; want %q", limit, got, want)
		}
	}
}
