package topology

import (
	"encoding/json"
	"strings"
	"testing"
)

// mutate decodes the embedded JSON into generic maps, lets change edit
// them, and parses the result.
func mutate(t *testing.T, change func(m map[string]any)) error {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	change(m)
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	_, err = parse(data)
	return err
}

func routes(m map[string]any) []any                { return m["routes"].([]any) }
func route(m map[string]any, i int) map[string]any { return routes(m)[i].(map[string]any) }
func access(m map[string]any, svc string) map[string]any {
	return m["access"].(map[string]any)[svc].(map[string]any)
}

func TestParseRejectsInconsistentTopologies(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		change func(m map[string]any)
		want   string
	}{
		"unknown key":           {func(m map[string]any) { m["queus"] = []any{} }, "unknown field"},
		"route to nowhere":      {func(m map[string]any) { route(m, 0)["service"] = "billing" }, "unknown service"},
		"trailing slash":        {func(m map[string]any) { route(m, 0)["prefix"] = "/auth/" }, "trailing slash"},
		"wildcard":              {func(m map[string]any) { route(m, 0)["prefix"] = "/auth*" }, "wildcards"},
		"duplicate prefix":      {func(m map[string]any) { m["routes"] = append(routes(m), route(m, 0)) }, "listed twice"},
		"duplicate priority":    {func(m map[string]any) { route(m, 1)["priority"] = route(m, 0)["priority"] }, "priority"},
		"priority out of range": {func(m map[string]any) { route(m, 0)["priority"] = 50001 }, "priority"},
		"missing priority":      {func(m map[string]any) { delete(route(m, 0), "priority") }, "priority"},
		"nested after its parent": {func(m map[string]any) {
			m["routes"] = append(routes(m), map[string]any{"prefix": "/order/x", "service": "catalog", "priority": 9000})
		}, "nested"},
		"unknown queue":            {func(m map[string]any) { access(m, "payment")["publishes"] = []any{"ghost-queue"} }, "unknown queue"},
		"queue with two consumers": {func(m map[string]any) { access(m, "auth")["consumes"] = []any{"order-service-queue"} }, "exactly one"},
		"queue with no consumer":   {func(m map[string]any) { delete(access(m, "production"), "consumes") }, "exactly one"},
		"call without a route":     {func(m map[string]any) { access(m, "order")["calls"] = []any{"billing"} }, "no route"},
		"access of a stranger":     {func(m map[string]any) { m["access"].(map[string]any)["billing"] = map[string]any{} }, "unknown service"},
		"table without env":        {func(m map[string]any) { delete(m["tables"].([]any)[0].(map[string]any), "env") }, "env"},
		"database of a stranger":   {func(m map[string]any) { m["databases"].([]any)[0].(map[string]any)["service"] = "x" }, "database"},
		"receive count":            {func(m map[string]any) { m["queues"].(map[string]any)["max_receive_count"] = 0 }, "max_receive_count"},
		"no secret":                {func(m map[string]any) { m["secret"] = "" }, "secret"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := mutate(t, c.change)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v; want one mentioning %q", err, c.want)
			}
		})
	}
	if err := mutate(t, func(map[string]any) {}); err != nil {
		t.Errorf("the embedded topology, re-encoded: %v", err)
	}
}
