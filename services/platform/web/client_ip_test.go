package web

import (
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		xff    []string
		hops   int
		remote string
		want   string
	}{
		{"no header: the peer", nil, 1, "10.0.0.7:5555", "10.0.0.7"},
		{"one hop: the rightmost entry", []string{"203.0.113.9"}, 1, "10.0.0.2:1", "203.0.113.9"},
		{"what the client wrote is not trusted", []string{"1.2.3.4, 203.0.113.9"}, 1, "10.0.0.2:1", "203.0.113.9"},
		{"two hops", []string{"1.2.3.4, 198.51.100.20, 10.0.3.3"}, 2, "10.0.0.2:1", "198.51.100.20"},
		{"entries over several headers", []string{"1.2.3.4", "198.51.100.20"}, 1, "10.0.0.2:1", "198.51.100.20"},
		{"too few entries: the peer", []string{"198.51.100.20"}, 2, "10.0.0.2:1", "10.0.0.2"},
		{"garbage: the peer", []string{"not-an-ip"}, 1, "10.0.0.2:1", "10.0.0.2"},
		{"hops 0 ignores the header", []string{"198.51.100.20"}, 0, "10.0.0.2:1", "10.0.0.2"},
		{"IPv6 peer", nil, 1, "[2001:db8::1]:443", "2001:db8::1"},
		{"IPv4-mapped IPv6", []string{"::ffff:203.0.113.9"}, 1, "10.0.0.2:1", "203.0.113.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("POST", "/auth/token", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := ClientIP(r, tt.hops); got != tt.want {
				t.Fatalf("ClientIP = %q; want %q", got, tt.want)
			}
		})
	}
}
