package awsenv

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
)

// guardedActions are the kumo v0.33.1 actions that write shared state while
// holding only a read lock: Secrets Manager's GetSecretValue stamps
// LastAccessedDate, so services starting together race inside kumo. They are
// served one at a time; everything else passes straight through.
var guardedActions = []string{"secretsmanager.GetSecretValue"}

// kumoGuard is a reverse proxy in front of kumo that serializes guardedActions.
type kumoGuard struct {
	proxy *httputil.ReverseProxy
	mu    sync.Mutex
	srv   *httptest.Server
}

// newKumoGuard serves the guard on ln, or on a random loopback port when ln
// is nil.
func newKumoGuard(kumoURL string, ln net.Listener) *kumoGuard {
	target, _ := url.Parse(kumoURL) // kumo's own httptest URL, always valid
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}
	// A client that gives up (a service stopping mid-request) is routine
	// here; the client sees any real failure as a 502.
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	g := &kumoGuard{proxy: proxy}
	g.srv = httptest.NewUnstartedServer(g)
	if ln != nil {
		_ = g.srv.Listener.Close() // the random port httptest picked
		g.srv.Listener = ln
	}
	g.srv.Start()
	return g
}

func (g *kumoGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	for _, action := range guardedActions {
		if strings.EqualFold(target, action) {
			g.mu.Lock()
			defer g.mu.Unlock()
			break
		}
	}
	g.proxy.ServeHTTP(w, r)
}

func (g *kumoGuard) close() { g.srv.Close() }
