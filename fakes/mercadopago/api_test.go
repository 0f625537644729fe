package mercadopago_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/google/uuid"
)

// mpError is Mercado Pago's error body as a client reads it.
type mpError struct {
	Message string `json:"message"`
	Error   string `json:"error"`
	Status  int    `json:"status"`
	Cause   []struct {
		Code        int    `json:"code"`
		Description string `json:"description"`
	} `json:"cause"`
}

func decodeMPError(t *testing.T, raw []byte) mpError {
	t.Helper()
	var e mpError
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatalf("decode error body: %v in %s", err, raw)
	}
	return e
}

func TestUnauthorized(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	for name, auth := range map[string]string{"missing": "", "wrong": "Bearer nope", "no scheme": testToken} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/payments/1000000001", nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			status, raw := do(t, req)
			var got map[string]any
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatalf("decode: %v", err)
			}
			want := map[string]any{"message": "invalid access token", "error": "unauthorized", "status": float64(401)}
			if status != http.StatusUnauthorized || !reflect.DeepEqual(got, want) {
				t.Errorf("got %d %v, want 401 %v", status, got, want)
			}
		})
	}
}

func TestIdempotency(t *testing.T) {
	t.Parallel()
	_, srv, _ := newTestFake(t)
	key, body := uuid.NewString(), pixRequest("order-"+uuid.NewString(), "")
	firstID := createdID(t, srv, key, body)

	if again := createdID(t, srv, key, body); again != firstID {
		t.Errorf("same key, same body: id %d, want %d", again, firstID)
	}
	other := pixRequest("order-"+uuid.NewString(), "")
	status, raw := post(t, srv, key, other)
	if e := decodeMPError(t, raw); status != http.StatusConflict || e.Status != 409 || e.Error != "conflict" || len(e.Cause) == 0 {
		t.Errorf("same key, other body: %d %s", status, raw)
	}
	if next := createdID(t, srv, uuid.NewString(), body); next == firstID {
		t.Errorf("new key created no new payment: id %d", next)
	}
}

func TestIdempotencyConcurrent(t *testing.T) {
	t.Parallel()
	f, srv, _ := newTestFake(t)
	ref := "order-" + uuid.NewString()
	key, body := uuid.NewString(), pixRequest(ref, "")
	ids := make([]int64, 20)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			status, raw, err := postRaw(srv.URL, key, body)
			if err != nil || status != http.StatusCreated {
				t.Errorf("concurrent create: %d %s %v", status, raw, err)
				return
			}
			ids[i] = decodeID(t, raw)
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("ids differ: %v", ids)
		}
	}
	n := 0
	for _, p := range f.Payments() {
		if p.ExternalReference == ref {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d payments for one key, want 1", n)
	}
}

// createdID posts body with key and returns the payment id it answers.
func createdID(t *testing.T, srv *httptest.Server, key string, body map[string]any) int64 {
	t.Helper()
	status, raw := post(t, srv, key, body)
	if status != http.StatusCreated {
		t.Fatalf("create: status %d, body %s", status, raw)
	}
	return decodeID(t, raw)
}

func decodeID(t *testing.T, raw []byte) int64 {
	t.Helper()
	var p struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Errorf("decode: %v in %s", err, raw)
	}
	return p.ID
}
