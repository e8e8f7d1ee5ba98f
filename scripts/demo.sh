#!/usr/bin/env bash
# Builds everything and scans the bundled example project.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
echo "+ raceaudit scan --show-source examples/inventory_fs" >&2
status=0
build/src/raceaudit scan --show-source examples/inventory_fs || status=$?
# 1 means "hazards found", which is what the demo is for.
[ "$status" -le 1 ] || exit "$status"
