#!/bin/sh
# Installs what is missing, builds, and runs the demo.
#
# usage: installer/run-demo.sh
# Environment: BUILD_DIR (default: build), JOBS (default: number of CPUs).
set -eu
cd "$(dirname "$0")/.."

installer/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLIANCE_WERROR=ON
cmake --build "$BUILD_DIR" --parallel "$JOBS"

# Until the programs exist, the demo shows the device store at work: durable
# saves and member search, measured.
exec "$BUILD_DIR/tests/bench/bench_store" --quick
