package api_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/comanda/comanda/services/auth"
	"github.com/comanda/comanda/services/order"
	"github.com/comanda/comanda/services/topology"
)

// The services build their routers inside Run, with their stores and the
// token verifier, so the routes cannot be listed from a running router
// without starting them. They are read instead from the source, as chi
// would register them: every r.Get/Post/Put/Delete/Patch("<path>", …),
// under the prefixes of the r.Route calls around it, with the roles of the
// token.Require middleware in force (r.Use in the same group, or r.With on
// the route itself). TestSourceReadingMatchesChi checks that reading
// against chi itself for the routers that can be built without I/O.

// servicesDir is the services' source, and gatewayDir the local gateway's,
// from this package's directory.
const (
	servicesDir = "../services"
	gatewayDir  = "../harness/gateway"
)

// gatewayMethods are the methods of the paths the gateway answers itself
// (harness/gateway/health.go takes GET and HEAD).
var gatewayMethods = []string{http.MethodGet, http.MethodHead}

// A route is one method on one path template, and who may call it.
type route struct {
	method, path string
	access       string // "public", "any role", or the roles allowed, comma separated
}

func (r route) key() string { return r.method + " " + r.path }

// Every route the gateway serves is in the spec, with the access its
// service enforces, and every operation in the spec is served.
func TestSpecHasEveryRouteServed(t *testing.T) {
	t.Parallel()
	served := servedRoutes(t)
	specified := map[string]string{}
	for _, o := range operations(loadSpec(t)) {
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

// servedRoutes is every route reachable through the gateway: each
// service's routes (each must be routed to that very service by
// topology.json) and the paths the gateway answers itself.
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
		routes := routesInSource(t, filepath.Join(servicesDir, svc))
		if len(routes) == 0 {
			t.Errorf("service %s: no route found in its source", svc)
		}
		for _, r := range routes {
			if to, ok := top.ServiceFor(r.path); !ok || to != svc {
				t.Errorf("%s is registered by %s, but the gateway sends it to %q", r.key(), svc, to)
				continue
			}
			served[r.key()] = r.access
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

// routesInSource reads the chi route registrations in the Go files under
// dir, tests aside.
func routesInSource(t *testing.T, dir string) []route {
	t.Helper()
	var routes []route
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range file.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
				w := routeReader{fset: fset, add: func(r route) { routes = append(routes, r) }, t: t}
				w.block(fn.Body, &routeScope{access: "public"})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return routes
}

// routeScope is what applies to the routes of one chi router: the prefix
// of the r.Route calls around it and the roles its middleware requires.
type routeScope struct {
	prefix string
	access string
}

type routeReader struct {
	fset *token.FileSet
	add  func(route)
	t    *testing.T
}

var chiMethods = map[string]string{"Get": "GET", "Post": "POST", "Put": "PUT", "Delete": "DELETE", "Patch": "PATCH", "Head": "HEAD", "Options": "OPTIONS"}

// block reads the registrations in n, in source order, as chi applies
// them to the router of scope; r.Group and r.Route open a router of their own.
func (w routeReader) block(n ast.Node, scope *routeScope) {
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		switch name := sel.Sel.Name; {
		case name == "Use":
			if a, ok := requiredAccess(call.Args); ok {
				scope.access = a
			}
		case name == "Group" && len(call.Args) == 1:
			if fn, ok := call.Args[0].(*ast.FuncLit); ok {
				inner := *scope
				w.block(fn.Body, &inner)
				return false
			}
		case name == "Route" && len(call.Args) == 2:
			prefix, isPath := pathLiteral(call.Args[0])
			if fn, ok := call.Args[1].(*ast.FuncLit); ok && isPath {
				inner := routeScope{prefix: joinPath(scope.prefix, prefix), access: scope.access}
				w.block(fn.Body, &inner)
				return false
			}
		case chiMethods[name] != "" && len(call.Args) == 2:
			if p, ok := pathLiteral(call.Args[0]); ok {
				a := scope.access
				if with, ok := sel.X.(*ast.CallExpr); ok && isSelector(with.Fun, "With") {
					if ra, ok := requiredAccess(with.Args); ok {
						a = ra
					}
				}
				w.add(route{method: chiMethods[name], path: joinPath(scope.prefix, p), access: a})
			}
		case name == "Mount" || name == "Handle" || name == "HandleFunc" || name == "Method" || name == "MethodFunc":
			if len(call.Args) >= 2 && isPathArg(call.Args[0], call.Args[1]) {
				w.t.Errorf("%s: r.%s is not read by this test; teach routeReader", w.fset.Position(call.Pos()), name)
			}
		}
		return true
	})
}

// requiredAccess reads token.Require(verifier, log, roles…) among args.
func requiredAccess(args []ast.Expr) (string, bool) {
	for _, arg := range args {
		call, ok := arg.(*ast.CallExpr)
		if !ok || !isSelector(call.Fun, "Require") {
			continue
		}
		var roles []string
		for _, r := range call.Args[min(2, len(call.Args)):] {
			switch {
			case isSelector(r, "RoleCustomer"):
				roles = append(roles, "customer")
			case isSelector(r, "RoleEmployee"):
				roles = append(roles, "employee")
			default:
				roles = append(roles, "unknown role")
			}
		}
		if len(roles) == 0 {
			return "any role", true
		}
		slices.Sort(roles)
		return strings.Join(roles, ","), true
	}
	return "", false
}

func isSelector(e ast.Expr, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name
}

// pathLiteral is a string literal that is a path.
func pathLiteral(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil && strings.HasPrefix(s, "/")
}

func isPathArg(args ...ast.Expr) bool {
	for _, a := range args {
		if _, ok := pathLiteral(a); ok {
			return true
		}
	}
	return false
}

// joinPath is chi's pattern for path under prefix; a route's "/" is the
// prefix itself.
func joinPath(prefix, path string) string {
	p := prefix + path
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return p
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
					if p, ok := pathLiteral(cmp.Y); ok {
						paths[p] = true
					}
				}
				return true
			})
		}
	}
	if len(paths) == 0 {
		t.Error("found no path the gateway answers itself; GET /healthz is one")
	}
	return slices.Sorted(maps.Keys(paths))
}

// isURLPath is <request>.URL.Path.
func isURLPath(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Path" && isSelector(sel.X, "URL")
}

// The source reading agrees with chi on the routers that can be built
// without I/O: the auth and order services mount their routes with an
// exported Routes function whose dependencies are only used per request.
func TestSourceReadingMatchesChi(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.DiscardHandler)
	built := map[string]func(chi.Router){
		"auth":  func(r chi.Router) { auth.Routes(r, nil, auth.RateLimitConfig{}, nil, log) },
		"order": func(r chi.Router) { order.Routes(r, nil, nil, log) },
	}
	for svc, mount := range built {
		r := chi.NewRouter()
		mount(r)
		fromChi := map[string]bool{}
		err := chi.Walk(r, func(method, path string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
			fromChi[method+" "+joinPath("", path)] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		fromSource := map[string]bool{}
		for _, r := range routesInSource(t, filepath.Join(servicesDir, svc)) {
			fromSource[r.key()] = true
		}
		if !maps.Equal(fromChi, fromSource) {
			t.Errorf("%s: chi has %v, the source reads %v", svc, slices.Sorted(maps.Keys(fromChi)), slices.Sorted(maps.Keys(fromSource)))
		}
	}
}
