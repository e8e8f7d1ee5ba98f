#!/usr/bin/env bash
# Builds raceaudit with ThreadSanitizer (-DRACEAUDIT_TSAN=ON) into build-tsan/
# and runs parallel scans that must produce no TSan report:
#   examples/, tests/fixtures/, and a big real tree (default /usr/lib/python3.11;
#   TSAN_BIG_TREE=DIR to change, TSAN_BIG_TREE= to skip).
# Each scan runs with --jobs 2 and --min-confidence low, TSAN_OPTIONS
# halt_on_error=1 exitcode=66: exit 66 means a data race (or other TSan
# report). Exit codes 0 and 1 (findings) are fine.
# Built -O1 -g1 like the ASan tree (scripts/sanitize.sh): 2 minutes from
# scratch on 2 cores, so that scripts/test.sh (CI) can run it.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${TSAN_BUILD_DIR:-build-tsan}
JOBS=${JOBS:-$(nproc)}
scripts/setup.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRACEAUDIT_TSAN=ON \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target raceaudit

export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
bin=$BUILD_DIR/src/raceaudit
big=${TSAN_BIG_TREE-/usr/lib/python3.11}
targets=(examples tests/fixtures)
[ -n "$big" ] && [ -d "$big" ] && targets+=("$big")
log_dir=$BUILD_DIR/tsan-logs
mkdir -p "$log_dir"
status=0
for t in "${targets[@]}"; do
  name=$(echo "$t" | tr '/' '_')
  start=$(date +%s)
  set +e
  "$bin" scan --jobs 2 --min-confidence low "$t" > "$log_dir/$name.out" 2> "$log_dir/$name.err"
  rc=$?
  set -e
  files=$(grep -oE 'in [0-9]+ files?' "$log_dir/$name.out" | tail -1)
  if [ "$rc" -eq 66 ] || grep -q "ThreadSanitizer" "$log_dir/$name.err"; then
    echo "tsan.sh: $t: ThreadSanitizer report (exit $rc):" >&2
    sed -n '/WARNING: ThreadSanitizer/,/SUMMARY/p' "$log_dir/$name.err" | head -80 >&2
    status=1
  elif [ "$rc" -gt 1 ]; then
    echo "tsan.sh: $t: raceaudit failed (exit $rc):" >&2
    tail -5 "$log_dir/$name.err" >&2
    status=1
  else
    echo "tsan.sh: $t: clean (exit $rc, ${files:-?}, $(( $(date +%s) - start ))s)" >&2
  fi
done
exit $status
