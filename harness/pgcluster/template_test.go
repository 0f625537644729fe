package pgcluster

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTemplateRoundTrip(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "data")
	writeTree(t, src, map[string]string{"PG_VERSION": "15\n", "base/1/112": "page", "pg_wal/archive_status/": ""})
	cache := templateCache{path: filepath.Join(t.TempDir(), "sub", "pgdata.tar"), log: testLogger(t)}

	cache.save(src)
	dst := filepath.Join(t.TempDir(), "data")
	if err := cache.restore(dst, nil); err != nil {
		t.Fatalf("restore: %v", err)
	}
	for name, want := range map[string]string{"PG_VERSION": "15\n", "base/1/112": "page"} {
		got, err := os.ReadFile(filepath.Join(dst, name))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	if fi, err := os.Stat(filepath.Join(dst, "pg_wal", "archive_status")); err != nil || !fi.IsDir() {
		t.Errorf("empty directory not restored: %v", err)
	}
	if fi, _ := os.Stat(dst); fi.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode = %v, want 0700 as postgres demands", fi.Mode().Perm())
	}
}

func TestTemplateTruncatedIsDiscarded(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "data")
	writeTree(t, src, map[string]string{"PG_VERSION": "15\n", "big": strings.Repeat("x", 10000)})
	cache := templateCache{path: filepath.Join(t.TempDir(), "pgdata.tar"), log: testLogger(t)}
	cache.save(src)
	fi, err := os.Stat(cache.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(cache.path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}

	if err := cache.restore(filepath.Join(t.TempDir(), "data"), nil); err == nil {
		t.Fatal("restore of a truncated template succeeded")
	}
	if _, err := os.Stat(cache.path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("truncated template still cached (stat: %v)", err)
	}
}

// A template that unpacks fine but does not start is replaced by initdb.
func TestBootHealsBrokenTemplate(t *testing.T) {
	t.Parallel()
	e, err := newEmbedded(t.Context(), testLogger(t))
	if err != nil {
		t.Fatalf("newEmbedded: %v", err)
	}
	t.Cleanup(func() {
		if err := e.stop(); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	bogus := filepath.Join(t.TempDir(), "data")
	writeTree(t, bogus, map[string]string{"PG_VERSION": "15\n"})
	e.cache.path = filepath.Join(t.TempDir(), "pgdata.tar")
	e.cache.save(bogus)

	if err := e.boot(t.Context()); err != nil {
		t.Fatalf("boot: %v", err)
	}
	if e.source != sourceInitdb {
		t.Errorf("source = %q, want %q after the broken template", e.source, sourceInitdb)
	}
	healed := filepath.Join(t.TempDir(), "data")
	if err := e.cache.restore(healed, nil); err != nil {
		t.Fatalf("restore the remade template: %v", err)
	}
	if _, err := os.Stat(filepath.Join(healed, "global", "pg_control")); err != nil {
		t.Errorf("the cached template is still not a real cluster: %v", err)
	}
}

// writeTree makes files (or, for names ending in /, directories) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	if err := os.Mkdir(root, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		path := filepath.Join(root, name)
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(path, 0o700); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
