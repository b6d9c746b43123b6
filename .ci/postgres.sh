#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for the server tests. Idempotent: safe to run again.
# Prints only the export line on stdout; use it as:  eval "$(bash .ci/postgres.sh)"
# Also writes the URL to $EXPO_HALL_PG_URL_FILE (default /tmp/expo_hall_pg/url).
set -euo pipefail

PORT="${EXPO_HALL_PG_PORT:-54329}"
ROOT="${EXPO_HALL_PG_DIR:-/tmp/expo_hall_pg}"
DATA="$ROOT/data"
URL_FILE="${EXPO_HALL_PG_URL_FILE:-$ROOT/url}"
ROLE=expo_hall
DB=expo_hall_test
log() { echo "postgres.sh: $*" >&2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN="$(find_bin)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BIN="$(find_bin)"
fi

# initdb and postgres refuse to run as root: run them as the postgres user then.
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    as_pg() { runuser -u postgres -- "$@"; }
    mkdir -p "$ROOT" && chown postgres: "$ROOT"
    SUPER=postgres
else
    as_pg() { "$@"; }
    mkdir -p "$ROOT"
    SUPER="$(id -un)"
fi

if [ ! -s "$DATA/PG_VERSION" ]; then
    log "creating a cluster in $DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U "$SUPER" -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
fi
if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    log "starting it on 127.0.0.1:$PORT"
    # Test data only: durability is not needed, speed is.
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$ROOT/server.log" -w -t 30 start \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $ROOT -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c max_connections=200" >/dev/null
fi

psql_super() { as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$SUPER" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_super -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
    psql_super -c "CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE'" >/dev/null
fi
# each test run makes a database of its own (tests/pg.py): runs side by side do not drop each other's tables
psql_super -c "ALTER ROLE $ROLE CREATEDB" >/dev/null
if [ "$(psql_super -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    psql_super -c "CREATE DATABASE $DB OWNER $ROLE" >/dev/null
fi

URL="postgresql+psycopg://$ROLE:$ROLE@127.0.0.1:$PORT/$DB"
echo "$URL" > "$URL_FILE"
log "ready: $URL"
echo "export EXPO_HALL_TEST_PG=$URL"
