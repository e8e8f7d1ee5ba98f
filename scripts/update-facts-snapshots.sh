#!/usr/bin/env bash
# Rewrites tests/snapshots/facts/*.txt from the current binary. Read the diff
# (git diff tests/snapshots) line by line before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${RACEAUDIT:-build/src/raceaudit}
for snap in tests/snapshots/facts/*.txt; do
  stem=$(basename "$snap" .txt)
  fixture="tests/fixtures/${stem%%_*}/${stem#*_}.py"
  "$bin" facts "$fixture" > "$snap"
done
git --no-pager diff --stat -- tests/snapshots || true
