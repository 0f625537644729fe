// Package topology is the one source of truth for the names and routes that
// the Go code and the Terraform share: which path prefix goes to which
// service, which queues and tables exist, the project secret's name. The JSON
// beside this file is embedded here and read by Terraform with jsondecode.
package topology

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed topology.json
var raw []byte

// Topology describes the deployable system.
type Topology struct {
	Services  []string `json:"services"`
	Routes    []Route  `json:"routes"`
	Queues    Queues   `json:"queues"`
	Tables    []Table  `json:"tables"`
	Databases []string `json:"databases"`
	Secret    string   `json:"secret"`
}

// Route sends every path equal to Prefix or below it to Service.
type Route struct {
	Prefix  string `json:"prefix"`
	Service string `json:"service"`
}

// Queues lists the SQS queues; each has a dead-letter queue named
// <name><DeadLetterSuffix> reached after MaxReceiveCount receives.
type Queues struct {
	DeadLetterSuffix         string   `json:"dead_letter_suffix"`
	MaxReceiveCount          int      `json:"max_receive_count"`
	VisibilityTimeoutSeconds int      `json:"visibility_timeout_seconds"`
	Names                    []string `json:"names"`
}

// Table is a DynamoDB table with string keys.
type Table struct {
	Name     string  `json:"name"`
	Service  string  `json:"service"`
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

// Load decodes the embedded topology.
func Load() (Topology, error) {
	var t Topology
	if err := json.Unmarshal(raw, &t); err != nil {
		return Topology{}, fmt.Errorf("decode topology.json: %w", err)
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
