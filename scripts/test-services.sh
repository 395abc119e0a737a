#!/usr/bin/env bash
# Starts and stops the servers the tests need besides the console itself, each private to one run:
#   scripts/test-services.sh start DIR   starts them under DIR and prints `export NAME=value` lines for the tests
#   scripts/test-services.sh stop DIR    stops whatever was started under DIR (safe to call twice, or after a failed start)
# PostgreSQL: a throw-away cluster on a free loopback port, trust authentication, owned by the `postgres` system user
# (initdb refuses to run as root). Its address is exported as VODCONSOLE_TEST_POSTGRES (an Npgsql connection string to
# the `postgres` maintenance database; tests create and drop databases of their own on it).
set -euo pipefail

command=${1:-}
dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$found" ]; then
    echo "PostgreSQL's server is not installed: run 'apt-get install -y postgresql' as root (./test.sh does it)." >&2
    return 1
  fi
  echo "$found"
}

# Runs a PostgreSQL server program as the postgres user when we are root (initdb and postgres refuse root).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_postgres() {
  local bin data port
  bin=$(pg_bin)
  data="$dir/postgres"
  mkdir -p "$data"
  [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir" "$data"
  chmod 700 "$data"
  as_postgres "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/postgres-initdb.log" 2>&1 \
    || { cat "$dir/postgres-initdb.log" >&2; return 1; }
  port=$(free_port)
  # fsync off: a test cluster is thrown away, and durability costs most of the time of a small transaction.
  as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$data/server.log" >&2; return 1; }
  echo "export VODCONSOLE_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
}

stop_postgres() {
  local bin data="$dir/postgres"
  [ -f "$data/postmaster.pid" ] || return 0
  bin=$(pg_bin) || return 0
  as_postgres "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
}

case "$command" in
  start)
    mkdir -p "$dir"
    start_postgres
    ;;
  stop)
    stop_postgres
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
