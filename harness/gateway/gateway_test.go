package gateway

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/web"
	"github.com/comanda/comanda/services/topology"
)

// backend is a stand-in service that says who it is and what it received.
type backend struct {
	name    string
	srv     *httptest.Server
	hits    atomic.Int64
	healthy atomic.Bool
}

// echo is what a backend answers.
type echo struct {
	Service       string `json:"service"`
	Method        string `json:"method"`
	Path          string `json:"path"`
	RawQuery      string `json:"query"`
	RequestID     string `json:"request_id"`        // the gateway's, in its own header
	CallerReqID   string `json:"caller_request_id"` // X-Request-Id, as it reached the service
	CorrelationID string `json:"correlation_id"`
	ForwardedFor  string `json:"forwarded_for"`
	ForwardedHost string `json:"forwarded_host"`
	ForwardedProt string `json:"forwarded_proto"`
	ClientIP      string `json:"client_ip"`
	Body          string `json:"body"`
}

func newBackend(t *testing.T, name string) *backend {
	t.Helper()
	b := &backend{name: name}
	b.healthy.Store(true)
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			if !b.healthy.Load() {
				w.WriteHeader(http.StatusInternalServerError)
			}
			return
		}
		b.hits.Add(1)
		body, _ := io.ReadAll(r.Body)
		// What a platform service does anyway: echo its ids, and no CORS.
		w.Header().Set("X-Request-Id", r.Header.Get(web.GatewayRequestIDHeader))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(echo{
			Service: name, Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
			RequestID: r.Header.Get(web.GatewayRequestIDHeader), CallerReqID: r.Header.Get("X-Request-Id"),
			CorrelationID: r.Header.Get("X-Correlation-Id"),
			ForwardedFor:  r.Header.Get("X-Forwarded-For"), ForwardedHost: r.Header.Get("X-Forwarded-Host"),
			ForwardedProt: r.Header.Get("X-Forwarded-Proto"), ClientIP: strings.Join(r.Header.Values(web.ClientIPHeader), ","),
			Body: string(body),
		})
	}))
	t.Cleanup(b.srv.Close)
	return b
}

// system is a gateway in front of one backend per service.
type system struct {
	url      string
	backends map[string]*backend
}

func (s *system) hits() int64 {
	var n int64
	for _, b := range s.backends {
		n += b.hits.Load()
	}
	return n
}

// startSystem runs the gateway (through Run) in front of fresh backends;
// adjust may change the configuration before it starts.
func startSystem(t *testing.T, adjust func(*Config)) *system {
	t.Helper()
	s := &system{backends: map[string]*backend{}}
	for _, name := range topology.MustLoad().Services {
		s.backends[name] = newBackend(t, name)
	}
	cfg := Config{
		AuthURL: s.backends["auth"].srv.URL, CatalogURL: s.backends["catalog"].srv.URL, OrderURL: s.backends["order"].srv.URL,
		PaymentURL: s.backends["payment"].srv.URL, ProductionURL: s.backends["production"].srv.URL,
	}
	if adjust != nil {
		adjust(&cfg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listener = ln
	s.url = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg, logging.Discard()) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return s
}

func (s *system) do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func (s *system) get(t *testing.T, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return s.do(t, req)
}

// errorCode returns the code of an error body, failing on any other shape.
func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil || e.Error.Message == "" {
		t.Fatalf("not the error shape: %s", body)
	}
	return e.Error.Code
}

func TestRoutesFollowTopology(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	cases := map[string]string{
		"/auth/token":                             "auth",
		"/auth/.well-known/jwks.json":             "auth",
		"/categories":                             "catalog",
		"/products?category=abc":                  "catalog",
		"/products/7f1c?x=1&y=two%20words":        "catalog",
		"/order":                                  "order",
		"/order?status=PAID&limit=5":              "order",
		"/order/1/delivered":                      "order",
		"/payment/webhook?data.id=9&type=payment": "payment",
		"/production/":                            "production",
		"/production/abc/started":                 "production",
	}
	for target, want := range cases {
		resp, body := s.get(t, target)
		var got echo
		if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", target, resp.StatusCode, body)
		}
		path, query, _ := strings.Cut(target, "?")
		if got.Service != want || got.Path != path || got.RawQuery != query {
			t.Errorf("GET %s reached %s at %s?%s; want %s at %s?%s", target, got.Service, got.Path, got.RawQuery, want, path, query)
		}
		if got.ForwardedFor != "127.0.0.1" || got.ForwardedHost == "" || got.ForwardedProt != "http" {
			t.Errorf("GET %s forwarded headers = %+v", target, got)
		}
	}
}

// The service learns the client's address from the gateway alone: whatever
// the client wrote, in the gateway's own header or in any other, is replaced
// by the TCP peer, once.
func TestTheClientAddressIsThePeers(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	resp, body := s.get(t, "/auth/token",
		web.ClientIPHeader, "203.0.113.66", "X-Forwarded-For", "203.0.113.67", "X-Real-Ip", "203.0.113.68",
		"Forwarded", "for=203.0.113.69")
	var got echo
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /auth/token = %d %s", resp.StatusCode, body)
	}
	if got.ClientIP != "127.0.0.1" {
		t.Errorf("the service was told the client is %q; want the peer, 127.0.0.1", got.ClientIP)
	}
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	resp, body := s.get(t, "/order/1", "X-Request-Id", "req-123", "X-Correlation-Id", "corr-456", web.GatewayRequestIDHeader, "spoofed")
	var got echo
	_ = json.Unmarshal(body, &got)
	if got.RequestID != "req-123" || got.CallerReqID != "req-123" || got.CorrelationID != "corr-456" {
		t.Errorf("service got ids %q (X-Request-Id %q), %q; want the caller's", got.RequestID, got.CallerReqID, got.CorrelationID)
	}
	if ids := resp.Header.Values("X-Request-Id"); len(ids) != 1 || ids[0] != "req-123" {
		t.Errorf("response X-Request-Id = %q; want exactly req-123", ids)
	}
	resp, body = s.get(t, "/order/1")
	got = echo{}
	_ = json.Unmarshal(body, &got)
	if got.RequestID == "" || got.CorrelationID != got.RequestID || resp.Header.Get("X-Request-Id") != got.RequestID {
		t.Errorf("generated ids: service got %q, %q; response %q", got.RequestID, got.CorrelationID, resp.Header.Get("X-Request-Id"))
	}
	// The id the gateway makes is its own: X-Request-Id is never invented
	// (Mercado Pago signs the one it sends, and may send none).
	if got.CallerReqID != "" {
		t.Errorf("the service got X-Request-Id %q the caller never sent", got.CallerReqID)
	}
	resp, _ = s.get(t, "/nowhere")
	if resp.Header.Get("X-Request-Id") == "" {
		t.Error("a gateway error lacks X-Request-Id")
	}
}

func TestUnknownPathIs404(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	for _, path := range []string{"/", "/orders", "/authx/token", "/production/../auth/token", "//order", "/order/./1"} {
		resp, body := s.get(t, path)
		if resp.StatusCode != http.StatusNotFound || errorCode(t, body) != "not_found" {
			t.Errorf("GET %s = %d %s; want 404 not_found", path, resp.StatusCode, body)
		}
	}
	if n := s.hits(); n != 0 {
		t.Errorf("services were reached %d times", n)
	}
}

func TestServiceDownIs502(t *testing.T) {
	t.Parallel()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	s := startSystem(t, func(c *Config) { c.ProductionURL = dead.URL })
	resp, body := s.get(t, "/production")
	if resp.StatusCode != http.StatusBadGateway || errorCode(t, body) != "bad_gateway" || !strings.Contains(string(body), "production") {
		t.Errorf("GET /production with the service down = %d %s; want 502 bad_gateway", resp.StatusCode, body)
	}
	if resp, _ := s.get(t, "/order"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /order = %d; the other services must still answer", resp.StatusCode)
	}
}
