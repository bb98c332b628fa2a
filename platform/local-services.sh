#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL and Redis on 127.0.0.1 for tests and benches.
#   platform/local-services.sh start|stop|status|env|stop-redis|start-redis|restart-postgres
#                              |start-replica|stop-replica|replica-env
# (stop-redis and start-redis let fault tests take the broker away and back;
# restart-postgres restarts the database in fast mode, dropping every connection;
# start-replica makes a streaming hot standby of the running primary with
# pg_basebackup on $REPLICA_PORT, a fresh copy each time, and prints its
# DATABASE_REPLICA_URL; stop-replica stops it.)
# Data lives in $SERVICES_DIR (default /tmp/gplatform-services) and is not durable
# (fsync is off): never point production at it. PostgreSQL refuses to run as root,
# so as root it runs as the unprivileged 'postgres' user (created if missing).
set -euo pipefail

SERVICES_DIR=${SERVICES_DIR:-/tmp/gplatform-services}
PG_PORT=${PG_PORT:-54329}
REDIS_PORT=${REDIS_PORT:-63790}
PG_DB=${PG_DB:-gplatform}
PG_DATA="$SERVICES_DIR/postgres"
REDIS_DIR="$SERVICES_DIR/redis"
REPLICA_PORT=${REPLICA_PORT:-$((PG_PORT + 1))}
REPLICA_DATA="$SERVICES_DIR/replica"

die() { echo "local-services: $*" >&2; exit 1; }

pg_bin() {
  local dir
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)"
  echo "$dir"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

print_env() {
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
  echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

start_postgres() {
  local bin; bin=$(pg_bin)
  mkdir -p "$SERVICES_DIR"; chmod 755 "$SERVICES_DIR"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = 0 ] && { id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown postgres "$PG_DATA"; }
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$SERVICES_DIR/initdb.log" 2>&1 \
      || { cat "$SERVICES_DIR/initdb.log" >&2; die "initdb failed"; }
  fi
  if ! as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
      -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      >/dev/null || { tail -n 20 "$PG_DATA/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  if ! as_pg "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$PG_DB'" postgres | grep -q 1; then
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DB"
  fi
}

restart_postgres() {
  local bin port; bin=$(pg_bin)
  # Never restart another cluster than the one on $PG_PORT (say, a shared one).
  port=$(sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null || true)
  [ "$port" = "$PG_PORT" ] || die "no PostgreSQL of $PG_DATA running on port $PG_PORT"
  # The options of the last start are reused (postmaster.opts).
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -m fast -w -t 60 restart \
    >/dev/null || { tail -n 20 "$PG_DATA/server.log" >&2; die "PostgreSQL did not restart"; }
}

print_replica_env() {
  echo "export DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/$PG_DB"
}

stop_replica() {
  if [ -f "$REPLICA_DATA/PG_VERSION" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$REPLICA_DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

start_replica() {
  local bin; bin=$(pg_bin)
  as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 || die "start the primary first (start)"
  stop_replica
  rm -rf "$REPLICA_DATA"
  mkdir -p "$REPLICA_DATA"; chmod 700 "$REPLICA_DATA"
  [ "$(id -u)" = 0 ] && chown postgres "$REPLICA_DATA"
  # A base backup streaming its WAL, with standby.signal and primary_conninfo (-R).
  as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$REPLICA_DATA" \
    -R -X stream -c fast >"$SERVICES_DIR/basebackup.log" 2>&1 \
    || { cat "$SERVICES_DIR/basebackup.log" >&2; die "pg_basebackup failed"; }
  as_pg "$bin/pg_ctl" -D "$REPLICA_DATA" -l "$REPLICA_DATA/server.log" -w -t 60 start \
    -o "-p $REPLICA_PORT -k $REPLICA_DATA -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off -c max_connections=200" \
    >/dev/null || { tail -n 20 "$REPLICA_DATA/server.log" >&2; die "the replica did not start"; }
}

start_redis() {
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
  mkdir -p "$REDIS_DIR"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$REDIS_DIR" \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$REDIS_PORT" ping >/dev/null || die "Redis did not start"
  fi
}

case "${1:-}" in
  start)
    start_postgres
    start_redis
    echo "# PostgreSQL on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$REDIS_PORT are up. Export:" >&2
    print_env
    ;;
  start-redis)
    start_redis
    ;;
  stop-redis)
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    ;;
  restart-postgres)
    restart_postgres
    ;;
  start-replica)
    start_replica
    echo "# A hot standby of 127.0.0.1:$PG_PORT streams on 127.0.0.1:$REPLICA_PORT. Export:" >&2
    print_replica_env
    ;;
  stop-replica)
    stop_replica
    ;;
  replica-env)
    print_replica_env
    ;;
  stop)
    stop_replica
    if [ -f "$PG_DATA/PG_VERSION" ]; then
      as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    echo "local services stopped" >&2
    ;;
  status)
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" status || true
    redis-cli -p "$REDIS_PORT" ping || true
    ;;
  env)
    print_env
    ;;
  *)
    die "usage: $0 start|stop|status|env|stop-redis|start-redis|restart-postgres|start-replica|stop-replica|replica-env"
    ;;
esac
