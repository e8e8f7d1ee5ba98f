#!/usr/bin/env bash
# Builds the raceaudit binary (only it: no tests) and scans the bundled example project.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TARGETS=raceaudit scripts/build.sh
echo "+ raceaudit scan --show-source examples/inventory_fs" >&2
status=0
build/src/raceaudit scan --show-source examples/inventory_fs || status=$?
# 1 means "hazards found", which is what the demo is for.
[ "$status" -le 1 ] || exit "$status"
