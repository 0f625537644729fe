package order

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token/tokentest"
	"github.com/comanda/comanda/services/platform/web"
)

// api is the order service's router over a fresh database and a fake catalog.
type api struct {
	handler http.Handler
	tokens  *tokentest.Issuer
	catalog *fakeCatalog
	store   *store
	orders  *Orders
	ids     []string // products on the menu
}

func newAPI(t *testing.T) *api {
	t.Helper()
	m, ids := newMenu(3)
	fc := newFakeCatalog(t, m)
	return newAPIWithCatalog(t, fc.URL, fc, ids)
}

func newAPIWithCatalog(t *testing.T, catalogURL string, fc *fakeCatalog, ids []string) *api {
	t.Helper()
	log := logging.Discard()
	store := newStore(newPool(t))
	orders := NewOrders(store, NewCatalogClient(catalogURL, 2*time.Second), &countingRelay{}, 5, log)
	orders.now = tickingClock()
	tokens := tokentest.New(t)
	router := web.NewRouter(log)
	Routes(router, orders, tokens.Verifier(), log)
	return &api{handler: router, tokens: tokens, catalog: fc, store: store, orders: orders, ids: ids}
}

// customer is a fresh customer and their token.
func (a *api) customer(t *testing.T) (id, tok string) {
	id = uuid.NewString()
	return id, a.tokens.Customer(t, id, "Cliente "+id[:4])
}

// response is one answer of the API.
type response struct {
	status int
	body   []byte
}

func (a *api) do(t *testing.T, method, path, tok, body string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return response{status: rec.Code, body: b}
}

// place posts an order of body (two lines by default) and returns it.
func (a *api) place(t *testing.T, tok string) orderJSON {
	t.Helper()
	body := `{"items":[{"product_id":"` + a.ids[0] + `","quantity":2},{"product_id":"` + a.ids[1] + `","quantity":1}]}`
	res := a.do(t, http.MethodPost, "/order", tok, body)
	if res.status != http.StatusCreated {
		t.Fatalf("POST /order = %d %s", res.status, res.body)
	}
	return decode[orderJSON](t, res)
}

func decode[T any](t *testing.T, res response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
	return v
}

// wantError checks an error answer's status and code, and that its message
// holds mention.
func (res response) wantError(t *testing.T, status int, code, mention string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(res.body, &e)
	if res.status != status || e.Error.Code != code || !strings.Contains(e.Error.Message, mention) {
		t.Errorf("got %d %s; want %d %s mentioning %q", res.status, res.body, status, code, mention)
	}
}

func keysOf(t *testing.T, raw []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return slices.Sorted(maps.Keys(m))
}
