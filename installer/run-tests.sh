#!/bin/sh
# Installs what is missing, builds with warnings as errors, and runs every test.
#
# usage: installer/run-tests.sh [ctest arguments...]
#   e.g. installer/run-tests.sh -R search      (only tests whose name matches)
# Environment: BUILD_DIR (default: build), JOBS (default: number of CPUs).
set -eu
cd "$(dirname "$0")/.."
installer/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --parallel "${JOBS:-$(nproc 2>/dev/null || echo 2)}" "$@"
