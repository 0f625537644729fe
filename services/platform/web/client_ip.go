package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIP is the address of the client behind our proxies. Each proxy of
// ours appends the address it was connected from to X-Forwarded-For, so
// with hops proxies in front of the service the client is the hops-th entry
// from the right; everything left of it was written by the client and is
// not trusted. The local gateway, like the ALB alone, is one hop. With hops
// 0, or without enough valid entries, the peer's address is used. This
// holds only while the service is reachable through those proxies alone.
func ClientIP(r *http.Request, hops int) string {
	if hops > 0 {
		var entries []string
		for _, h := range r.Header.Values("X-Forwarded-For") {
			entries = append(entries, strings.Split(h, ",")...)
		}
		if len(entries) >= hops {
			if ip, err := netip.ParseAddr(strings.TrimSpace(entries[len(entries)-hops])); err == nil {
				return ip.Unmap().String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().String()
	}
	return host
}
