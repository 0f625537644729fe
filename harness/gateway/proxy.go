package gateway

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/web"
)

// newTransport is the connection pool shared by every proxy and the health
// checks; a gateway talks to few hosts a lot, so it keeps many idle
// connections per host.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.MaxIdleConns = 512
	t.MaxIdleConnsPerHost = 128
	t.ResponseHeaderTimeout = 30 * time.Second
	return t
}

// copyBuffers lends the proxies the buffers they copy bodies through: a
// 32 KiB buffer per request otherwise, garbage at every request's end.
type copyBuffers struct{ pool sync.Pool }

func newCopyBuffers() *copyBuffers {
	return &copyBuffers{pool: sync.Pool{New: func() any { return new([32 << 10]byte) }}}
}

func (c *copyBuffers) Get() []byte  { return c.pool.Get().(*[32 << 10]byte)[:] }
func (c *copyBuffers) Put(b []byte) { c.pool.Put((*[32 << 10]byte)(b)) }

// newProxy forwards to the service at target, path and query unchanged.
func newProxy(service string, target *url.URL, transport http.RoundTripper, buffers httputil.BufferPool, log *slog.Logger) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Transport:  transport,
		BufferPool: buffers,
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.SetXForwarded()
			// As API Gateway does in AWS: the client's address is the peer's,
			// whatever the client wrote in this header or any other.
			pr.Out.Header.Set(web.ClientIPHeader, web.PeerIP(pr.In))
			ctx := pr.In.Context()
			pr.Out.Header.Set(web.GatewayRequestIDHeader, logging.RequestID(ctx))
			pr.Out.Header.Set(web.CorrelationIDHeader, logging.CorrelationID(ctx))
		},
		// The gateway owns the ids and CORS headers it has already set on
		// the response; the service's copies would only duplicate them.
		ModifyResponse: func(res *http.Response) error {
			for _, h := range ownedHeaders() {
				res.Header.Del(h)
			}
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			log.WarnContext(r.Context(), "service unreachable", "service", service, "method", r.Method, "path", r.URL.Path, "err", err)
			web.WriteError(w, r, nil, web.NewError(http.StatusBadGateway, "bad_gateway", "the %s service is unavailable", service))
		},
	}
}

// ownedHeaders are the response headers the gateway sets itself.
func ownedHeaders() []string {
	return []string{web.RequestIDHeader, web.CorrelationIDHeader, "Access-Control-Allow-Origin", "Access-Control-Expose-Headers"}
}
