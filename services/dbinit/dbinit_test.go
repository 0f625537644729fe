package dbinit

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/comanda/comanda/harness/pgcluster/pgtest"
	"github.com/comanda/comanda/services/platform/logging"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// server is a fresh maintenance database reached as the superuser, and an
// RDS-like master user on it: CREATEROLE and CREATEDB, not a superuser.
// Roles are cluster-wide, so every name is unique to the test.
type server struct {
	t      *testing.T
	super  *pgx.Conn
	url    string // the maintenance database, as the superuser
	master string
}

func newServer(t *testing.T) *server {
	t.Helper()
	s := &server{t: t, url: pgtest.NewDatabase(t), master: unique("master")}
	s.super = s.connect("", "")
	s.exec(`CREATE ROLE "` + s.master + `" LOGIN CREATEROLE CREATEDB`)
	s.dropLater("ROLE", s.master)
	return s
}

func unique(prefix string) string {
	return prefix + "_" + strings.ToLower(rand.Text()[:10])
}

// urlAs is the server's URL for user (the superuser if empty) and database
// (the maintenance one if empty).
func (s *server) urlAs(user, database string) string {
	u, err := url.Parse(s.url)
	if err != nil {
		s.t.Fatal(err)
	}
	if user != "" {
		u.User = url.User(user)
	}
	if database != "" {
		u.Path = "/" + database
	}
	return u.String()
}

func (s *server) connect(user, database string) *pgx.Conn {
	s.t.Helper()
	conn, err := pgx.Connect(s.t.Context(), s.urlAs(user, database))
	if err != nil {
		s.t.Fatalf("connect as %q to %q: %v", user, database, err)
	}
	s.t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func (s *server) exec(sql string, args ...any) {
	s.t.Helper()
	if _, err := s.super.Exec(s.t.Context(), sql, args...); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
}

// dropLater drops a database or role when the test ends; cleanups run
// last first, so databases go before the roles that own them.
func (s *server) dropLater(kind, name string) {
	s.t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), s.urlAs("", ""))
		if err != nil {
			s.t.Errorf("drop %s %s: %v", kind, name, err)
			return
		}
		defer conn.Close(context.Background())
		force := ""
		if kind == "DATABASE" {
			force = " WITH (FORCE)"
		}
		if _, err := conn.Exec(context.Background(), "DROP "+kind+" IF EXISTS "+pgx.Identifier{name}.Sanitize()+force); err != nil {
			s.t.Errorf("drop %s %s: %v", kind, name, err)
		}
	})
}

// config asks for n databases, each with its own role and password, all
// dropped when the test ends.
func (s *server) config(n int) Config {
	c := Config{URL: s.urlAs(s.master, ""), Owners: map[string]string{}, Passwords: map[string]string{}}
	for range n {
		db, role := unique("db"), unique("role")
		s.dropLater("ROLE", role)
		s.dropLater("DATABASE", db)
		c.Owners[db] = role
		c.Passwords[role] = rand.Text()
	}
	return c
}

func (s *server) run(c Config) {
	s.t.Helper()
	if err := Run(s.t.Context(), c, logging.Discard()); err != nil {
		s.t.Fatalf("Run: %v", err)
	}
}

func (s *server) query(sql string, args ...any) string {
	s.t.Helper()
	var v string
	if err := s.super.QueryRow(s.t.Context(), sql, args...).Scan(&v); err != nil {
		s.t.Fatalf("%s: %v", sql, err)
	}
	return v
}

// checkPassword fails unless role's stored verifier is password's.
func (s *server) checkPassword(role, password string) {
	s.t.Helper()
	stored := s.query("SELECT coalesce(rolpassword, '') FROM pg_authid WHERE rolname = $1", role)
	params, _, _ := strings.Cut(strings.TrimPrefix(stored, "SCRAM-SHA-256$"), "$")
	_, salt64, _ := strings.Cut(params, ":")
	salt, err := base64.StdEncoding.DecodeString(salt64)
	if err != nil || !strings.HasPrefix(stored, "SCRAM-SHA-256$4096:") {
		s.t.Fatalf("role %s stores %q; want a SCRAM-SHA-256 verifier", role, stored)
	}
	if want, _ := scramVerifier(password, salt, 4096); stored != want {
		s.t.Errorf("role %s: stored verifier is not its password's", role)
	}
}

func TestRunGivesEachRoleItsOwnClosedDatabase(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.config(2)
	s.run(c)
	// Again, with a new password for every role: a rotation.
	for role := range c.Passwords {
		c.Passwords[role] = rand.Text()
	}
	s.run(c)

	var dbs, roles []string
	for db, role := range c.Owners {
		dbs, roles = append(dbs, db), append(roles, role)
		if owner := s.query("SELECT datdba::regrole::text FROM pg_database WHERE datname = $1", db); owner != role {
			t.Errorf("database %s is owned by %s; want %s", db, owner, role)
		}
		if login := s.query("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = $1", role); login != "true" {
			t.Errorf("role %s cannot log in", role)
		}
		s.checkPassword(role, c.Passwords[role])
		// Its owner runs migrations in it.
		if _, err := s.connect(role, db).Exec(t.Context(), "CREATE TABLE widgets (id bigserial PRIMARY KEY)"); err != nil {
			t.Errorf("%s cannot create a table in %s: %v", role, db, err)
		}
	}
	// Neither role may connect to the other's database (PUBLIC may not).
	for i := range dbs {
		other := roles[1-i]
		conn, err := pgx.Connect(t.Context(), s.urlAs(other, dbs[i]))
		var pgErr *pgconn.PgError
		if err == nil {
			conn.Close(t.Context())
		}
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("%s connecting to %s: %v; want permission denied", other, dbs[i], err)
		}
	}
}

// A deployment whose services ran as the master user left their tables
// owned by it: the init hands them, and what goes with them, to the owner.
func TestRunHandsTheMastersObjectsToTheOwner(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.config(1)
	db := slices.Collect(maps.Keys(c.Owners))[0]
	role := c.Owners[db]
	if _, err := s.connect(s.master, "").Exec(t.Context(), "CREATE DATABASE "+pgx.Identifier{db}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	old := s.connect(s.master, db)
	for _, sql := range []string{
		"CREATE TABLE widgets (id bigserial PRIMARY KEY, name text UNIQUE)",
		"CREATE TABLE gadgets (id int GENERATED ALWAYS AS IDENTITY, widget bigint REFERENCES widgets)",
		"CREATE SEQUENCE tickets",
		"CREATE VIEW widget_names AS SELECT name FROM widgets",
		"CREATE TYPE mood AS ENUM ('ok', 'not ok')",
		"CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'",
		"CREATE SCHEMA archive CREATE TABLE old_widgets (id int)",
	} {
		if _, err := old.Exec(t.Context(), sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	old.Close(t.Context())

	s.run(c)

	owned := s.connect("", db)
	var left []string
	rows, err := owned.Query(t.Context(), `
		SELECT o.type || ' ' || o.identity FROM pg_shdepend d
		CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
		WHERE d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		  AND d.refobjid = $1::regrole AND d.deptype = 'o'`, s.master)
	if err == nil {
		left, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil || len(left) != 0 {
		t.Errorf("the master still owns %v (%v); want nothing", left, err)
	}
	var owners []string
	rows, err = owned.Query(t.Context(), `
		SELECT DISTINCT relowner::regrole::text FROM pg_class
		WHERE relnamespace IN ('public'::regnamespace, 'archive'::regnamespace)`)
	if err == nil {
		owners, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil || len(owners) != 1 || owners[0] != role {
		t.Errorf("relations are owned by %v (%v); want only %s", owners, err, role)
	}
	// The owner uses and alters them: inserts through the serial's sequence, migrates.
	conn := s.connect(role, db)
	for _, sql := range []string{
		"INSERT INTO widgets (name) VALUES ('w')",
		"INSERT INTO gadgets (widget) SELECT id FROM widgets",
		"SELECT nextval('tickets')",
		"ALTER TABLE widgets ADD COLUMN colour text",
		"DROP VIEW widget_names",
		"ALTER TYPE mood ADD VALUE 'fine'",
		"DROP FUNCTION answer()",
		"DROP TABLE archive.old_widgets",
	} {
		if _, err := conn.Exec(t.Context(), sql); err != nil {
			t.Errorf("%s as %s: %v", sql, role, err)
		}
	}
}

func TestRunRefusesTheMasterAsAnOwner(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	db := unique("db")
	s.dropLater("DATABASE", db)
	c := Config{URL: s.urlAs(s.master, ""), Owners: map[string]string{db: s.master}, Passwords: map[string]string{s.master: "x"}}
	err := Run(t.Context(), c, logging.Discard())
	if err == nil || !strings.Contains(err.Error(), "master user") {
		t.Fatalf("Run = %v; want a refusal naming the master user", err)
	}
	if n := s.query("SELECT count(*)::text FROM pg_database WHERE datname = $1", db); n != "0" {
		t.Errorf("database %s was made anyway", db)
	}
}

// Two runs at once (a retried task beside the first) wait for each other
// instead of racing to make the same role and database.
func TestRunsAtOnceBothSucceed(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	c := s.config(2)
	errs := make(chan error, 2)
	for range 2 {
		go func() { errs <- Run(t.Context(), c, logging.Discard()) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	for db, role := range c.Owners {
		if owner := s.query("SELECT datdba::regrole::text FROM pg_database WHERE datname = $1", db); owner != role {
			t.Errorf("database %s is owned by %s; want %s", db, owner, role)
		}
	}
}
