#!/bin/sh
# Runs zero_assertions_selftest: it must exit non-zero and name the case that
# made no assertions (the guard in tests/doctest_main.cpp).
set -u
out=$("$1" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -eq 0 ]; then
  echo "guard-selftest: FAIL: a test case without assertions passed" >&2
  exit 1
fi
printf '%s\n' "$out" | grep -q 'returns before checking anything" made no assertions' || {
  echo "guard-selftest: FAIL: the run failed without naming the empty case" >&2
  exit 1
}
echo "guard-selftest: ok"
