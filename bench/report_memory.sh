#!/usr/bin/env bash
# Peak RSS of `raceaudit scan` for N findings (default 250000) in each report
# format: a generated module with N functions that each rebind their own
# module global (one RA007 finding each). The text format streams, so its
# peak is the scan's floor; json and sarif should match it (issue 16 item 14).
#
#   bench/report_memory.sh [BINARY] [N]
set -euo pipefail
BIN=${1:-build/src/raceaudit}
N=${2:-250000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$N" >"$dir/g.py" <<'PY'
import sys
n = int(sys.argv[1])
print("import threading")
for i in range(n): print(f"G{i} = 0")
for i in range(n): print(f"def f{i}():\n    global G{i}\n    G{i} = {i}")
PY
echo "| format | findings | peak RSS (MB) |"
echo "|---|---|---|"
for f in text json sarif; do
  kb=$(/usr/bin/time -v "$BIN" scan --format "$f" -o "$dir/out.$f" "$dir/g.py" 2>&1 >/dev/null |
       sed -n 's/.*Maximum resident set size (kbytes): //p')
  echo "| $f | $N | $((kb / 1024)) |"
done
