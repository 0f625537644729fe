package gateway

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/comanda/comanda/services/topology"
)

func TestHealthzAllUp(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	resp, body := s.get(t, "/healthz")
	var got struct {
		Status   string            `json:"status"`
		Services map[string]string `json:"services"`
	}
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK || got.Status != "ok" {
		t.Fatalf("healthz = %d %s", resp.StatusCode, body)
	}
	for _, name := range topology.MustLoad().Services {
		if got.Services[name] != "up" {
			t.Errorf("service %s = %q; want up (%s)", name, got.Services[name], body)
		}
	}
}

func TestHealthzNamesServicesDown(t *testing.T) {
	t.Parallel()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	// auth never answers while the test runs, so healthz answering at all
	// shows that each check has a timeout of its own.
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	t.Cleanup(hung.Close)
	t.Cleanup(func() { close(release) }) // first: Close waits for the handler
	s := startSystem(t, func(c *Config) {
		c.PaymentURL = dead.URL
		c.AuthURL = hung.URL
		c.HealthTimeout = 200 * time.Millisecond
	})
	s.backends["order"].healthy.Store(false)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second) // a bound for a regression, not a measure
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/healthz", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := s.do(t, req)
	if resp.StatusCode != http.StatusServiceUnavailable || errorCode(t, body) != "unhealthy" {
		t.Fatalf("healthz = %d %s; want 503 unhealthy", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), "services down: auth, order, payment") {
		t.Errorf("healthz message does not name the services down: %s", body)
	}
}
