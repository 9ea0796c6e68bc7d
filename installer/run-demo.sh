#!/bin/sh
# Installs what is missing, builds, and runs the demo.
#
# usage: installer/run-demo.sh
# Environment: BUILD_DIR (default: build), JOBS (default: number of CPUs).
set -eu
cd "$(dirname "$0")/.."
installer/build.sh

# Until the programs exist, the demo shows the device store at work: durable
# saves and member search, measured.
exec "${BUILD_DIR:-build}/tests/bench/bench_store" --quick
