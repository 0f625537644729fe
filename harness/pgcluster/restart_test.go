package pgcluster

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// A restart keeps the port and the data, and a pool made before it works
// again after it, by itself.
func TestRestartKeepsPortAndData(t *testing.T) {
	t.Parallel()
	c := startCluster(t)
	url, err := c.CreateDatabase(t.Context(), "restart_kept")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(t.Context(), `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before')`); err != nil {
		t.Fatal(err)
	}
	if err := c.StopServer(); err != nil {
		t.Fatal(err)
	}
	if err := pool.Ping(t.Context()); err == nil {
		t.Fatal("the server still answers after StopServer")
	}
	if err := c.StartServer(t.Context()); err != nil {
		t.Fatal(err)
	}
	var v string
	deadline := time.Now().Add(30 * time.Second) // a bound for a failure, not a measure of speed
	for {
		err = pool.QueryRow(t.Context(), `SELECT v FROM kept`).Scan(&v)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || v != "before" {
		t.Fatalf("after the restart: %q, %v; want the row written before", v, err)
	}
}
