package catalog

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/postgres"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

func TestMain(m *testing.M) { os.Exit(awstest.Run(m, pgtest.Run)) }

// Seeded ids, as in migrations/00002_seed_menu.sql.
const (
	lancheID    = "c47e0000-0000-4000-8000-000000000001"
	bebidaID    = "c47e0000-0000-4000-8000-000000000003"
	xBurguerID  = "9d0d0000-0000-4000-8000-000000000011"
	batataID    = "9d0d0000-0000-4000-8000-000000000021"
	testTimeout = 10 * time.Second
)

// fixture is a catalog on a fresh, migrated database, served over HTTP.
type fixture struct {
	t      *testing.T
	store  *store
	url    string
	tokens *tokentest.Issuer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pool, err := postgres.Open(t.Context(), postgres.Config{URL: pgtest.NewDatabase(t), MaxConns: 8}, Migrations(), logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	tokens := tokentest.New(t)
	st := newStore(pool)
	srv := httptest.NewServer(newHandler(st, tokens.Verifier(), logging.Discard(), postgres.Ping(pool)))
	t.Cleanup(srv.Close)
	return &fixture{t: t, store: st, url: srv.URL, tokens: tokens}
}

// response is what a request got back.
type response struct {
	status int
	body   []byte
}

func (f *fixture) do(method, path, bearer, body string) response {
	f.t.Helper()
	return doRequest(f.t, f.url, method, path, bearer, body)
}

func doRequest(t *testing.T, base, method, path, bearer, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, body: b}
}

// decode reads the body into v, expecting status.
func (r response) decode(t *testing.T, status int, v any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d; want %d; body %s", r.status, status, r.body)
	}
	if v != nil {
		if err := json.Unmarshal(r.body, v); err != nil {
			t.Fatalf("decode %s: %v", r.body, err)
		}
	}
}

// wantError checks the one error shape, {"error":{"code","message"}}, and
// returns the message.
func (r response) wantError(t *testing.T, status int, code string) string {
	t.Helper()
	var body map[string]map[string]string
	r.decode(t, status, &body)
	e, ok := body["error"]
	if len(body) != 1 || !ok || len(e) != 2 || e["code"] != code || e["message"] == "" {
		t.Fatalf("error body %s; want {\"error\":{\"code\":%q,\"message\":…}}", r.body, code)
	}
	return e["message"]
}

// uniqueName is a product name no other test uses.
func uniqueName(prefix string) string { return prefix + " " + uuid.NewString()[:8] }

func productBody(name, price, categoryID string) string {
	b, _ := json.Marshal(map[string]any{
		"name": name, "description": "Feito para o teste", "price": json.Number(price),
		"image_url": "https://images.comanda.local/products/test.jpg", "preparation_time": 7, "category_id": categoryID,
	})
	return string(b)
}
