package api_test

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/comanda/comanda/api/apitest"
)

func TestSpecIsValidOpenAPI31(t *testing.T) {
	t.Parallel()
	doc := apitest.LoadSpec(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Error("kin-openapi does not read the spec as OpenAPI 3.1")
	}
}

// operation is one operation of the spec with where it lives.
type operation struct {
	method, path string
	op           *openapi3.Operation
}

func (o operation) String() string { return o.method + " " + o.path }

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, operation{method: method, path: path, op: op})
		}
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.String(), b.String()) })
	return ops
}

// access is who may call an operation: "public", "any role" or the roles
// its bearer requirement names ("employee").
func access(op *openapi3.Operation) string {
	if op.Security == nil || len(*op.Security) == 0 {
		return "public"
	}
	roles := (*op.Security)[0]["bearerAuth"]
	if len(roles) == 0 {
		return "any role"
	}
	return strings.Join(roles, ",")
}

// codesByStatus are the error codes each status may carry.
var codesByStatus = map[int]*regexp.Regexp{
	400: regexp.MustCompile(`^(invalid_request|invalid_tax_id)$`),
	401: regexp.MustCompile(`^(unauthorized|invalid_credentials|invalid_signature)$`),
	403: regexp.MustCompile(`^forbidden$`),
	404: regexp.MustCompile(`^([a-z]+_)?not_found$`),
	409: regexp.MustCompile(`^(customer_exists|product_exists|invalid_transition)$`),
	413: regexp.MustCompile(`^request_too_large$`),
	422: regexp.MustCompile(`^unknown_product$`),
	429: regexp.MustCompile(`^(rate_limited|too_many_open_orders)$`),
	500: regexp.MustCompile(`^internal$`),
	502: regexp.MustCompile(`^bad_gateway$`),
	503: regexp.MustCompile(`^(catalog_unavailable|unhealthy)$`),
}

// The house rules every operation follows, beyond what OpenAPI requires.
func TestOperationsFollowTheHouseRules(t *testing.T) {
	t.Parallel()
	doc := apitest.LoadSpec(t)
	ids := map[string]string{}
	for _, o := range operations(doc) {
		t.Run(o.String(), func(t *testing.T) {
			op := o.op
			if prev, dup := ids[op.OperationID]; op.OperationID == "" || dup {
				t.Errorf("operationId %q is empty or also %s's", op.OperationID, prev)
			}
			ids[op.OperationID] = o.String()
			if op.Security == nil {
				t.Error("no security requirement of its own: say security: [] for a public operation")
			}
			marker := map[string]string{"public": "**Public", "any role": "**Any role", "customer": "**Customer", "employee": "**Employee"}[access(op)]
			if marker == "" || !strings.HasPrefix(op.Description, marker) {
				t.Errorf("access %s: the description must start with %q", access(op), marker)
			}
			checkResponses(t, o)
			if op.RequestBody != nil {
				for mime, media := range op.RequestBody.Value.Content {
					if media.Schema != nil {
						checkClosed(t, "request "+mime, media.Schema, map[*openapi3.Schema]bool{})
					}
				}
			}
		})
	}
}

// checkResponses holds an operation's answers to the rules: ids on every
// answer, the one error shape with its codes listed, the statuses every
// route can answer, 401 and 403 where a token is needed.
func checkResponses(t *testing.T, o operation) {
	t.Helper()
	statuses := map[int]bool{}
	for code, ref := range o.op.Responses.Map() {
		status, err := strconv.Atoi(code)
		if err != nil {
			t.Errorf("response %q: only explicit statuses, no default or ranges", code)
			continue
		}
		statuses[status] = true
		resp := ref.Value
		for _, h := range []string{"X-Request-Id", "X-Correlation-Id"} {
			if resp.Headers[h] == nil {
				t.Errorf("%d: no %s header", status, h)
			}
		}
		media := resp.Content.Get("application/json")
		if media == nil {
			if o.method != http.MethodHead && status != http.StatusNoContent {
				t.Errorf("%d: no application/json content", status)
			}
			continue
		}
		checkClosed(t, code, media.Schema, map[*openapi3.Schema]bool{})
		if status < 400 {
			continue
		}
		codes := errorCodes(t, status, media.Schema)
		for _, c := range codes {
			if re := codesByStatus[status]; re == nil || !re.MatchString(c) {
				t.Errorf("%d: code %q is not one this status carries", status, c)
			}
		}
		if slices.Contains(codes, "rate_limited") && (resp.Headers["Retry-After"] == nil || !resp.Headers["Retry-After"].Value.Required) {
			t.Errorf("%d rate_limited: Retry-After must be a required header", status)
		}
	}
	if o.method == http.MethodHead {
		return
	}
	want := []int{413, 500}
	if o.path != "/healthz" {
		want = append(want, 502) // through the gateway's proxy
	}
	switch a := access(o.op); a {
	case "public":
	case "any role":
		want = append(want, 401)
	default:
		want = append(want, 401, 403)
	}
	for _, s := range want {
		if !statuses[s] {
			t.Errorf("does not list %d, which it can answer", s)
		}
	}
}

// errorCodes returns the codes an error response's schema allows: the
// schema is Error narrowed by allOf, or InternalError.
func errorCodes(t *testing.T, status int, ref *openapi3.SchemaRef) []string {
	t.Helper()
	switch {
	case ref.Ref == "#/components/schemas/InternalError":
		return []string{"internal"}
	case len(ref.Value.AllOf) == 2 && ref.Value.AllOf[0].Ref == "#/components/schemas/Error":
		narrowing := ref.Value.AllOf[1].Value.Properties["error"].Value.Properties["code"].Value
		var codes []string
		for _, c := range narrowing.Enum {
			codes = append(codes, c.(string))
		}
		if len(codes) == 0 {
			t.Errorf("%d: the codes are not listed", status)
		}
		return codes
	}
	t.Errorf("%d: the schema is not Error narrowed to its codes (allOf: [Error, {code enum}]) nor InternalError", status)
	return nil
}

// checkClosed requires additionalProperties: false on every object schema
// under ref, so that the spec refuses what the services refuse (unknown
// fields, keys in another case) and describes answers whose shape is fixed.
func checkClosed(t *testing.T, where string, ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	t.Helper()
	s := ref.Value
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if s.Type.Includes("object") && (s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has) {
		t.Errorf("%s: an object schema %s without additionalProperties: false", where, ref.Ref)
	}
	for name, p := range s.Properties {
		checkClosed(t, where+"."+name, p, seen)
	}
	if s.Items != nil {
		checkClosed(t, where+"[]", s.Items, seen)
	}
	for _, group := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
		for _, sub := range group {
			checkClosed(t, where, sub, seen)
		}
	}
}
