#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit, fixtures, end to end,
# stress), then the packaging check (scripts/test-packaging.sh: sdist, wheel,
# venv, pytest plugin, GitHub Action steps, pre-commit hook), then the
# sanitizer steps: the hostile-input, fuzz-regression and determinism tests
# again under AddressSanitizer + UndefinedBehaviorSanitizer (scripts/sanitize.sh
# hostile, build-asan/), and parallel scans under
# ThreadSanitizer (scripts/tsan.sh, build-tsan/). This is what CI runs (.ci/run).
#
#   RACEAUDIT_SKIP_PACKAGING=1 scripts/test.sh  # without the packaging check
#   RACEAUDIT_SKIP_SANITIZE=1 scripts/test.sh   # without the sanitizer steps
set -euo pipefail
cd "$(dirname "$0")/.."
step() {  # step NAME COMMAND...: runs it and says how long it took
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "test.sh: $name: $((SECONDS - start)) s" >&2
}
step "build and test suite" bash -c 'scripts/build.sh && cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "$(nproc)" --timeout 600'
if [ "${RACEAUDIT_SKIP_PACKAGING:-0}" = 1 ]; then
  echo "test.sh: RACEAUDIT_SKIP_PACKAGING=1: packaging check (wheel, sdist, action, pre-commit) skipped" >&2
else
  step "packaging check (sdist, wheel, venv, action steps, pre-commit)" scripts/test-packaging.sh
fi
if [ "${RACEAUDIT_SKIP_SANITIZE:-0}" = 1 ]; then
  echo "test.sh: RACEAUDIT_SKIP_SANITIZE=1: sanitizer steps (ASan+UBSan hostile tests, TSan scans) skipped" >&2
  exit 0
fi
step "hostile-input tests under ASan+UBSan (build and run)" scripts/sanitize.sh hostile
step "parallel scans under TSan (build and run)" scripts/tsan.sh
