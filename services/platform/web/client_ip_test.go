package web

import (
	"net/http/httptest"
	"testing"
)

func TestClientIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		headers map[string][]string
		remote  string
		want    string
	}{
		{"no header: the peer", nil, "10.0.0.7:5555", "10.0.0.7"},
		{"the edge's header", map[string][]string{ClientIPHeader: {"203.0.113.9"}}, "10.0.0.2:1", "203.0.113.9"},
		{"IPv6 in the header", map[string][]string{ClientIPHeader: {"2001:db8::5"}}, "10.0.0.2:1", "2001:db8::5"},
		{"IPv4-mapped IPv6", map[string][]string{ClientIPHeader: {"::ffff:203.0.113.9"}}, "10.0.0.2:1", "203.0.113.9"},
		{"garbage: the peer", map[string][]string{ClientIPHeader: {"not-an-ip"}}, "10.0.0.2:1", "10.0.0.2"},
		{"a list: the peer", map[string][]string{ClientIPHeader: {"1.2.3.4, 203.0.113.9"}}, "10.0.0.2:1", "10.0.0.2"},
		{"twice: the peer", map[string][]string{ClientIPHeader: {"1.2.3.4", "203.0.113.9"}}, "10.0.0.2:1", "10.0.0.2"},
		{"X-Forwarded-For is ignored", map[string][]string{"X-Forwarded-For": {"198.51.100.20"}}, "10.0.0.2:1", "10.0.0.2"},
		{"so are Forwarded and X-Real-Ip", map[string][]string{
			"Forwarded": {"for=198.51.100.20"}, "X-Real-Ip": {"198.51.100.21"}, "True-Client-Ip": {"198.51.100.22"},
		}, "10.0.0.2:1", "10.0.0.2"},
		{"the header wins over the others", map[string][]string{
			ClientIPHeader: {"203.0.113.9"}, "X-Forwarded-For": {"198.51.100.20"},
		}, "10.0.0.2:1", "203.0.113.9"},
		{"IPv6 peer", nil, "[2001:db8::1]:443", "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("POST", "/auth/token", nil)
			r.RemoteAddr = tt.remote
			for name, values := range tt.headers {
				for _, v := range values {
					r.Header.Add(name, v)
				}
			}
			if got := ClientIP(r); got != tt.want {
				t.Fatalf("ClientIP = %q; want %q", got, tt.want)
			}
		})
	}
}
