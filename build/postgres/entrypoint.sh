#!/bin/bash
# The PostgreSQL image's entrypoint, built from Debian's postgresql-15 for
# machines with no registry. It keeps the official postgres image's
# contract as far as the harness and testcontainers' postgres module use
# it: POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required),
# POSTGRES_DB (default: the user), PGDATA, PGPORT; `postgres [args…]` (the
# default command) initialises an empty PGDATA, then runs the server with
# args; any other command runs as given. It runs as the postgres user and
# listens on POSTGRES_LISTEN (default *; 127.0.0.1 with host networking).
set -euo pipefail
export PATH=/usr/lib/postgresql/15/bin:$PATH
export PGDATA=${PGDATA:-/var/lib/postgresql/data}

if [ "${1:-postgres}" != postgres ]; then
	exec "$@"
fi
[ $# -gt 0 ] && shift

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	user=${POSTGRES_USER:-postgres}
	db=${POSTGRES_DB:-$user}
	: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
	mkdir -p "$PGDATA"
	chmod 700 "$PGDATA"
	pwfile=$(mktemp)
	printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"
	initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
		--auth-host=scram-sha-256 --auth-local=trust >/dev/null
	rm -f "$pwfile"
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
	if [ "$db" != postgres ]; then
		echo "CREATE DATABASE \"$db\" OWNER \"$user\"" | postgres --single -D "$PGDATA" postgres >/dev/null
	fi
	echo "comanda-postgres: initialised $PGDATA (user $user, database $db)"
fi

exec postgres -D "$PGDATA" -c listen_addresses="${POSTGRES_LISTEN:-*}" \
	-c unix_socket_directories=/tmp "$@"
