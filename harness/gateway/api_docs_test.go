package gateway

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/comanda/comanda/api"
)

// The gateway serves the contract as it is in the repository, and a page
// that renders it with nothing fetched from outside.
func TestTheGatewayServesTheContractAndItsReference(t *testing.T) {
	t.Parallel()
	s := startSystem(t, nil)
	resp, body := s.get(t, "/openapi.yaml")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "yaml") || !bytes.Equal(body, api.Spec()) {
		t.Fatalf("GET /openapi.yaml = %d %s, %d bytes; want 200 and api/openapi.yaml", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	resp, body = s.get(t, "/docs")
	page := string(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `spec-url="/openapi.yaml"`) || !strings.Contains(page, `src="/docs/redoc.standalone.js"`) {
		t.Fatalf("GET /docs = %d %s", resp.StatusCode, body)
	}
	if strings.Contains(page, "https://") || strings.Contains(page, "http://") {
		t.Errorf("the reference page loads something from elsewhere: %s", page)
	}
	resp, body = s.get(t, "/docs/redoc.standalone.js")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") || len(body) < 100_000 {
		t.Fatalf("GET /docs/redoc.standalone.js = %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.url+"/openapi.yaml", nil)
	if resp, body := s.do(t, req); resp.StatusCode != http.StatusMethodNotAllowed || errorCode(t, body) != "method_not_allowed" {
		t.Errorf("POST /openapi.yaml = %d %s; want 405 method_not_allowed", resp.StatusCode, body)
	}
	if n := s.hits(); n != 0 {
		t.Errorf("the documentation reached a service (%d hits)", n)
	}
}
