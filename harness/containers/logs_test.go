package containers

import (
	"slices"
	"testing"
)

// recorder keeps every Write it is given.
type recorder struct{ writes []string }

func (r *recorder) Write(p []byte) (int, error) {
	r.writes = append(r.writes, string(p))
	return len(p), nil
}

// Output arrives in pieces; lineWriter passes it on in whole lines, and
// the last line even without its newline.
func TestLineWriterPassesWholeLines(t *testing.T) {
	t.Parallel()
	var out recorder
	w := &lineWriter{out: &out}
	for _, piece := range []string{`{"msg":"a`, `"}` + "\n" + `{"msg":"b"}` + "\n{", `"msg":"c"}` + "\n", `{"msg":"d"}`} {
		if _, err := w.Write([]byte(piece)); err != nil {
			t.Fatal(err)
		}
	}
	w.flush()
	want := []string{`{"msg":"a"}` + "\n" + `{"msg":"b"}` + "\n", `{"msg":"c"}` + "\n", `{"msg":"d"}` + "\n"}
	if !slices.Equal(out.writes, want) {
		t.Errorf("writes %q, want %q", out.writes, want)
	}
}
