package pgtest_test

import (
	"testing"

	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestNewDatabaseIsFreshAndEmpty(t *testing.T) {
	t.Parallel()
	seen := make(chan string, 3)
	for _, name := range []string{"one", "two", "three"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			conn, err := pgx.Connect(ctx, pgtest.NewDatabase(t))
			if err != nil {
				t.Fatalf("connect: %v", err)
			}
			defer conn.Close(ctx)
			var tables int
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables); err != nil {
				t.Fatalf("count tables: %v", err)
			}
			if tables != 0 {
				t.Errorf("new database has %d tables, want none", tables)
			}
			// The same table in every database: they must not collide.
			if _, err := conn.Exec(ctx, "CREATE TABLE orders (id int PRIMARY KEY)"); err != nil {
				t.Fatalf("create table: %v", err)
			}
			var db string
			if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil {
				t.Fatalf("current_database: %v", err)
			}
			seen <- db
		})
	}
	t.Cleanup(func() {
		close(seen)
		names := map[string]bool{}
		for db := range seen {
			if names[db] {
				t.Errorf("database %s handed out twice", db)
			}
			names[db] = true
		}
	})
}
