package api_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/comanda/comanda/api/apitest"
	"github.com/comanda/comanda/services/topology"
)

// The services' routes are read from their source by apitest.RoutesInSource
// (which the auth and order services check against chi itself), since
// listing them from a running router would mean starting the services.

// servicesDir holds each service's source, services/<name> with its
// internal packages; gatewayDir the local gateway's. Both are relative to
// this package's directory.
const (
	servicesDir = "../services"
	gatewayDir  = "../harness/gateway"
)

// gatewayMethods are the methods of the paths the gateway answers itself
// (its health check, in health.go, takes GET and HEAD).
var gatewayMethods = []string{http.MethodGet, http.MethodHead}

// Every route the gateway serves is in the spec, with the access its
// service enforces, and every operation in the spec is served.
func TestSpecHasEveryRouteServed(t *testing.T) {
	t.Parallel()
	served := servedRoutes(t)
	specified := map[string]string{}
	for _, o := range operations(apitest.LoadSpec(t)) {
		specified[o.String()] = access(o.op)
	}
	for _, key := range slices.Sorted(maps.Keys(served)) {
		got, ok := specified[key]
		switch {
		case !ok:
			t.Errorf("%s is served (%s) but not in the spec", key, served[key])
		case got != served[key]:
			t.Errorf("%s: the spec says %s, the service enforces %s", key, got, served[key])
		}
	}
	for _, key := range slices.Sorted(maps.Keys(specified)) {
		if _, ok := served[key]; !ok {
			t.Errorf("%s is in the spec but no service or gateway serves it", key)
		}
	}
}

// servedRoutes is every route reachable through the gateway, with who may
// call it: each service's routes (each must be routed to that very service
// by topology.json) and the paths the gateway answers itself.
func servedRoutes(t *testing.T) map[string]string {
	t.Helper()
	top, err := topology.Load()
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]string{}
	services := map[string]bool{}
	for _, r := range top.Routes {
		services[r.Service] = true
	}
	for _, svc := range slices.Sorted(maps.Keys(services)) {
		routes := apitest.RoutesInSource(t, filepath.Join(servicesDir, svc))
		if len(routes) == 0 {
			t.Errorf("service %s: no route found in its source", svc)
		}
		for _, r := range routes {
			if to, ok := top.ServiceFor(r.Path); !ok || to != svc {
				t.Errorf("%s is registered by %s, but the gateway sends it to %q", r.Key(), svc, to)
				continue
			}
			served[r.Key()] = r.Access
		}
	}
	for _, p := range gatewayPaths(t) {
		if to, ok := top.ServiceFor(p); ok {
			t.Errorf("the gateway answers %s itself, but topology.json sends it to %s", p, to)
		}
		for _, m := range gatewayMethods {
			served[m+" "+p] = "public"
		}
	}
	return served
}

// gatewayPaths are the paths the gateway answers itself rather than
// proxying them: those its handler, newHandler, compares r.URL.Path with.
// (The sandbox's API reference, which newHandler hands to a helper of its
// own, is no part of the contract: the deployed API does not serve it.)
func gatewayPaths(t *testing.T) []string {
	t.Helper()
	paths := map[string]bool{}
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(gatewayDir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "newHandler" || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if cmp, ok := n.(*ast.BinaryExpr); ok && cmp.Op == token.EQL && isURLPath(cmp.X) {
					if p, ok := apitest.PathLiteral(cmp.Y); ok {
						paths[p] = true
					}
				}
				return true
			})
		}
	}
	if len(paths) == 0 {
		t.Errorf("found no path the gateway answers itself in %s; GET /healthz is one", gatewayDir)
	}
	return slices.Sorted(maps.Keys(paths))
}

// isURLPath is <request>.URL.Path.
func isURLPath(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Path" {
		return false
	}
	url, ok := sel.X.(*ast.SelectorExpr)
	return ok && url.Sel.Name == "URL"
}
