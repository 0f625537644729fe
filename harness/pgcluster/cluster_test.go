package pgcluster

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

func startCluster(t *testing.T) *Cluster {
	t.Helper()
	began := time.Now()
	c, err := Start(t.Context(), Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Logf("%s started in %v", c.Backend(), time.Since(began).Round(time.Millisecond))
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return c
}

func TestClusterLifecycle(t *testing.T) {
	t.Parallel()
	c := startCluster(t)
	if !strings.HasPrefix(c.Backend(), "embedded postgres ") {
		t.Errorf("Backend() = %q, want embedded postgres …", c.Backend())
	}
	for _, name := range []string{"lifecycle_one", "lifecycle_two"} {
		url, err := c.CreateDatabase(t.Context(), name)
		if err != nil {
			t.Fatalf("CreateDatabase(%s): %v", name, err)
		}
		if got := roundTrip(t, url); got != name {
			t.Errorf("database behind %s says it is %q, want %q", url, got, name)
		}
	}

	dir, port, pid := c.server.dir.path, c.server.port, c.server.pm.pid()
	if procs := processesIn(t, dir); len(procs) == 0 && runtime.GOOS == "linux" {
		t.Fatalf("no process runs in %s before Stop; the leak check below would prove nothing", dir)
	}
	began := time.Now()
	if err := c.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	t.Logf("stopped in %v", time.Since(began).Round(time.Millisecond))
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}

	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("cluster directory %s still there after Stop (stat: %v)", dir, err)
	}
	if conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
		conn.Close()
		t.Errorf("port %d still accepts connections after Stop", port)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("postmaster %d still exists after Stop (kill 0: %v)", pid, err)
	}
	if procs := processesIn(t, dir); len(procs) > 0 {
		t.Errorf("processes still running in %s after Stop: %v", dir, procs)
	}
}

// roundTrip writes and reads a row in the database at url and returns the
// database's own idea of its name.
func roundTrip(t *testing.T, url string) string {
	t.Helper()
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE note (body text); INSERT INTO note VALUES ('hello')"); err != nil {
		t.Fatalf("write in %s: %v", url, err)
	}
	var body, name string
	if err := conn.QueryRow(ctx, "SELECT body, current_database() FROM note").Scan(&body, &name); err != nil {
		t.Fatalf("read in %s: %v", url, err)
	}
	if body != "hello" {
		t.Errorf("read %q back, want hello", body)
	}
	return name
}

func TestCreateDatabaseRejectsBadNames(t *testing.T) {
	t.Parallel()
	c := &Cluster{}
	for _, name := range []string{"", strings.Repeat("x", 64)} {
		if _, err := c.CreateDatabase(t.Context(), name); err == nil {
			t.Errorf("CreateDatabase(%q) succeeded", name)
		}
	}
}

func TestExternalServer(t *testing.T) {
	t.Parallel()
	host := startCluster(t)
	ctx := t.Context()
	url, err := host.CreateDatabase(ctx, "external_admin")
	if err != nil {
		t.Fatalf("CreateDatabase: %v", err)
	}

	ext, err := Start(ctx, Options{Logger: testLogger(t), ExternalURL: url})
	if err != nil {
		t.Fatalf("Start external: %v", err)
	}
	wantBackend := fmt.Sprintf("external (DATABASE_URL 127.0.0.1:%d)", host.server.port)
	if ext.Backend() != wantBackend {
		t.Errorf("Backend() = %q, want %q", ext.Backend(), wantBackend)
	}
	made, err := ext.CreateDatabase(ctx, "external_made")
	if err != nil {
		t.Fatalf("CreateDatabase on external: %v", err)
	}
	if got := roundTrip(t, made); got != "external_made" {
		t.Errorf("database is %q, want external_made", got)
	}
	if err := ext.Stop(); err != nil {
		t.Fatalf("Stop external: %v", err)
	}

	var names []string
	rows, _ := host.admin.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'external_%' ORDER BY 1")
	names, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("list databases: %v", err)
	}
	if strings.Join(names, ",") != "external_admin" {
		t.Errorf("databases after external Stop = %v, want only external_admin (its own dropped, the given one kept)", names)
	}
	if err := host.admin.Ping(ctx); err != nil {
		t.Errorf("the host cluster should still be running: %v", err)
	}
}

func TestWithDatabase(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"postgres://u:p@h:5432/postgres?sslmode=disable", "postgres://u:p@h:5432/orders_1?sslmode=disable"},
		{"postgresql://h/other", "postgresql://h/orders_1"},
		{"host=h user=u dbname=x", "host=h user=u dbname=x dbname='orders_1'"},
	}
	for _, tt := range tests {
		got, err := withDatabase(tt.in, "orders_1")
		if err != nil || got != tt.want {
			t.Errorf("withDatabase(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
