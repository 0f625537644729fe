package gateway

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/comanda/comanda/services/platform/web"
)

func TestBodyOverLimitIs413(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	big := bytes.Repeat([]byte("a"), web.MaxBodyBytes+1)
	for _, chunked := range []bool{false, true} {
		var body io.Reader = bytes.NewReader(big)
		if chunked {
			body = io.MultiReader(body) // hides the length: sent chunked
		}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.url+"/order", body)
		resp, out := s.do(t, req)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || errorCode(t, out) != "request_too_large" {
			t.Errorf("chunked=%v: %d %s; want 413 request_too_large", chunked, resp.StatusCode, out)
		}
	}
	if n := s.hits(); n != 0 {
		t.Errorf("an oversized body reached a service (%d hits)", n)
	}
}

func TestBodyWithinLimitIsForwarded(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	payload := `{"items":[{"product_id":"x","quantity":1}]}` + strings.Repeat(" ", web.MaxBodyBytes-100)
	for _, chunked := range []bool{false, true} {
		var body io.Reader = strings.NewReader(payload)
		if chunked {
			body = io.MultiReader(body)
		}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.url+"/order", body)
		resp, out := s.do(t, req)
		var got echo
		if err := json.Unmarshal(out, &got); err != nil || resp.StatusCode != http.StatusOK || got.Body != payload || got.Method != http.MethodPost {
			t.Errorf("chunked=%v: %d, body of %d bytes reached the service; want %d", chunked, resp.StatusCode, len(got.Body), len(payload))
		}
	}
}
