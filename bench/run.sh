#!/usr/bin/env bash
# raceaudit benchmark suite: builds a Release binary in its own build dir, then
# prints the table (scan vs parse floor, 1x/2x/4x corpus, --jobs 1/2, peak RSS),
# the target verdicts, the checks and the micro-benchmarks. See bench/README.md.
#
#   bench/run.sh [--update-readme] [bench.py options: --runs N --no-check --no-micro --scales 1,2,4 ...]
#
# Environment: BUILD_DIR (default <repo>/build-bench), JOBS for ninja (default 2).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
build="${BUILD_DIR:-$repo/build-bench}"

args=()
for a in "$@"; do
  if [[ "$a" == "--update-readme" ]]; then args+=(--readme "$here/README.md"); else args+=("$a"); fi
done

cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DRACEAUDIT_BENCH=ON \
  -DRACEAUDIT_WITH_STRESS=OFF -DBUILD_TESTING=OFF >/dev/null
targets=(raceaudit raceaudit_parse_floor)
if ninja -C "$build" -t targets all 2>/dev/null | grep -q '^raceaudit_micro_bench:'; then
  targets+=(raceaudit_micro_bench)  # only when Google Benchmark was found
fi
ninja -C "$build" -j "${JOBS:-2}" "${targets[@]}" >&2

exec python3 "$here/bench.py" --build-dir "$build" --source-dir "$repo" --command "bench/run.sh $*" "${args[@]}"
