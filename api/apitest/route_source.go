package apitest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// The services build their routers inside Run, with their stores and the
// token verifier, so their routes cannot be listed from a running router
// without starting them. RoutesInSource reads them from the source instead,
// as chi would register them: every r.Get/Post/Put/Delete/Patch("<path>", …),
// under the prefixes of the r.Route calls around it, with the roles of the
// token.Require middleware in force (r.Use in the same group, or r.With on
// the route itself). The services whose routers can be built without I/O
// check that reading against chi itself, with ChiRoutes.

// Route is one method on one path template, and who may call it.
type Route struct {
	Method, Path string
	// Access is "public", "any role", or the roles allowed, sorted and
	// comma separated ("customer,employee"), as the spec's security says.
	Access string
}

// Key is the route's method and path, "GET /order/{id}".
func (r Route) Key() string { return r.Method + " " + r.Path }

// Keys is the keys of routes, sorted, each once.
func Keys(routes []Route) []string {
	keys := make([]string, len(routes))
	for i, r := range routes {
		keys[i] = r.Key()
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// ChiRoutes is the key of every route registered on r, as chi walks it,
// sorted, each once: what RoutesInSource should read for r's source.
func ChiRoutes(t testing.TB, r chi.Routes) []string {
	t.Helper()
	var keys []string
	err := chi.Walk(r, func(method, path string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		keys = append(keys, method+" "+joinPath("", path))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// RoutesInSource reads the chi route registrations in the Go files under
// dir, recursively. It leaves out tests, commands (cmd) and what the go
// tool ignores (testdata, names starting with . or _). A registration it
// cannot read, such as r.Mount or r.Handle, fails the test.
func RoutesInSource(t testing.TB, dir string) []Route {
	t.Helper()
	var routes []Route
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != dir && (name == "cmd" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range file.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
				w := routeReader{fset: fset, add: func(r Route) { routes = append(routes, r) }, t: t}
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
	add  func(Route)
	t    testing.TB
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
			prefix, isPath := PathLiteral(call.Args[0])
			if fn, ok := call.Args[1].(*ast.FuncLit); ok && isPath {
				inner := routeScope{prefix: joinPath(scope.prefix, prefix), access: scope.access}
				w.block(fn.Body, &inner)
				return false
			}
		case chiMethods[name] != "" && len(call.Args) == 2:
			if p, ok := PathLiteral(call.Args[0]); ok {
				a := scope.access
				if with, ok := sel.X.(*ast.CallExpr); ok && isSelector(with.Fun, "With") {
					if ra, ok := requiredAccess(with.Args); ok {
						a = ra
					}
				}
				w.add(Route{Method: chiMethods[name], Path: joinPath(scope.prefix, p), Access: a})
			}
		case name == "Mount" || name == "Handle" || name == "HandleFunc" || name == "Method" || name == "MethodFunc":
			if len(call.Args) >= 2 && isPathArg(call.Args[0], call.Args[1]) {
				w.t.Errorf("%s: r.%s is not read by apitest.RoutesInSource; teach routeReader", w.fset.Position(call.Pos()), name)
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

// PathLiteral is e's value if e is a string literal of a path ("/…").
func PathLiteral(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil && strings.HasPrefix(s, "/")
}

func isPathArg(args ...ast.Expr) bool {
	for _, a := range args {
		if _, ok := PathLiteral(a); ok {
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
