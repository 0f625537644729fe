package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzParse: any message body is either a complete envelope that survives a
// round trip, or ErrMalformed; never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"meta":{"event_id":"e1","event_date":"2026-11-27T10:00:00Z","event_source":"order-service","event_target":"payment-service","event_name":"order-paid-event","correlation_id":"c"},"payload":{"order_id":"o1"}}`))
	f.Add([]byte(`{"meta":{"event_id":"e1","event_name":"x"},"payload":null}`))
	f.Add([]byte(`{"meta":{"event_date":"not a date"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := Parse(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error is not ErrMalformed: %v", err)
			}
			return
		}
		if env.Meta.EventID == "" || env.Meta.EventName == "" || len(env.Payload) == 0 {
			t.Fatalf("accepted an incomplete envelope: %+v", env)
		}
		again, err := env.Marshal()
		if err != nil {
			t.Fatalf("accepted envelope does not encode: %v", err)
		}
		back, err := Parse(again)
		if err != nil || back.Meta != env.Meta || !bytes.Equal(compact(t, back.Payload), compact(t, env.Payload)) {
			t.Fatalf("round trip changed the envelope: %+v vs %+v (%v)", back, env, err)
		}
	})
}

func compact(t *testing.T, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}
