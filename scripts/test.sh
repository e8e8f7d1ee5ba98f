#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit, fixtures, end to end,
# stress; the stress tests also under the free-threaded CPython 3.13 that
# scripts/setup-free-threaded.sh builds once into the raceaudit cache, in the
# background while raceaudit compiles, and that a failed build fails), then the packaging check (scripts/test-packaging.sh: sdist, wheel,
# venv, pytest plugin, GitHub Action steps, pre-commit hook), then the
# sanitizer steps: the hostile-input, fuzz-regression and determinism tests
# again under AddressSanitizer + UndefinedBehaviorSanitizer (scripts/sanitize.sh
# hostile, build-asan/), and parallel scans under
# ThreadSanitizer (scripts/tsan.sh, build-tsan/). This is what CI runs (.ci/run).
#
#   RACEAUDIT_SKIP_FREE_THREADED=1 scripts/test.sh  # no free-threaded build; its tests skip
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
# raceaudit's build dependencies first, so that its apt-get and the
# interpreter build's never run at the same time (build.sh repeats this: a no-op).
scripts/setup.sh
ft_pid=
ft_log=
if [ "${RACEAUDIT_SKIP_FREE_THREADED:-0}" = 1 ]; then
  echo "test.sh: RACEAUDIT_SKIP_FREE_THREADED=1: free-threaded CPython not built; the tests that need it skip" >&2
elif ft=$(scripts/setup-free-threaded.sh --print-path); then
  echo "test.sh: free-threaded CPython: $ft (built before)" >&2
else
  # Nice'd, so that the raceaudit build keeps the cores it wants; the
  # interpreter's configure and its serial parts fill the gaps.
  ft_log=$(mktemp)
  echo "test.sh: building the free-threaded CPython in the background (log: $ft_log)" >&2
  nice -n 10 scripts/setup-free-threaded.sh >"$ft_log" 2>&1 &
  ft_pid=$!
fi
ft_start=$SECONDS
step "build" scripts/build.sh
if [ -n "$ft_pid" ]; then
  if ! wait "$ft_pid"; then
    cat "$ft_log" >&2
    echo "test.sh: the free-threaded CPython build failed (RACEAUDIT_SKIP_FREE_THREADED=1 skips it)" >&2
    exit 1
  fi
  echo "test.sh: free-threaded CPython build (in the background since the start): $((SECONDS - ft_start)) s" >&2
  rm -f "$ft_log"
fi
if [ "${RACEAUDIT_SKIP_FREE_THREADED:-0}" != 1 ]; then
  export RACEAUDIT_REQUIRE_FREE_THREADED=1  # its tests fail instead of skipping if it is not there
fi
step "test suite" bash -c 'cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "$(nproc)" --timeout 600'
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
