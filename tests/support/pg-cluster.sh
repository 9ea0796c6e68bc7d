#!/bin/sh
# A throwaway PostgreSQL cluster for tests: start one in a new temporary folder, or stop one.
#
#   pg-cluster.sh start [--durable] [STATE_FILE]
#       prints "DIR URL"; with STATE_FILE, also writes it there
#   pg-cluster.sh stop DIR|STATE_FILE
#       stops the cluster and removes its folder
#
# The cluster belongs to an unprivileged user: the caller, or "nobody" when
# run as root (PostgreSQL refuses to run as root). It listens on 127.0.0.1
# at a random free port and on a socket in its own folder, trusts local
# connections (user alliance_test), and runs with fsync off; --durable keeps
# PostgreSQL's defaults (fsync, synchronous_commit, full_page_writes on), as a
# production server runs, for benchmarks (tests/bench). Every wait is
# bounded (pg_ctl -t). Debian's server binaries are found by globbing
# /usr/lib/postgresql/*/bin, newest version first.
set -eu

fail() { echo "pg-cluster.sh: $*" >&2; exit 1; }

bindir=""
for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
  if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then bindir=$dir; break; fi
done
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then bindir=$(dirname "$(command -v initdb)"); fi
[ -n "$bindir" ] || fail "no PostgreSQL server found (initdb, pg_ctl); run installer/install-deps.sh (package postgresql)"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
start)
  shift
  durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if [ "${1:-}" = "--durable" ]; then durability=""; shift; fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/alliance-pg.XXXXXX")
  chmod 0700 "$dir"
  [ "$(id -u)" -ne 0 ] || chown nobody "$dir"
  if ! as_owner "$bindir/initdb" -D "$dir/data" -U alliance_test --auth=trust -E UTF8 \
      --locale=C.UTF-8 --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    fail "initdb failed"
  fi
  started=""
  for attempt in 1 2 3 4 5; do
    port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=200" \
        start >/dev/null 2>&1; then
      started=yes
      break
    fi
  done
  if [ -z "$started" ]; then
    cat "$dir/server.log" >&2 || true
    rm -rf "$dir"
    fail "the test cluster did not start"
  fi
  line="$dir postgresql://alliance_test@127.0.0.1:$port/postgres"
  if [ $# -ge 1 ]; then printf '%s\n' "$line" >"$1"; fi
  printf '%s\n' "$line"
  ;;
stop)
  target=${2:-}
  [ -n "$target" ] || fail "stop needs the cluster's folder or state file"
  if [ -f "$target" ]; then target=$(cut -d' ' -f1 "$target"); fi
  case "$target" in
  */alliance-pg.*) ;;
  *) fail "refusing to remove $target: not a test cluster folder" ;;
  esac
  if [ -d "$target/data" ]; then
    as_owner "$bindir/pg_ctl" -D "$target/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$target"
  ;;
*)
  fail "usage: pg-cluster.sh start [--durable] [STATE_FILE] | stop DIR|STATE_FILE"
  ;;
esac
