#!/bin/sh
# The demo: installs what is missing, builds, then runs the whole kit on fresh
# files in demo-data/: a central server with the demo catalogue, the sync agent
# enrolled against it in the background, and the kiosk in the foreground.
# Closing the kiosk (staff mode > Quit, or Ctrl+C here) stops everything.
#
# usage: installer/run-demo.sh [--no-build]
# Environment: BUILD_DIR (default: build), JOBS (default: number of CPUs),
#              DEMO_PORT (default: 8765), DEMO_LANG (e.g. fr; default: the saved one).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)

case "${1:-}" in
  --no-build) ;;
  -h|--help)
    echo "usage: installer/run-demo.sh [--no-build]"
    echo "Builds (unless --no-build) and runs central server, sync agent and kiosk on fresh files in demo-data/."
    exit 0 ;;
  "") installer/build.sh ;;
  *) echo "run-demo: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

case "${BUILD_DIR:-build}" in
  /*) bin=${BUILD_DIR} ;;
  *) bin="$root/${BUILD_DIR:-build}" ;;
esac
kiosk="$bin/kiosk/alliance-kiosk"
central="$bin/central/alliance-central"
agent="$bin/sync/alliance-sync"
port=${DEMO_PORT:-8765}
data="$root/demo-data"

if [ ! -x "$kiosk" ]; then
  echo "run-demo: $kiosk was not built; run installer/build.sh and read its errors" >&2
  exit 1
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run-demo: no display; run this from a desktop session (or: xvfb-run -a installer/run-demo.sh)" >&2
  exit 1
fi

# Fresh files every time: the demo starts from an empty kiosk and server.
rm -rf "$data"
mkdir -p "$data"
chmod 700 "$data"

pids=""
stop_background() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for pid in $pids; do wait "$pid" 2>/dev/null || true; done
}
trap stop_background EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

server_url=""
if [ -x "$central" ]; then
  if [ -f assets/demo/catalog.json ]; then
    "$central" import-catalog --db "$data/central.db" assets/demo/catalog.json
  fi
  "$central" serve --db "$data/central.db" --listen "127.0.0.1:$port" \
    >"$data/central.log" 2>&1 &
  central_pid=$!
  pids="$pids $central_pid"
  # Bounded wait for the server to listen (or to give up, e.g. port in use).
  tries=0
  until grep -q server_listening "$data/central.log" 2>/dev/null; do
    if ! kill -0 "$central_pid" 2>/dev/null || [ "$tries" -ge 50 ]; then
      echo "run-demo: alliance-central did not start (port $port in use? try DEMO_PORT=...):" >&2
      tail -n 5 "$data/central.log" >&2
      exit 1
    fi
    tries=$((tries + 1))
    sleep 0.1
  done
  server_url="http://127.0.0.1:$port"
  echo "run-demo: alliance-central serving $server_url (log: $data/central.log)"
else
  echo "run-demo: alliance-central is not built; starting the kiosk alone"
fi

if [ -n "$server_url" ] && [ -x "$agent" ]; then
  code=$("$central" enroll-code --db "$data/central.db" --office "Demo office")
  "$agent" enroll --db "$data/kiosk.db" --server "$server_url" --code "$code"
  "$agent" run --db "$data/kiosk.db" >"$data/agent.log" 2>&1 &
  pids="$pids $!"
  echo "run-demo: alliance-sync running in the background (log: $data/agent.log)"
elif [ -n "$server_url" ]; then
  echo "run-demo: alliance-sync is not built; the kiosk will keep its records locally"
fi

echo "run-demo: files in $data:"
echo "  kiosk.db     the kiosk's records and outbox"
if [ -n "$server_url" ]; then
  echo "  central.db   the central server's store"
  echo "  *.log        what the server and agent logged"
  echo "run-demo: to see what reached the central server:"
  echo "  $central export --db $data/central.db members"
fi
if [ -n "${code:-}" ]; then
  echo "run-demo: staff mode: \"Staff\" on the welcome screen. The first time, it asks for this"
  echo "  kiosk's enrolment code, $code, then for a new PIN of 6 or more digits, twice."
else
  echo "run-demo: staff mode: \"Staff\" on the welcome screen. This kiosk is not enrolled, so"
  echo "  set its first PIN here first: $kiosk set-pin --db $data/kiosk.db"
fi

# In the foreground, not exec: the EXIT trap must stop the background processes.
set +e
if [ -n "${DEMO_LANG:-}" ]; then
  "$kiosk" --db "$data/kiosk.db" --lang "$DEMO_LANG"
else
  "$kiosk" --db "$data/kiosk.db"
fi
status=$?
set -e
echo "run-demo: kiosk closed; stopping the background processes"
exit "$status"
