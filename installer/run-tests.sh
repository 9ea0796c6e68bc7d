#!/bin/sh
# Installs what is missing, builds with warnings as errors, and runs every test.
#
# usage: installer/run-tests.sh [ctest arguments...]
#   e.g. installer/run-tests.sh -R search      (only tests whose name matches)
# Environment: BUILD_DIR (default: build), JOBS (default: number of CPUs).
set -eu
cd "$(dirname "$0")/.."

installer/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLIANCE_WERROR=ON
cmake --build "$BUILD_DIR" --parallel "$JOBS"
cd "$BUILD_DIR"
ctest --output-on-failure --parallel "$JOBS" "$@"
