// Package apitest helps tests hold code to the API's contract, openapi.yaml:
// it loads the spec, reads values in it by JSON pointer, and reads the chi
// routes a service registers from its source. Each service checks its own
// limits and routes against the spec with it, from inside its internal
// package, where the constants it compares are visible.
package apitest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/comanda/comanda/api"
)

// LoadSpec parses and validates the spec. Each test should load its own
// copy: validating against a schema caches what it compiles in the schema.
func LoadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec())
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	// Validate checks the document against OpenAPI 3.1 (JSON Schema 2020-12
	// for its schemas, as doc.openapi says), and every example against its
	// schema.
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	return doc
}

// Tree is the spec as plain JSON values (objects, arrays, float64,
// strings), so that any value in it can be read by JSON pointer, $refs
// left as they are written.
type Tree struct{ root any }

// NewTree is doc as a Tree.
func NewTree(t testing.TB, doc *openapi3.T) Tree {
	t.Helper()
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var root any
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}
	return Tree{root: root}
}

// At is the value at the JSON pointer ptr, the whole spec for "". A
// pointer to nothing fails the test.
func (tr Tree) At(t testing.TB, ptr string) any {
	t.Helper()
	v := tr.root
	if ptr == "" {
		return v
	}
	unescape := strings.NewReplacer("~1", "/", "~0", "~")
	for _, tok := range strings.Split(ptr, "/")[1:] {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %q is not inside an object", ptr, tok)
		}
		if v, ok = m[unescape.Replace(tok)]; !ok {
			t.Fatalf("%s: no %q", ptr, tok)
		}
	}
	return v
}

// Number is the number at ptr; anything else there fails the test.
func (tr Tree) Number(t testing.TB, ptr string) float64 {
	t.Helper()
	n, ok := tr.At(t, ptr).(float64)
	if !ok {
		t.Fatalf("%s = %v, not a number", ptr, tr.At(t, ptr))
	}
	return n
}

// Strings is the array of strings at ptr, such as an enum; anything else
// there fails the test.
func (tr Tree) Strings(t testing.TB, ptr string) []string {
	t.Helper()
	values, ok := tr.At(t, ptr).([]any)
	if !ok {
		t.Fatalf("%s = %v, not an array", ptr, tr.At(t, ptr))
	}
	out := make([]string, len(values))
	for i, v := range values {
		if out[i], ok = v.(string); !ok {
			t.Fatalf("%s/%d = %v, not a string", ptr, i, v)
		}
	}
	return out
}

// StringsOf is values as plain strings, to compare a service's list of
// typed constants with an enum of the spec.
func StringsOf[S ~string](values ...S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// QueryParam is the schema of the query parameter name of the operation
// method path (a path template as the spec writes it); a missing one
// fails the test.
func QueryParam(t testing.TB, doc *openapi3.T, method, path, name string) *openapi3.Schema {
	t.Helper()
	item := doc.Paths.Find(path)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("the spec has no %s %s", method, path)
	}
	param := item.GetOperation(method).Parameters.GetByInAndName("query", name)
	if param == nil || param.Schema == nil || param.Schema.Value == nil {
		t.Fatalf("%s %s has no query parameter %q with a schema", method, path, name)
	}
	return param.Schema.Value
}
