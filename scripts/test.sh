#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit, fixtures, end to end, stress).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j "$(nproc)" --timeout 600
