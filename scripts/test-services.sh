#!/usr/bin/env bash
# Starts and stops the servers the tests need besides the console itself, each private to one run:
#   scripts/test-services.sh start DIR [SERVICE...]   starts them (all, or only postgres / s3) under DIR and prints
#                                                     `export NAME=value` lines for the tests
#   scripts/test-services.sh stop DIR                 stops whatever was started under DIR (safe to call twice, or after a failed start)
# PostgreSQL: a throw-away cluster on a free loopback port, trust authentication, owned by the `postgres` system user
# (initdb refuses to run as root). Its address is exported as VODCONSOLE_TEST_POSTGRES (an Npgsql connection string to
# the `postgres` maintenance database; tests create and drop databases of their own on it).
# S3: s3rver from npm (tools/s3rver, installed with `npm ci` when missing) on a free loopback port, its objects under
# DIR/s3; exported as VODCONSOLE_TEST_S3 (the service URL) and VODCONSOLE_TEST_S3_BUCKET (a bucket it created).
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

start_s3() {
  local tools port bucket=media
  tools="$(cd "$(dirname "$0")/.." && pwd)/tools/s3rver"
  if [ ! -d "$tools/node_modules/s3rver" ]; then
    command -v npm >/dev/null 2>&1 || { echo "npm is not installed: run 'apt-get install -y nodejs npm' as root (./test.sh does it)." >&2; return 1; }
    npm ci --prefix "$tools" --no-audit --no-fund >"$dir/s3rver-install.log" 2>&1 || { cat "$dir/s3rver-install.log" >&2; return 1; }
  fi
  mkdir -p "$dir/s3"
  port=$(free_port)
  nohup node "$tools/serve.js" "$port" "$dir/s3" "$bucket" >"$dir/s3rver.log" 2>&1 </dev/null &
  echo $! >"$dir/s3rver.pid"
  for _ in $(seq 1 300); do
    grep -q '^ready' "$dir/s3rver.log" && break
    kill -0 "$(cat "$dir/s3rver.pid")" 2>/dev/null || { cat "$dir/s3rver.log" >&2; return 1; }
    sleep 0.1
  done
  grep -q '^ready' "$dir/s3rver.log" || { echo "s3rver did not start within 30 s" >&2; cat "$dir/s3rver.log" >&2; return 1; }
  echo "export VODCONSOLE_TEST_S3=http://127.0.0.1:$port"
  echo "export VODCONSOLE_TEST_S3_BUCKET=$bucket"
}

stop_s3() {
  [ -f "$dir/s3rver.pid" ] || return 0
  kill "$(cat "$dir/s3rver.pid")" 2>/dev/null || true
  rm -f "$dir/s3rver.pid"
}

case "$command" in
  start)
    mkdir -p "$dir"
    services=("${@:3}")
    [ ${#services[@]} -gt 0 ] || services=(postgres s3)
    for service in "${services[@]}"; do
      case "$service" in
        postgres) start_postgres ;;
        s3) start_s3 ;;
        *) echo "unknown service '$service' (postgres, s3)" >&2; exit 2 ;;
      esac
    done
    ;;
  stop)
    stop_s3
    stop_postgres
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
