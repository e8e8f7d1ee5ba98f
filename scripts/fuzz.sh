#!/usr/bin/env bash
# Builds the libFuzzer target (clang, ASan+UBSan) into build-fuzz/ and fuzzes
# the scan pipeline for SECONDS (default 300) on one core.
#
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#
# Seeds: tests/fixtures and examples (one file each, plus the example package
# as one multi-file input), tests/fuzz-regressions, and the working corpus
# fuzz/corpus-work/ (git-ignored, kept between runs). Crashes, timeouts and
# out-of-memory inputs go to fuzz/artifacts/ (git-ignored by fuzz/.gitignore);
# minimize one with
#   build-fuzz/scan_fuzzer -minimize_crash=1 -runs=100000 fuzz/artifacts/crash-...
# and add it to tests/fuzz-regressions/ (docs/reliability.md).
# Keeps going after a crash, so known bugs do not stop the search; prints the
# number of executions and a summary of distinct crash sites at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-300}
shift || true
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
CC_BIN=${CC:-clang}
CXX_BIN=${CXX:-clang++}
command -v "$CXX_BIN" >/dev/null || { echo "fuzz.sh: $CXX_BIN not found (apt-get install clang libclang-rt-dev)" >&2; exit 2; }

# Configure: through the top level when it adds fuzz/, else fuzz/ on its own.
if grep -Eq 'add_subdirectory\(\s*fuzz\s*\)' CMakeLists.txt; then
  src=. ; extra=(-DRACEAUDIT_FUZZ=ON -DBUILD_TESTING=OFF)
else
  src=fuzz ; extra=()
fi
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  CC=$CC_BIN CXX=$CXX_BIN cmake -S "$src" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${extra[@]}" >/dev/null
fi
cmake --build "$BUILD_DIR" --target scan_fuzzer -j "${FUZZ_BUILD_JOBS:-2}"
FUZZER=$BUILD_DIR/scan_fuzzer

# Seeds.
seeds=$BUILD_DIR/fuzz-seeds
rm -rf "$seeds"; mkdir -p "$seeds" fuzz/corpus-work fuzz/artifacts
i=0
while IFS= read -r -d '' f; do cp "$f" "$seeds/seed-$((i++))-$(basename "$f")"; done \
  < <(find tests/fixtures examples -name '*.py' -print0 | sort -z)
for pkg in examples/inventory_fs; do
  out="$seeds/seed-package-$(basename "$pkg")"
  : > "$out"
  for f in "$pkg"/*.py; do printf '#@file %s/%s\n' "$(basename "$pkg")" "$(basename "$f")" >> "$out"; cat "$f" >> "$out"; echo >> "$out"; done
done
[ -d tests/fuzz-regressions ] && find tests/fuzz-regressions -type f ! -name '*.md' -exec cp {} "$seeds/" \;

log=fuzz/artifacts/fuzz-$(date +%Y%m%d-%H%M%S).log
echo "fuzz.sh: fuzzing for ${SECONDS_TO_RUN}s; log in $log" >&2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:malloc_context_size=8:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
flags=(-max_len="${FUZZ_MAX_LEN:-16384}" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048
       -dict=fuzz/python.dict -artifact_prefix=fuzz/artifacts/ -print_final_stats=1)

# One libFuzzer process at a time (one core). It stops at the first crash:
# the loop notes it, drops that input from the seeds and the corpus (so that a
# known crash in tests/fuzz-regressions/ does not stop every restart) and
# fuzzs on for the rest of the time. FUZZ_MODE=fork uses libFuzzer's fork mode
# instead (keeps going by itself, but reloads the corpus for every job: slower).
end=$(( $(date +%s) + SECONDS_TO_RUN ))
crashes=0; runs=0; execs=0
set +e
if [ "${FUZZ_MODE:-}" = fork ]; then
  "$FUZZER" fuzz/corpus-work "$seeds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$SECONDS_TO_RUN" "${flags[@]}" "$@" >> "$log" 2>&1
else
  while :; do
    left=$(( end - $(date +%s) ))
    [ "$left" -le 5 ] && break
    before=$(ls fuzz/artifacts | grep -cE '^(crash|timeout|oom|leak)-')
    "$FUZZER" fuzz/corpus-work "$seeds" -max_total_time="$left" "${flags[@]}" "$@" >> "$log" 2>&1
    rc=$?
    runs=$((runs + 1))
    n=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$log" | tail -1 | awk '{print $2}')
    execs=$((execs + ${n:-0}))
    after=$(ls fuzz/artifacts | grep -cE '^(crash|timeout|oom|leak)-')
    [ "$rc" -eq 0 ] && break
    if [ "$after" -le "$before" ]; then echo "fuzz.sh: fuzzer exited $rc without an artifact; stopping" >&2; break; fi
    crashes=$((crashes + 1))
    newest=$(ls -t fuzz/artifacts | grep -E '^(crash|timeout|oom|leak)-' | head -1)
    echo "fuzz.sh: $newest (exit $rc); continuing" >&2
    # Drop the input from seeds and corpus, whatever its name there.
    h=$(sha1sum "fuzz/artifacts/$newest" | cut -c1-40)
    rm -f "fuzz/corpus-work/$h"
    for f in "$seeds"/*; do [ "$(sha1sum "$f" | cut -c1-40)" = "$h" ] && rm -f "$f"; done
  done
fi
set -e
echo "fuzz.sh: $runs libFuzzer run(s), $execs executions, $crashes stop(s) on an artifact" >&2
echo "fuzz.sh: distinct crash sites (kind, first raceaudit frame):" >&2
awk '/ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|invariant violated/ {kind=$0; want=1; next}
     want && /\/src\// {sub(/^ *#[0-9]+ 0x[0-9a-f]+ in /, ""); sub(/^.*ERROR: /, "", kind); print substr(kind, 1, 60) " @ " $0; want=0}' "$log" \
  | sort | uniq -c | sort -rn | head -20 >&2 || true
ls fuzz/artifacts | grep -E '^(crash|timeout|oom|leak|slow-unit)-' | wc -l | xargs echo "fuzz.sh: artifacts in fuzz/artifacts:" >&2
exit 0
