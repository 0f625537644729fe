package topology

import (
	"cmp"
	"slices"
)

// ListenerRule is one rule of the internal ALB's listener, as Terraform
// makes it from a route: requests whose path matches one of PathPatterns
// go to Service's target group, rules tried in ascending Priority.
type ListenerRule struct {
	Priority     int      `json:"priority"`
	Service      string   `json:"service"`
	PathPatterns []string `json:"path_patterns"`
}

// PathPatterns are the ALB path patterns that match what ServiceFor sends
// to r: the prefix itself and everything below it. (ALB's * matches any
// characters, slashes included.) Terraform writes the same two patterns.
func (r Route) PathPatterns() []string { return []string{r.Prefix, r.Prefix + "/*"} }

// ListenerRules are the listener rules of the routes, by priority.
func (t Topology) ListenerRules() []ListenerRule {
	rules := make([]ListenerRule, 0, len(t.Routes))
	for _, r := range t.Routes {
		rules = append(rules, ListenerRule{Priority: r.Priority, Service: r.Service, PathPatterns: r.PathPatterns()})
	}
	slices.SortFunc(rules, func(a, b ListenerRule) int { return cmp.Compare(a.Priority, b.Priority) })
	return rules
}
