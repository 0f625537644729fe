package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/web"
)

// paramsRouter echoes the ids PathID and QueryID return.
func paramsRouter() http.Handler {
	log := logging.Discard()
	r := web.NewRouter(log)
	r.Get("/orders/{id}", web.Handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id", "order_not_found")
		if err != nil {
			return err
		}
		web.Respond(w, http.StatusOK, map[string]string{"id": id})
		return nil
	}))
	r.Get("/orders", web.Handle(log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.QueryID(r, "customer_id")
		if err != nil {
			return err
		}
		web.Respond(w, http.StatusOK, map[string]string{"customer_id": id})
		return nil
	}))
	return r
}

const someID = "0b6f3c2e-8d1a-4c5e-9f7a-2b3c4d5e6f70"

func TestPathID(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/orders/" + someID, "/orders/" + strings.ToUpper(someID)} {
		rec := serve(paramsRouter(), httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"id":"`+someID+`"`) {
			t.Errorf("GET %s = %d %s; want 200 with the canonical id", path, rec.Code, rec.Body)
		}
	}
	for _, bad := range []string{"42", "not-a-uuid", strings.ReplaceAll(someID, "-", ""), "urn:uuid:" + someID} {
		rec := serve(paramsRouter(), httptest.NewRequest(http.MethodGet, "/orders/"+bad, nil))
		wantError(t, rec, http.StatusNotFound, "order_not_found")
	}
}

func TestQueryID(t *testing.T) {
	t.Parallel()
	rec := serve(paramsRouter(), httptest.NewRequest(http.MethodGet, "/orders?customer_id="+someID, nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), someID) {
		t.Errorf("valid customer_id = %d %s; want 200 with it", rec.Code, rec.Body)
	}
	rec = serve(paramsRouter(), httptest.NewRequest(http.MethodGet, "/orders", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"customer_id":""`) {
		t.Errorf("absent customer_id = %d %s; want 200 with an empty id", rec.Code, rec.Body)
	}
	for _, bad := range []string{"42", "nope", "{" + someID + "}"} {
		rec := serve(paramsRouter(), httptest.NewRequest(http.MethodGet, "/orders?customer_id="+bad, nil))
		msg := wantError(t, rec, http.StatusBadRequest, "invalid_request")
		if !strings.Contains(msg, "customer_id") {
			t.Errorf("message %q should name the parameter", msg)
		}
	}
}
