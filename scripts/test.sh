#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit, fixtures, end to end,
# stress), then the hostile-input, fuzz-regression and determinism tests again
# under AddressSanitizer + UndefinedBehaviorSanitizer (scripts/sanitize.sh
# hostile, in build-asan/). This is what CI runs (.ci/run).
#
#   RACEAUDIT_SKIP_SANITIZE=1 scripts/test.sh   # only the first part
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
scripts/build.sh
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "$(nproc)" --timeout 600)
echo "test.sh: build and test suite: $((SECONDS - start)) s" >&2
if [ "${RACEAUDIT_SKIP_SANITIZE:-0}" = 1 ]; then
  echo "test.sh: RACEAUDIT_SKIP_SANITIZE=1: hostile-input tests under ASan+UBSan skipped" >&2
  exit 0
fi
start=$SECONDS
scripts/sanitize.sh hostile
echo "test.sh: hostile-input tests under ASan+UBSan (build and run): $((SECONDS - start)) s" >&2
