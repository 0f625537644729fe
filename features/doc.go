// Package features is Comanda's behaviour in business words: the Gherkin
// scenarios in the folders here, one folder per capability, and the Go that
// carries them out, all run by godog inside go test against the whole
// system, booted once by the harness. Beside the scenarios run a few tests
// of the running system as a whole (every route's error shape, each
// service's own authorization, no secret in any log line). The package is
// tests only: `go test ./features -godog.tags=@payment` runs one capability.
package features
