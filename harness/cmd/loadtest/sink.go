package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/encoding/protowire"
)

// otlpSink is an OTLP/HTTP receiver that keeps nothing: it counts the
// bytes it is sent, and the spans, as cheaply as it can (it runs in the
// process being measured, where a deployment's collector would not).
type otlpSink struct {
	url   string
	srv   *http.Server
	spans atomic.Int64
	bytes atomic.Int64
}

type sinkCounts struct{ spans, bytes int64 }

func startSink() (*otlpSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &otlpSink{url: "http://" + ln.Addr().String()}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.receive), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }() // until close
	return s, nil
}

func (s *otlpSink) receive(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.bytes.Add(int64(len(body)))
	if r.URL.Path == "/v1/traces" {
		s.spans.Add(int64(countSpans(body)))
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
}

func (s *otlpSink) counts() sinkCounts {
	return sinkCounts{spans: s.spans.Load(), bytes: s.bytes.Load()}
}

func (s *otlpSink) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}

// countSpans counts the spans of an ExportTraceServiceRequest: its
// resource_spans (1), their scope_spans (2), their spans (2).
func countSpans(req []byte) int {
	n := 0
	for _, rs := range fields(req, 1) {
		for _, ss := range fields(rs, 2) {
			n += len(fields(ss, 2))
		}
	}
	return n
}

// fields are the contents of the length-delimited fields num of msg.
func fields(msg []byte, num protowire.Number) [][]byte {
	var out [][]byte
	for len(msg) > 0 {
		n, typ, size := protowire.ConsumeTag(msg)
		if size < 0 {
			return out
		}
		msg = msg[size:]
		size = protowire.ConsumeFieldValue(n, typ, msg)
		if size < 0 {
			return out
		}
		if n == num && typ == protowire.BytesType {
			v, _ := protowire.ConsumeBytes(msg)
			out = append(out, v)
		}
		msg = msg[size:]
	}
	return out
}
