#!/bin/sh
# Installs what is missing and builds everything in $BUILD_DIR (default: build),
# with warnings as errors. Used by run-demo.sh and run-tests.sh.
set -eu
cd "$(dirname "$0")/.."

installer/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALLIANCE_WERROR=ON
cmake --build "$BUILD_DIR" --parallel "$JOBS"
