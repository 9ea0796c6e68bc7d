#!/bin/sh
# Runs a test command only when every tool it needs is on PATH; otherwise the
# test fails with the name of what is missing. A test that cannot run must
# never pass (or vanish from the list), or CI hides a missing dependency.
#
# usage: require-tools.sh TOOL... -- COMMAND [ARG...]
set -eu
missing=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  command -v "$1" >/dev/null 2>&1 || missing="$missing $1"
  shift
done
if [ $# -eq 0 ]; then
  echo "require-tools: usage: require-tools.sh TOOL... -- COMMAND [ARG...]" >&2
  exit 2
fi
shift
if [ -n "$missing" ]; then
  echo "require-tools: FAIL: missing:$missing; run installer/install-deps.sh" >&2
  exit 1
fi
exec "$@"
