package dbinit

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
)

// alterKeyword is the ALTER statement that changes the owner of each kind
// of object pg_identify_object names.
var alterKeyword = map[string]string{
	"table":             "TABLE",
	"view":              "VIEW",
	"materialized view": "MATERIALIZED VIEW",
	"sequence":          "SEQUENCE",
	"foreign table":     "FOREIGN TABLE",
	"function":          "FUNCTION",
	"procedure":         "PROCEDURE",
	"aggregate":         "AGGREGATE",
	"type":              "TYPE",
	"composite type":    "TYPE",
	"domain":            "DOMAIN",
	"schema":            "SCHEMA",
}

// ownedByCurrentUser lists what the connected user owns in the connected
// database: schemas first (the new owner of what is in a schema needs to
// be allowed to create in it), then tables, then the rest. A table takes
// its indexes and the sequences of its serial and identity columns along
// when its owner changes.
const ownedByCurrentUser = `
SELECT o.type, o.identity
FROM pg_shdepend d
CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
WHERE d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND d.refclassid = 'pg_authid'::regclass
  AND d.refobjid = (SELECT oid FROM pg_roles WHERE rolname = current_user)
  AND d.deptype = 'o'
ORDER BY CASE o.type WHEN 'schema' THEN 0 WHEN 'table' THEN 1 ELSE 2 END, o.identity`

// adoptObjects gives role what the master user owns in the database cc
// names, and reports how many objects it moved. Kinds it does not know
// are left, with a warning: the owner's migrations fail on them loudly.
func adoptObjects(ctx context.Context, cc *pgx.ConnConfig, role string, log *slog.Logger) (int, error) {
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return 0, fmt.Errorf("connect as the master user: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	moved := 0
	// Twice: the second listing no longer holds what the tables took along.
	for _, firstPass := range []bool{true, false} {
		objects, err := ownedObjects(ctx, conn)
		if err != nil {
			return moved, err
		}
		for _, o := range objects {
			if firstPass && o.kind != "schema" && o.kind != "table" {
				break
			}
			keyword, known := alterKeyword[o.kind]
			if !known {
				log.WarnContext(ctx, "left to the master user", "database", cc.Database, "object", o.kind+" "+o.identity)
				continue
			}
			if err := execFormat(ctx, conn, "ALTER "+keyword+" %s OWNER TO %I", o.identity, role); err != nil {
				return moved, err
			}
			moved++
		}
	}
	return moved, nil
}

type object struct{ kind, identity string }

func ownedObjects(ctx context.Context, conn *pgx.Conn) ([]object, error) {
	rows, err := conn.Query(ctx, ownedByCurrentUser)
	if err != nil {
		return nil, fmt.Errorf("list the master user's objects: %w", err)
	}
	objects, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (object, error) {
		var o object
		return o, r.Scan(&o.kind, &o.identity)
	})
	if err != nil {
		return nil, fmt.Errorf("list the master user's objects: %w", err)
	}
	return objects, nil
}
