package gateway

import (
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
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(hung.Close)
	s := startSystem(t, func(c *Config) {
		c.PaymentURL = dead.URL
		c.AuthURL = hung.URL
		c.HealthTimeout = 200 * time.Millisecond
	})
	s.backends["order"].healthy.Store(false)
	start := time.Now()
	resp, body := s.get(t, "/healthz")
	if resp.StatusCode != http.StatusServiceUnavailable || errorCode(t, body) != "unhealthy" {
		t.Fatalf("healthz = %d %s; want 503 unhealthy", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), "services down: auth, order, payment") {
		t.Errorf("healthz message does not name the services down: %s", body)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("healthz took %s; checks must run at once, each with a short timeout", took)
	}
}
