#!/usr/bin/env bash
# Runs the run steps of action.yml locally with scripts/run_action_steps.py
# (everything but the upload-sarif step), on a workspace holding a copy of
# examples/, and checks what they do:
#  a. fail-on-findings false: installs raceaudit, writes a SARIF file with
#     the examples' findings (relative URIs), passes;
#  b. the defaults: fails at the last step, with one annotation per hazard;
#  c. a baseline that lists every finding: passes, SARIF with no result.
#   scripts/test-action.sh [WHEEL_DIR]
# WHEEL_DIR (the packaging check's wheel) is the action's cache-dir: the
# install step takes the wheel from it, as after an actions/cache hit.
# Without it, the install step builds the wheel from this checkout (compiles).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
PY=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/raceaudit-action.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PIP_NO_INDEX=${PIP_NO_INDEX-1} PIP_FIND_LINKS=${PIP_FIND_LINKS-/usr/share/python-wheels} PIP_DISABLE_PIP_VERSION_CHECK=1
fail() { echo "test-action: FAILED: $*" >&2; exit 1; }
cache=${1:-$work/cache}
mkdir -p "$work/ws" "$cache" && cp -R examples "$work/ws/"
run() { $PY scripts/run_action_steps.py action.yml "$work/ws" "$@"; }
sarif_results() { $PY -c 'import json, sys; r = json.load(open(sys.argv[1]))["runs"][0]; print(r["tool"]["driver"]["name"], len(r["results"]), *sorted({x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].split("/")[0] for x in r["results"]}))' "$1"; }

echo "test-action: a. SARIF, no gate" >&2
run paths=examples fail-on-findings=false cache-dir="$cache" >"$work/a.log" 2>&1 || { cat "$work/a.log"; fail "a: the steps failed"; }
grep -q "skipped (uses: github/codeql-action/upload-sarif@v3)" "$work/a.log" || fail "a: the upload step was not reached"
read -r tool count dirs <<< "$(sarif_results "$work/ws/raceaudit.sarif")"
[ "$tool" = raceaudit ] && [ "$count" -gt 0 ] && [ "$dirs" = examples ] \
  || fail "a: SARIF has tool '$tool', $count results, URIs under '$dirs' (want raceaudit, >0, examples)"

echo "test-action: b. the gate" >&2
status=0; run paths=examples cache-dir="$cache" >"$work/b.log" 2>&1 || status=$?
[ "$status" = 1 ] && grep -q "^run_action_steps: 4 Fail on hazards: failed with exit 1" "$work/b.log" \
  || { cat "$work/b.log"; fail "b: want the last step to fail with exit 1 (got $status)"; }
annotations=$(grep -cE '^::(error|warning|notice) file=examples/' "$work/b.log" || true)
[ "$annotations" = "$count" ] || fail "b: $annotations annotations for $count findings"

echo "test-action: c. with a baseline of every finding" >&2
$PY -m zipfile -e "$(ls "$cache"/raceaudit-*.whl | head -1)" "$work/wheel"
bin=$(ls "$work"/wheel/raceaudit-*.data/scripts/raceaudit) && chmod +x "$bin"
(cd "$work/ws" && "$bin" scan --write-baseline base.json examples >/dev/null 2>&1) || true
[ -s "$work/ws/base.json" ] || fail "c: could not write a baseline"
run paths=examples baseline=base.json cache-dir="$cache" >"$work/c.log" 2>&1 || { cat "$work/c.log"; fail "c: the steps failed"; }
read -r tool count dirs <<< "$(sarif_results "$work/ws/raceaudit.sarif")"
[ "$count" = 0 ] || fail "c: $count results beyond the baseline"
echo "test-action: passed" >&2
