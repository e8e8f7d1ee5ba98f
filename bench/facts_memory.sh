#!/usr/bin/env bash
# Bytes of facts `raceaudit scan` keeps per line of trivial code (issue 16
# item 16). Facts of every module are kept until linking, syntax trees are
# freed file by file, so the growth of peak RSS between a project of N and of
# 2N identical files, divided by the lines added, is what one line costs.
# Each shape is a module of LINES lines of one statement kind.
#
#   bench/facts_memory.sh [BINARY] [FILES] [LINES]
set -euo pipefail
BIN=${1:-build/src/raceaudit}
FILES=${2:-40}
LINES=${3:-20000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

peak_kb() {  # peak RSS in KiB of a one-job scan of $1 (exit 1 = findings)
  { /usr/bin/time -v "$BIN" scan --jobs 1 --min-confidence low --format json -o "$dir/out.json" "$1" 2>&1 >/dev/null || true; } |
    sed -n 's/.*Maximum resident set size (kbytes): //p'
}

echo "| shape | line | bytes per line |"
echo "|---|---|---|"
while IFS='|' read -r shape line; do
  for n in "$FILES" "$((2 * FILES))"; do
    rm -rf "$dir/p$n" && mkdir -p "$dir/p$n"
    python3 -c 'import sys; sys.stdout.write((sys.argv[1].replace("\\n", "\n") + "\n") * int(sys.argv[2]))' \
      "$line" "$LINES" >"$dir/p$n/m0.py"
    for ((i = 1; i < n; i++)); do cp "$dir/p$n/m0.py" "$dir/p$n/m$i.py"; done
  done
  small=$(peak_kb "$dir/p$FILES")
  large=$(peak_kb "$dir/p$((2 * FILES))")
  per=$(printf '%b\n' "$line" | wc -l)  # source lines per repetition
  echo "| $shape | \`$line\` | $(((large - small) * 1024 / (FILES * LINES * per))) |"
  rm -rf "$dir"/p*
done <<'SHAPES'
module assignment|x = 1
module call|print(x)
function body assignment|def f():\n    x = 1
method attribute write|class C:\n    def f(self):\n        self.x = 1
comment|# x = 1
SHAPES
