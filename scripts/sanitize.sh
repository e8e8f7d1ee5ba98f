#!/usr/bin/env bash
# Builds raceaudit and its tests with AddressSanitizer + UndefinedBehaviorSanitizer
# (-DRACEAUDIT_SANITIZE=ON) into build-asan/ and runs the test suite under it.
#
#   scripts/sanitize.sh            # the whole ctest suite
#   scripts/sanitize.sh hostile    # only the hostile-input, fuzz-regression and determinism tests
#   scripts/sanitize.sh -- ARGS    # extra ctest arguments (e.g. -R Hostile)
#
# Any sanitizer report fails the run: UBSan halts on the first error, ASan
# exits with 1 and its report is on stderr (the e2e tests also look for it),
# LeakSanitizer reports leaks at exit.
#
# The build is -O1 -g1 (line tables: reports still name file:line) instead of
# RelWithDebInfo's -O2 -g: it compiles in about half the time, which is what
# lets scripts/test.sh (CI) afford it, and -O1 is what ASan recommends.
# tests/CMakeLists.txt builds the e2e harness at -O0 here: it only starts the
# sanitized binaries and reads their output.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${SANITIZE_BUILD_DIR:-build-asan}
JOBS=${JOBS:-$(nproc)}
scripts/setup.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRACEAUDIT_SANITIZE=ON \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" >/dev/null
mode=all
case "${1:-}" in
  hostile) mode=hostile; shift ;;
  --) shift ;;
esac
[ "${1:-}" = "--" ] && shift
if [ "$mode" = hostile ]; then
  # Only what those tests run: the binary, the fuzz replay and the e2e tests.
  cmake --build "$BUILD_DIR" -j "$JOBS" --target raceaudit scan_fuzz_replay e2e_tests
else
  cmake --build "$BUILD_DIR" -j "$JOBS"
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1:check_initialization_order=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Timeouts inside the e2e tests (hang detection) are scaled x3 automatically
# under ASan; RACEAUDIT_TEST_TIME_SCALE multiplies them further on slow machines.

filter=()
[ "$mode" = hostile ] && filter=(-R '^(Hostile|FuzzRegressions|Determinism)|^fuzz_regressions$')
cd "$BUILD_DIR"
ctest --output-on-failure -j "$JOBS" --timeout 900 "${filter[@]}" "$@"
