#!/usr/bin/env bash
# A real streaming replica, and the platform against it and its primary (issue 14, docs/scaling.md).
#
#     scripts/replica_check.sh            # as root (the servers run as the postgres OS user) or as postgres
#
# Starts a primary cluster with Debian's PostgreSQL binaries on PRIMARY_PORT, clones it with
# `pg_basebackup -R` into a hot standby on REPLICA_PORT (streaming replication), then runs
# scripts/replica_check.py with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the replica. Both
# clusters live in a temporary folder and are stopped and removed at the end. The primary is a fresh cluster
# rather than the shared test cluster because replication connections need a `replication` line in
# pg_hba.conf, which the test cluster may not have (the one on the CI machine has none).
set -euo pipefail

cd "$(dirname "$0")/.."
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PRIMARY_PORT=${PRIMARY_PORT:-55432}
REPLICA_PORT=${REPLICA_PORT:-55433}
PYTHON=${PYTHON:-.venv/bin/python}
WORK=$(mktemp -d /tmp/ciqcredit-replica-XXXXXX)

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

cleanup() {
    for node in replica primary; do
        if [ -f "$WORK/$node/postmaster.pid" ]; then
            as_postgres "$PGBIN/pg_ctl" -D "$WORK/$node" -m fast -w stop >/dev/null || true
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
chown postgres "$WORK" 2>/dev/null || true
chmod 700 "$WORK"

echo "== primary: initdb, port $PRIMARY_PORT"
as_postgres "$PGBIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$WORK/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$WORK'
wal_level = replica
max_wal_senders = 4
hot_standby = on
CONF
as_postgres "$PGBIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null

echo "== replica: pg_basebackup -R from the primary, port $REPLICA_PORT"
as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$WORK/replica" -R -X stream -c fast
sed -i "s/^port = $PRIMARY_PORT/port = $REPLICA_PORT/" "$WORK/replica/postgresql.conf"
as_postgres "$PGBIN/pg_ctl" -D "$WORK/replica" -l "$WORK/replica.log" -w start >/dev/null

psql() { "$PGBIN/psql" -X -h 127.0.0.1 -U postgres -At "$@"; }
psql -p "$PRIMARY_PORT" -d postgres -c "CREATE DATABASE ciqcredit" >/dev/null
echo "   replication: $(psql -p "$PRIMARY_PORT" -d postgres -c \
    "SELECT application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication")"

echo "== the platform against both"
DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/ciqcredit" \
DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/ciqcredit" \
    "$PYTHON" scripts/replica_check.py

echo "== the primary's view of the replica (pg_stat_replication)"
psql -p "$PRIMARY_PORT" -d postgres -c \
    "SELECT state, write_lag, flush_lag, replay_lag, pg_wal_lsn_diff(sent_lsn, replay_lsn) AS bytes_behind FROM pg_stat_replication"
