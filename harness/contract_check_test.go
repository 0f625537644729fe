package harness

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The check catches what the spec does not allow, both ways, and lets
// through what it does: a stand-in gateway answers each request as told.
func TestContractCheckCatchesWhatTheSpecDoesNotAllow(t *testing.T) {
	t.Parallel()
	const category = `{"id":"3f1c2b7e-1d2a-4c5b-9e8f-0a1b2c3d4e5f","name":"Lanche","description":"Hambúrgueres"}`
	tests := []struct {
		name               string
		method, path, body string
		status             int
		answer             string
		wantViolation      bool
	}{
		{"a conforming answer", "GET", "/categories", "", 200, "[" + category + "]", false},
		{"a field the spec lacks", "GET", "/categories", "", 200, `[{"id":"3f1c2b7e-1d2a-4c5b-9e8f-0a1b2c3d4e5f","name":"Lanche","description":"","extra":1}]`, true},
		{"a malformed id", "GET", "/categories", "", 200, `[{"id":"seven","name":"Lanche","description":""}]`, true},
		{"a status the spec does not list", "GET", "/categories", "", 418, `{"error":{"code":"teapot","message":"no"}}`, true},
		{"an error outside the error shape", "GET", "/categories", "", 500, `oops`, true},
		{"a refused request, refused", "POST", "/auth/token", `{"surprise":true}`, 400, `{"error":{"code":"invalid_request","message":"unknown field \"surprise\""}}`, false},
		{"a refused request, accepted", "POST", "/auth/token", `{"surprise":true}`, 200, `{"access_token":"x","token_type":"Bearer","expires_in":3600}`, true},
		{"an unknown path, in the error shape", "GET", "/nowhere", "", 404, `{"error":{"code":"not_found","message":"no route"}}`, false},
		{"an unknown path, answered", "GET", "/nowhere", "", 200, `{}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			check, err := newContractCheck(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			gateway := check.observe(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Request-Id", "r")
				w.Header().Set("X-Correlation-Id", "c")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.answer)
			}))
			req := httptest.NewRequestWithContext(t.Context(), tt.method, tt.path, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			gateway.ServeHTTP(httptest.NewRecorder(), req)
			if got := check.Violations(); (len(got) > 0) != tt.wantViolation {
				t.Errorf("violations %v; want any: %v", got, tt.wantViolation)
			}
		})
	}
}
