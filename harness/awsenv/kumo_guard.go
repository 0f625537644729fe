package awsenv

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/sivchari/kumo"
)

// guardedActions are the kumo v0.33.1 actions that write shared state while
// holding only a read lock: Secrets Manager's GetSecretValue stamps
// LastAccessedDate, so services starting together race inside kumo. They are
// served one at a time; everything else passes straight through.
var guardedActions = []string{"secretsmanager.GetSecretValue"}

// kumoGuard stands in front of kumo and serializes guardedActions. It
// calls kumo's handler in-process, so that a call to the emulator is one
// HTTP exchange, as a call to AWS is; only if that handler cannot be
// reached does it proxy to kumo's own listener.
type kumoGuard struct {
	next http.Handler
	mu   sync.Mutex
	srv  *httptest.Server
}

// newKumoGuard serves the guard on ln, or on a random loopback port when ln
// is nil.
func newKumoGuard(k *kumo.Server, ln net.Listener) *kumoGuard {
	g := &kumoGuard{next: kumoHandler(k)}
	if g.next == nil {
		target, _ := url.Parse(k.URL) // kumo's own httptest URL, always valid
		proxy := httputil.NewSingleHostReverseProxy(target)
		proxy.Transport = &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}
		// A client that gives up (a service stopping mid-request) is
		// routine here; the client sees any real failure as a 502.
		proxy.ErrorLog = log.New(io.Discard, "", 0)
		g.next = proxy
	}
	g.srv = httptest.NewUnstartedServer(g)
	if ln != nil {
		_ = g.srv.Listener.Close() // the random port httptest picked
		g.srv.Listener = ln
	}
	g.srv.Start()
	return g
}

// kumoHandler digs kumo's http.Handler out of its server, which keeps it
// unexported (kumo.NewTestServer would hand it over, from Go 1.27 on), or
// returns nil if this version of kumo is laid out otherwise. A test pins
// that it works with the version in go.mod.
func kumoHandler(k *kumo.Server) http.Handler {
	f := reflect.ValueOf(k).Elem().FieldByName("httpServer")
	if !f.IsValid() || f.Type() != reflect.TypeFor[*httptest.Server]() {
		return nil
	}
	ts := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(*httptest.Server)
	if ts == nil || ts.Config == nil {
		return nil
	}
	return ts.Config.Handler
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
	g.next.ServeHTTP(w, r)
}

func (g *kumoGuard) close() { g.srv.Close() }
