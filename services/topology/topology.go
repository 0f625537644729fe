// Package topology is the one source of truth for the names and routes that
// the Go code and the Terraform share: which path prefix goes to which
// service (and at which ALB listener-rule priority), which queues, tables
// and databases exist and who may touch them, the project secret's name. The
// JSON beside this file is embedded here and read by Terraform with
// jsondecode(file(...)); the harness provisions exactly what it lists.
package topology

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed topology.json
var raw []byte

// Topology describes the deployable system.
type Topology struct {
	Services  []string          `json:"services"`
	Routes    []Route           `json:"routes"`
	Queues    Queues            `json:"queues"`
	Tables    []Table           `json:"tables"`
	Databases []Database        `json:"databases"`
	Access    map[string]Access `json:"access"`
	Secret    string            `json:"secret"`
	// ClientIPHeader is the request header the edge sets to the client's
	// address, overwriting the client's own; the services read no other.
	ClientIPHeader string `json:"client_ip_header"`
}

// Route sends every path equal to Prefix or below it to Service. Priority
// is its ALB listener rule's priority: lower is evaluated first, so a route
// nested under another's prefix needs the lower number.
type Route struct {
	Prefix   string `json:"prefix"`
	Service  string `json:"service"`
	Priority int    `json:"priority"`
}

// Database is a PostgreSQL database and the one service that owns it.
type Database struct {
	Name    string `json:"name"`
	Service string `json:"service"`
}

// Access is what a service may reach beyond the tables and databases it
// owns; Terraform turns it into the service's task role and security group
// rules.
type Access struct {
	// SignTokens allows kms:Sign with the JWT signing key.
	SignTokens bool `json:"sign_tokens,omitempty"`
	// Consumes are the queues it receives from (and dead-letters to).
	Consumes []string `json:"consumes,omitempty"`
	// Publishes are the queues it sends to.
	Publishes []string `json:"publishes,omitempty"`
	// Calls are the services it calls over HTTP, through the internal ALB.
	Calls []string `json:"calls,omitempty"`
}

// Queues lists the SQS queues; each has a dead-letter queue named
// <name><DeadLetterSuffix> reached after MaxReceiveCount receives.
type Queues struct {
	DeadLetterSuffix         string   `json:"dead_letter_suffix"`
	MaxReceiveCount          int      `json:"max_receive_count"`
	VisibilityTimeoutSeconds int      `json:"visibility_timeout_seconds"`
	Names                    []string `json:"names"`
}

// Table is a DynamoDB table with string keys, owned by Service, which reads
// its name from the environment variable Env.
type Table struct {
	Name     string  `json:"name"`
	Service  string  `json:"service"`
	Env      string  `json:"env"`
	HashKey  string  `json:"hash_key"`
	RangeKey string  `json:"range_key,omitempty"`
	Indexes  []Index `json:"indexes"`
}

// Index is a global secondary index projecting all attributes.
type Index struct {
	Name     string `json:"name"`
	HashKey  string `json:"hash_key"`
	RangeKey string `json:"range_key,omitempty"`
}

// Load decodes the embedded topology and checks that it holds together.
func Load() (Topology, error) { return parse(raw) }

func parse(data []byte) (Topology, error) {
	var t Topology
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt key would silently mean nothing to Go
	if err := dec.Decode(&t); err != nil {
		return Topology{}, fmt.Errorf("decode topology.json: %w", err)
	}
	if err := t.validate(); err != nil {
		return Topology{}, fmt.Errorf("topology.json: %w", err)
	}
	return t, nil
}

// MustLoad is Load for callers that cannot proceed without it; the embedded
// file is checked by this package's tests, so it cannot fail at run time.
func MustLoad() Topology {
	t, err := Load()
	if err != nil {
		panic(err)
	}
	return t
}

// ServiceFor returns the service that serves path, following the longest
// matching prefix, as the ALB listener rules do (prefix and prefix/*).
func (t Topology) ServiceFor(path string) (string, bool) {
	best, service := -1, ""
	for _, r := range t.Routes {
		if (path == r.Prefix || strings.HasPrefix(path, r.Prefix+"/")) && len(r.Prefix) > best {
			best, service = len(r.Prefix), r.Service
		}
	}
	return service, best >= 0
}

// DeadLetterName is the dead-letter queue of queue.
func (q Queues) DeadLetterName(queue string) string { return queue + q.DeadLetterSuffix }

// Table returns the table owned by name.
func (t Topology) Table(name string) (Table, bool) {
	for _, tb := range t.Tables {
		if tb.Name == name {
			return tb, true
		}
	}
	return Table{}, false
}
