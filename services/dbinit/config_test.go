package dbinit

import (
	"maps"
	"strings"
	"testing"
)

func lookupIn(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestLoadConfigReadsEachRolesPassword(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(t.Context(), lookupIn(map[string]string{
		"DATABASE_URL":            "postgres://comanda@db:5432/postgres?sslmode=verify-full",
		"DBINIT_OWNERS":           "catalog:catalog,orders:order",
		"DBINIT_PASSWORD_CATALOG": "c-secret",
		"DBINIT_PASSWORD_ORDER":   "o-secret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"catalog": "catalog", "orders": "order"}; !maps.Equal(c.Owners, want) {
		t.Errorf("owners = %v; want %v", c.Owners, want)
	}
	if want := map[string]string{"catalog": "c-secret", "order": "o-secret"}; !maps.Equal(c.Passwords, want) {
		t.Errorf("passwords = %v; want %v", c.Passwords, want)
	}
}

func TestLoadConfigNamesWhatIsWrong(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"DATABASE_URL":            "postgres://comanda@db/postgres",
		"DBINIT_OWNERS":           "catalog:catalog",
		"DBINIT_PASSWORD_CATALOG": "c-secret",
	}
	for name, tc := range map[string]struct {
		set  map[string]string
		want string
	}{
		"no url":             {map[string]string{"DATABASE_URL": ""}, "DATABASE_URL"},
		"no owners":          {map[string]string{"DBINIT_OWNERS": ""}, "DBINIT_OWNERS"},
		"no password":        {map[string]string{"DBINIT_PASSWORD_CATALOG": ""}, "DBINIT_PASSWORD_CATALOG"},
		"quoted name":        {map[string]string{"DBINIT_OWNERS": `catalog:"x`}, "lower-case identifiers"},
		"upper-case name":    {map[string]string{"DBINIT_OWNERS": "Catalog:catalog"}, "lower-case identifiers"},
		"one role, two dbs":  {map[string]string{"DBINIT_OWNERS": "catalog:catalog,menu:catalog"}, "owns two databases"},
		"password of nobody": {map[string]string{"DBINIT_OWNERS": "orders:order"}, "DBINIT_PASSWORD_ORDER"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := maps.Clone(base)
			for k, v := range tc.set {
				if v == "" {
					delete(env, k)
				} else {
					env[k] = v
				}
			}
			_, err := LoadConfig(t.Context(), lookupIn(env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadConfig = %v; want an error naming %s", err, tc.want)
			}
		})
	}
}
