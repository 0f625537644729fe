// Package api holds the machine-readable contract of Comanda's public HTTP
// API: openapi.yaml, an OpenAPI 3.1 document describing every route the
// gateway serves, with its request and response schemas, error codes,
// security and abuse limits. Spec returns it as built into the binary, for
// the gateway to serve and for tests to check traffic against.
package api

import _ "embed"

//go:embed openapi.yaml
var spec []byte

// Spec returns the OpenAPI document (YAML). The slice is shared: callers
// must not modify it.
func Spec() []byte { return spec }
