package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientIPHeader carries the client's address as the edge saw it. The edge
// sets it on every request and overwrites whatever the client sent: API
// Gateway from its source IP in AWS, the gateway stand-in from its TCP peer
// in the sandbox. Nothing else can reach the services (the load balancer is
// internal), so it is the one header about the client they trust.
const ClientIPHeader = "X-Comanda-Client-Ip"

// ClientIP is the address of the client: ClientIPHeader when it holds one
// address, else the TCP peer (a service reached directly, as in its own
// tests). X-Forwarded-For, Forwarded, X-Real-Ip and their kin are written
// by clients as much as by proxies, and are never read.
func ClientIP(r *http.Request) string {
	if values := r.Header.Values(ClientIPHeader); len(values) == 1 {
		if ip, err := netip.ParseAddr(strings.TrimSpace(values[0])); err == nil {
			return ip.Unmap().String()
		}
	}
	return PeerIP(r)
}

// PeerIP is the address of the TCP peer of r.
func PeerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().String()
	}
	return host
}
