package gateway

import (
	"embed"
	"net/http"

	"github.com/comanda/comanda/api"
	"github.com/comanda/comanda/services/platform/web"
)

// apiDocsFiles is the API reference page and Redoc, the script that renders
// the spec into it: vendored from npm (make vendor-redoc), embedded, so the
// page works with no network at all.
//
//go:embed apidocs/index.html apidocs/redoc.standalone.js
var apiDocsFiles embed.FS

// apiDocs serves the contract in the sandbox: GET /openapi.yaml is
// api/openapi.yaml as built in, GET /docs a reference to read. The deployed
// API Gateway does not route them: the spec is in the repository, and a
// public API need not describe itself.
type apiDocs struct {
	files map[string]string // path → embedded file; "" for the spec; immutable
}

func newAPIDocs() *apiDocs {
	return &apiDocs{files: map[string]string{
		"/openapi.yaml":             "",
		"/docs":                     "apidocs/index.html",
		"/docs/":                    "apidocs/index.html",
		"/docs/redoc.standalone.js": "apidocs/redoc.standalone.js",
	}}
}

// serves reports whether p is one of the documentation's paths.
func (d *apiDocs) serves(p string) bool {
	_, ok := d.files[p]
	return ok
}

func (d *apiDocs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		web.WriteError(w, r, nil, web.NewError(http.StatusMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s", r.Method, r.URL.Path))
		return
	}
	file := d.files[r.URL.Path]
	if file == "" {
		w.Header().Set("Content-Type", "application/yaml")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(api.Spec())
		return
	}
	body, err := apiDocsFiles.ReadFile(file)
	if err != nil { // the files are built in: never
		web.WriteError(w, r, nil, web.NewError(http.StatusInternalServerError, "internal", "internal error"))
		return
	}
	switch {
	case r.URL.Path == "/docs/redoc.standalone.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=86400")
	default:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
	}
	_, _ = w.Write(body)
}
