package topology

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// albMatch reports whether path matches an ALB path pattern: case
// sensitive, * any run of characters (slashes too), ? any one character.
func albMatch(pattern, path string) bool {
	expr := regexp.QuoteMeta(pattern)
	expr = strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(expr)
	return regexp.MustCompile("^" + expr + "$").MatchString(path)
}

// albRoute is what the listener does with path: the first rule by
// priority with a matching pattern wins; no match is the default action.
func albRoute(rules []ListenerRule, path string) (string, bool) {
	for _, r := range rules {
		if slices.ContainsFunc(r.PathPatterns, func(p string) bool { return albMatch(p, path) }) {
			return r.Service, true
		}
	}
	return "", false
}

// probePaths are paths at, below, beside and outside every route.
func probePaths(top Topology) []string {
	paths := []string{"/", "", "/healthz", "/readyz", "/unknown/path", "//auth", "/AUTH"}
	for _, r := range top.Routes {
		paths = append(paths, r.Prefix, r.Prefix+"/", r.Prefix+"/x", r.Prefix+"/x/y/z", r.Prefix+"/.well-known/jwks.json",
			r.Prefix+"x", r.Prefix+"-x", r.Prefix+".json", strings.ToUpper(r.Prefix), r.Prefix[:len(r.Prefix)-1], "/x"+r.Prefix)
	}
	return paths
}

// The listener rules Terraform makes from topology.json send every path
// where the gateway (ServiceFor) sends it, and nowhere else.
func TestListenerRulesRouteAsServiceFor(t *testing.T) {
	t.Parallel()
	top := MustLoad()
	checkAgreement(t, top)
	// A nested route with the lower priority keeps them in agreement.
	nested := top
	nested.Routes = append(slices.Clone(top.Routes), Route{Prefix: "/order/reports", Service: "catalog", Priority: 125})
	if err := nested.validate(); err != nil {
		t.Fatalf("nested route: %v", err)
	}
	checkAgreement(t, nested)
}

func checkAgreement(t *testing.T, top Topology) {
	t.Helper()
	rules := top.ListenerRules()
	if len(rules) != len(top.Routes) {
		t.Fatalf("%d rules for %d routes", len(rules), len(top.Routes))
	}
	for i, r := range rules {
		if i > 0 && r.Priority <= rules[i-1].Priority {
			t.Errorf("rules not in ascending priority: %d after %d", r.Priority, rules[i-1].Priority)
		}
	}
	paths := probePaths(top)
	for _, r := range top.Routes {
		paths = append(paths, r.Prefix+"/reports", r.Prefix+"/reports/1")
	}
	for _, path := range paths {
		gotALB, okALB := albRoute(rules, path)
		gotGo, okGo := top.ServiceFor(path)
		if gotALB != gotGo || okALB != okGo {
			t.Errorf("path %q: listener rules send it to %q (%v), ServiceFor to %q (%v)", path, gotALB, okALB, gotGo, okGo)
		}
	}
}

func TestPathPatterns(t *testing.T) {
	t.Parallel()
	got := Route{Prefix: "/products", Service: "catalog", Priority: 1}.PathPatterns()
	if want := []string{"/products", "/products/*"}; !slices.Equal(got, want) {
		t.Errorf("PathPatterns = %v, want %v", got, want)
	}
	for pattern, path := range map[string]string{"/a/*": "/a/b/c", "/a?c": "/abc", "/a": "/a"} {
		if !albMatch(pattern, path) {
			t.Errorf("albMatch(%q, %q) = false", pattern, path)
		}
	}
	for pattern, path := range map[string]string{"/a/*": "/a", "/a": "/A", "/a?c": "/ac"} {
		if albMatch(pattern, path) {
			t.Errorf("albMatch(%q, %q) = true", pattern, path)
		}
	}
}
