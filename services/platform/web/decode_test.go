package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/web"
)

type orderRequest struct {
	Name  string `json:"name"`
	Items []struct {
		Qty int `json:"qty"`
	} `json:"items"`
	Note *string `json:"note"`
}

// decodeRouter answers POST /orders by decoding strictly and echoing the name.
func decodeRouter(reached *atomic.Int32) http.Handler {
	log := logging.Discard()
	r := web.NewRouter(log)
	r.Post("/orders", web.Handle(log, func(w http.ResponseWriter, r *http.Request) error {
		if reached != nil {
			reached.Add(1)
		}
		var req orderRequest
		if err := web.Decode(r, &req); err != nil {
			return err
		}
		web.Respond(w, http.StatusCreated, map[string]any{"name": req.Name, "note_present": req.Note != nil})
		return nil
	}))
	return r
}

func TestDecodeAcceptsOneKnownObject(t *testing.T) {
	t.Parallel()
	rec := serve(decodeRouter(nil), httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(`{"name":"x-burger","items":[{"qty":2}]}`+"\n")))
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"x-burger"`) {
		t.Fatalf("got %d %s; want 201 echoing the name", rec.Code, rec.Body)
	}
}

func TestDecodeRejectsBadBodies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body, mention string
	}{
		{"unknown field", `{"name":"a","surprise":1}`, `"surprise"`},
		{"wrong type names the field", `{"name":"a","items":[{"qty":"two"}]}`, "qty"},
		{"wrong top-level type", `["name"]`, "object"},
		{"trailing object", `{"name":"a"}{"name":"b"}`, "single"},
		{"trailing garbage", `{"name":"a"} nope`, "single"},
		{"empty body", ``, "empty"},
		{"malformed", `{"name":`, "JSON"},
		{"syntax error", `{"name" "a"}`, "JSON"},
		{"duplicate key", `{"name":"a","name":"b"}`, `"name" appears more than once`},
		{"duplicate key, same value", `{"name":"a","name":"a"}`, `"name" appears more than once`},
		{"nested duplicate key", `{"items":[{"qty":1,"qty":2}]}`, `"items[0].qty" appears more than once`},
		{"upper-case key", `{"NAME":"a"}`, `did you mean "name"`},
		{"mixed-case key", `{"Name":"a"}`, `did you mean "name"`},
		{"nested case-variant key", `{"items":[{"Qty":1}]}`, `"items[0].Qty"`},
		{"case-variant duplicate", `{"name":"a","Name":"b"}`, `did you mean "name"`},
		{"wrong type in a nested field", `{"items":[{"qty":1.5}]}`, `"items[0].qty" must be an integer`},
		{"invalid UTF-8", "{\"name\":\"a\xffb\"}", `"name" is not valid UTF-8`},
		{"invalid UTF-8 in a key", "{\"na\xffme\":1}", "UTF-8"},
		{"lone surrogate escape", `{"name":"\ud800"}`, `"name"`},
		{"raw NUL in a string", "{\"name\":\"a\x00b\"}", `"name"`},
		{"null body", `null`, "object"},
		{"whitespace body", " \n\t", "empty"},
		{"long unknown key is cut", `{"` + strings.Repeat("k", 5000) + `":1}`, "…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(decodeRouter(nil), httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(c.body)))
			msg := wantError(t, rec, http.StatusBadRequest, "invalid_request")
			if !strings.Contains(msg, c.mention) {
				t.Errorf("message %q should mention %q", msg, c.mention)
			}
		})
	}
}

func TestDecodeKeepsNullAsAbsent(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{"name":"a"}`:               `"note_present":false`,
		`{"name":"a","note":null}`:   `"note_present":false`,
		`{"name":"a","note":""}`:     `"note_present":true`,
		`{"name":null,"items":null}`: `"name":""`,
	}
	for body, want := range cases {
		rec := serve(decodeRouter(nil), httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(body)))
		if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: got %d %s; want 201 with %s", body, rec.Code, rec.Body, want)
		}
	}
}

// TestDecodeNamesInvalidUTF8 pins the decoder's text for invalid UTF-8,
// which Decode recognises by its text alone.
func TestDecodeNamesInvalidUTF8(t *testing.T) {
	t.Parallel()
	rec := serve(decodeRouter(nil), httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader("{\"name\":\"\xc3\"}")))
	if msg := wantError(t, rec, http.StatusBadRequest, "invalid_request"); msg != `field "name" is not valid UTF-8` {
		t.Errorf("message = %q; want the field named as not valid UTF-8", msg)
	}
}

// bigBody is a valid JSON object just over the limit, so only its size is wrong.
func bigBody() string {
	return `{"name":"` + strings.Repeat("a", web.MaxBodyBytes) + `"}`
}

func TestDecodeRejectsLargeBodyWithContentLength(t *testing.T) {
	t.Parallel()
	var reached atomic.Int32
	req := httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(bigBody()))
	if req.ContentLength <= web.MaxBodyBytes {
		t.Fatalf("test request has Content-Length %d; want it over the limit", req.ContentLength)
	}
	rec := serve(decodeRouter(&reached), req)
	wantError(t, rec, http.StatusRequestEntityTooLarge, "request_too_large")
	if reached.Load() != 0 {
		t.Error("a body declared too large reached the handler")
	}
}

func TestDecodeRejectsLargeChunkedBody(t *testing.T) {
	t.Parallel()
	// No Content-Length, as with Transfer-Encoding: chunked: only reading finds the size.
	req := httptest.NewRequest(http.MethodPost, "/orders", io.MultiReader(strings.NewReader(bigBody())))
	req.ContentLength = -1
	req.TransferEncoding = []string{"chunked"}
	rec := serve(decodeRouter(nil), req)
	wantError(t, rec, http.StatusRequestEntityTooLarge, "request_too_large")
}

func TestDecodeRejectsLargeChunkedBodyOverTheWire(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(decodeRouter(nil))
	defer srv.Close()
	pr, pw := io.Pipe()
	go func() {
		// The server may stop reading once it has seen enough; a failed write is expected then.
		_, err := io.Copy(pw, strings.NewReader(bigBody()))
		pw.CloseWithError(err)
	}()
	// A pipe has no known length, so the client sends it chunked.
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/orders", pr)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		// The server may close the connection before the client finishes
		// writing; what matters is that it never accepted the body.
		t.Skipf("connection closed before the response was read: %v", err)
	}
	body := readAll(t, resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, `"request_too_large"`) {
		t.Fatalf("got %d %s; want 413 request_too_large", resp.StatusCode, body)
	}
}
