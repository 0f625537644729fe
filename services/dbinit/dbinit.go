// Package dbinit makes each service's PostgreSQL role and database on the
// shared server, as the master user, so that the services themselves never
// hold the master's credentials. It runs once per deployment as a one-off
// task (terraform/README.md), and again whenever a role's password
// changes; every step is idempotent. For each database it makes sure:
//
//   - the owner role exists, can log in, and has the password given
//     (sent as a SCRAM verifier, never in clear);
//   - the database exists and belongs to that role, which therefore alone
//     may create and alter what is in it (its migrations);
//   - PUBLIC may not connect to it, so another service's role cannot;
//   - anything in it the master user still owns (the tables of a
//     deployment whose services ran as the master) passes to the owner.
//
// The maintenance database it connects to is closed to PUBLIC too.
package dbinit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"
)

// initLock is the advisory lock that keeps two runs from interleaving.
const initLock = 0x636f6d616e6461 // "comanda"

// Run brings every database in c.Owners to the state the package describes.
func Run(ctx context.Context, c Config, log *slog.Logger) error {
	base, err := pgx.ParseConfig(c.URL)
	if err != nil {
		// pgx's parse errors quote the connection string.
		return errors.New("DATABASE_URL: invalid connection string")
	}
	admin, err := pgx.ConnectConfig(ctx, base)
	if err != nil {
		return fmt.Errorf("connect as the master user: %w", err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock($1)", initLock); err != nil {
		return fmt.Errorf("advisory lock: %w", err)
	}
	if err := refuseMasterAsOwner(ctx, admin, c.Owners); err != nil {
		return err
	}
	for _, db := range slices.Sorted(maps.Keys(c.Owners)) {
		role := c.Owners[db]
		moved, err := prepare(ctx, admin, base, db, role, c.Passwords[role], log)
		if err != nil {
			return fmt.Errorf("database %s, role %s: %w", db, role, err)
		}
		log.InfoContext(ctx, "database ready", "database", db, "owner", role, "objects_moved_to_owner", moved)
	}
	if err := execFormat(ctx, admin, "REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC", base.Database); err != nil {
		return fmt.Errorf("close the maintenance database %s: %w", base.Database, err)
	}
	return nil
}

// refuseMasterAsOwner fails if some database would be owned by the master
// user itself: setting that role's password would break RDS's own secret.
func refuseMasterAsOwner(ctx context.Context, conn *pgx.Conn, owners map[string]string) error {
	var master string
	if err := conn.QueryRow(ctx, "SELECT current_user").Scan(&master); err != nil {
		return fmt.Errorf("current user: %w", err)
	}
	for db, role := range owners {
		if role == master {
			return fmt.Errorf("database %s: its owner %s is the master user; give it a role of its own", db, role)
		}
	}
	return nil
}

// prepare makes role and db, and hands role what the master owns in db.
func prepare(ctx context.Context, admin *pgx.Conn, base *pgx.ConnConfig, db, role, password string, log *slog.Logger) (moved int, err error) {
	if err := ensureRole(ctx, admin, role, password); err != nil {
		return 0, err
	}
	if err := ensureDatabase(ctx, admin, db, role); err != nil {
		return 0, err
	}
	inDB := base.Copy()
	inDB.Database = db
	return adoptObjects(ctx, inDB, role, log)
}

// ensureRole makes role a login role with password, creating it if need be.
func ensureRole(ctx context.Context, conn *pgx.Conn, role, password string) error {
	verifier, err := passwordVerifier(password)
	if err != nil {
		return err
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", role).Scan(&exists); err != nil {
		return err
	}
	verb := "CREATE"
	if exists {
		verb = "ALTER"
	}
	if err := execFormat(ctx, conn, verb+" ROLE %I WITH LOGIN PASSWORD %L", role, verifier); err != nil {
		return err
	}
	// Making the role own a database, or anything in it, needs the master
	// to be able to act as the role: a non-superuser (as on RDS) gets that
	// only from membership, which PostgreSQL 16 no longer grants a role's
	// creator with the right to use it.
	return execFormat(ctx, conn, "GRANT %I TO CURRENT_USER", role)
}

// ensureDatabase makes db exist, owned by role, closed to PUBLIC.
func ensureDatabase(ctx context.Context, conn *pgx.Conn, db, role string) error {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", db).Scan(&exists); err != nil {
		return err
	}
	statement := "CREATE DATABASE %I OWNER %I"
	if exists {
		statement = "ALTER DATABASE %I OWNER TO %I"
	}
	if err := execFormat(ctx, conn, statement, db, role); err != nil {
		return err
	}
	if err := execFormat(ctx, conn, "REVOKE ALL ON DATABASE %I FROM PUBLIC", db); err != nil {
		return err
	}
	return execFormat(ctx, conn, "GRANT CONNECT, CREATE ON DATABASE %I TO %I", db, role)
}

// execFormat runs the statement that the server's format() builds from
// statement and args: %I quotes an identifier, %L a literal, %s inserts
// text as it is. Utility statements take no parameters, so this is how
// names and the verifier get into them safely.
func execFormat(ctx context.Context, conn *pgx.Conn, statement string, args ...string) error {
	var sql string
	if err := conn.QueryRow(ctx, "SELECT format($1, VARIADIC $2::text[])", statement, args).Scan(&sql); err != nil {
		return fmt.Errorf("format %q: %w", statement, err)
	}
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", statement, err)
	}
	return nil
}
