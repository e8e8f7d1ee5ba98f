#!/usr/bin/env bash
# Installs what is missing, configures and builds raceaudit into build/ (or $BUILD_DIR):
# everything, or only BUILD_TARGETS (e.g. BUILD_TARGETS=raceaudit, what scripts/demo.sh builds).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
targets=()
for t in ${BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$BUILD_DIR" -j "$(nproc)" "${targets[@]}"
