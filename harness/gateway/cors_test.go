package gateway

import (
	"net/http"
	"strings"
	"testing"
)

func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	cases := []struct{ requested, allowed string }{
		{"authorization, content-type", "authorization, content-type"},
		{"", "*"},
	}
	for _, c := range cases {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodOptions, s.url+"/order", nil)
		req.Header.Set("Origin", "https://totem.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		if c.requested != "" {
			req.Header.Set("Access-Control-Request-Headers", c.requested)
		}
		resp, body := s.do(t, req)
		h := resp.Header
		if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
			t.Errorf("preflight = %d %s; want 204", resp.StatusCode, body)
		}
		if h.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") ||
			!strings.Contains(h.Get("Access-Control-Allow-Methods"), "DELETE") || h.Get("Access-Control-Max-Age") == "" {
			t.Errorf("preflight headers = %v", h)
		}
		if got := h.Get("Access-Control-Allow-Headers"); got != c.allowed {
			t.Errorf("Access-Control-Allow-Headers = %q; want %q", got, c.allowed)
		}
	}
	if n := s.hits(); n != 0 {
		t.Errorf("a preflight reached a service (%d hits)", n)
	}
}

func TestCORSOnResponses(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	for _, path := range []string{"/products", "/nowhere", "/healthz"} {
		resp, _ := s.get(t, path, "Origin", "https://totem.example")
		if got := resp.Header.Values("Access-Control-Allow-Origin"); len(got) != 1 || got[0] != "*" {
			t.Errorf("GET %s Access-Control-Allow-Origin = %q; want exactly *", path, got)
		}
		if !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "X-Request-Id") {
			t.Errorf("GET %s does not expose X-Request-Id: %v", path, resp.Header)
		}
	}
}
