package topology

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ALB limits a listener rule's priority to 1–50000 and a path pattern to
// 128 characters.
const (
	maxRulePriority    = 50000
	maxPathPatternSize = 128
)

// validate reports every way the topology does not hold together: names
// that refer to nothing, duplicates, and listener rules that would not
// route as ServiceFor does.
func (t Topology) validate() error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	services := set(t.Services)
	if len(services) != len(t.Services) || len(services) == 0 {
		fail("services %v: want at least one, no duplicates", t.Services)
	}
	errs = append(errs, t.validateRoutes(services)...)
	queues := set(t.Queues.Names)
	if len(queues) != len(t.Queues.Names) || len(queues) == 0 || t.Queues.DeadLetterSuffix == "" {
		fail("queues %v with dead-letter suffix %q: want at least one, no duplicates, a suffix", t.Queues.Names, t.Queues.DeadLetterSuffix)
	}
	if n := t.Queues.MaxReceiveCount; n < 1 || n > 1000 {
		fail("queues: max_receive_count %d is outside SQS's 1–1000", n)
	}
	tables := map[string]bool{}
	for _, tb := range t.Tables {
		if tables[tb.Name] || !services[tb.Service] || tb.Env == "" || tb.HashKey == "" {
			fail("table %q: want a unique name, a known service (got %q), an env variable and a hash key", tb.Name, tb.Service)
		}
		tables[tb.Name] = true
		indexes := map[string]bool{}
		for _, ix := range tb.Indexes {
			if indexes[ix.Name] || ix.Name == "" || ix.HashKey == "" {
				fail("table %q: index %q needs a unique name and a hash key", tb.Name, ix.Name)
			}
			indexes[ix.Name] = true
		}
	}
	databases := map[string]bool{}
	for _, db := range t.Databases {
		if databases[db.Name] || db.Name == "" || !services[db.Service] {
			fail("database %q: want a unique name and a known service (got %q)", db.Name, db.Service)
		}
		databases[db.Name] = true
	}
	errs = append(errs, t.validateAccess(services, queues)...)
	if t.Secret == "" {
		fail("secret: missing")
	}
	if t.ClientIPHeader == "" {
		fail("client_ip_header: missing")
	}
	return errors.Join(errs...)
}

func (t Topology) validateRoutes(services map[string]bool) []error {
	var errs []error
	prefixes, priorities := map[string]bool{}, map[int]bool{}
	for _, r := range t.Routes {
		switch {
		case !strings.HasPrefix(r.Prefix, "/") || r.Prefix == "/" || strings.HasSuffix(r.Prefix, "/") ||
			strings.ContainsAny(r.Prefix, "*?") || len(r.Prefix)+2 > maxPathPatternSize:
			errs = append(errs, fmt.Errorf("route %q: a prefix is /name[/name…], without wildcards or a trailing slash", r.Prefix))
		case prefixes[r.Prefix]:
			errs = append(errs, fmt.Errorf("route %q: listed twice", r.Prefix))
		case !services[r.Service]:
			errs = append(errs, fmt.Errorf("route %q: unknown service %q", r.Prefix, r.Service))
		case r.Priority < 1 || r.Priority > maxRulePriority || priorities[r.Priority]:
			errs = append(errs, fmt.Errorf("route %q: priority %d must be unique and within 1–%d", r.Prefix, r.Priority, maxRulePriority))
		}
		prefixes[r.Prefix], priorities[r.Priority] = true, true
	}
	// The ALB takes the first matching rule by priority; ServiceFor takes
	// the longest prefix. They agree only if nested prefixes come first.
	for _, outer := range t.Routes {
		for _, inner := range t.Routes {
			if strings.HasPrefix(inner.Prefix, outer.Prefix+"/") && inner.Priority >= outer.Priority {
				errs = append(errs, fmt.Errorf("route %q is nested in %q, so its priority (%d) must be below %d",
					inner.Prefix, outer.Prefix, inner.Priority, outer.Priority))
			}
		}
	}
	return errs
}

func (t Topology) validateAccess(services, queues map[string]bool) []error {
	var errs []error
	routed := map[string]bool{}
	for _, r := range t.Routes {
		routed[r.Service] = true
	}
	consumers := map[string][]string{}
	for service, a := range t.Access {
		if !services[service] {
			errs = append(errs, fmt.Errorf("access: unknown service %q", service))
		}
		for _, q := range slices.Concat(a.Consumes, a.Publishes) {
			if !queues[q] {
				errs = append(errs, fmt.Errorf("access of %s: unknown queue %q", service, q))
			}
		}
		for _, q := range a.Consumes {
			consumers[q] = append(consumers[q], service)
		}
		for _, callee := range a.Calls {
			if !routed[callee] {
				errs = append(errs, fmt.Errorf("access of %s: calls %q, which has no route through the ALB", service, callee))
			}
		}
	}
	for _, q := range t.Queues.Names {
		if len(consumers[q]) != 1 {
			errs = append(errs, fmt.Errorf("queue %q: consumed by %v, want exactly one service", q, consumers[q]))
		}
	}
	return errs
}

func set(names []string) map[string]bool {
	out := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = true
	}
	return out
}
