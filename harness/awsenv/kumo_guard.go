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

// guardedActions are the kumo v0.33.1 actions, by X-Amz-Target, that write
// shared state while holding only a read lock, and that the services or
// the harness call concurrently:
//
//   - Secrets Manager's GetSecretValue stamps the secret's LastAccessedDate,
//     and every service reads the project secret as it starts;
//   - DynamoDB's DescribeTable stores the table's ItemCount, and its
//     handler reads the table back after unlocking, while the services'
//     readiness checks describe their tables all the time.
//
// Each is served one call at a time; everything else passes straight
// through. Calls that read what these write (DescribeSecret, ListSecrets,
// UpdateTable) are left alone: nothing here makes them.
var guardedActions = []string{
	"secretsmanager.GetSecretValue",
	"DynamoDB_20120810.DescribeTable",
}

// kumoGuard stands in front of kumo and serializes each of guardedActions.
// It calls kumo's handler in-process, so that a call to the emulator is one
// HTTP exchange, as a call to AWS is; only if that handler cannot be
// reached does it proxy to kumo's own listener.
type kumoGuard struct {
	next    http.Handler
	serials []sync.Mutex // serials[i] serves guardedActions[i] one call at a time
	srv     *httptest.Server
}

// newKumoGuard serves the guard on ln, or on a random loopback port when ln
// is nil.
func newKumoGuard(k *kumo.Server, ln net.Listener) *kumoGuard {
	g := &kumoGuard{next: kumoHandler(k), serials: make([]sync.Mutex, len(guardedActions))}
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
	for i, action := range guardedActions {
		if strings.EqualFold(target, action) {
			g.serials[i].Lock()
			defer g.serials[i].Unlock()
			break
		}
	}
	g.next.ServeHTTP(w, r)
}

func (g *kumoGuard) close() { g.srv.Close() }
