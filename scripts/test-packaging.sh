#!/usr/bin/env bash
# The packaging check (issue 15 items 1-4), what scripts/test.sh runs after
# the ctest suite (RACEAUDIT_SKIP_PACKAGING=1 skips it there):
#  1. `python3 -m build --no-isolation --sdist`: the sdist, with the pinned
#     tree-sitter tarballs in npm-sources/;
#  2. pip builds the wheel from that sdist with no npm (a stub npm that fails
#     comes first on PATH) and an empty npm cache (HOME is a new directory);
#  3. the wheel goes into a fresh virtual environment, where `raceaudit
#     --version`, `raceaudit scan examples/`, `python -m raceaudit`, the
#     stress runtime and `pytest --raceaudit` on examples/ci must work, and
#     the binary must need no shared library but libc's;
#  4. `cmake --install` of build/ (when scripts/build.sh made it);
#  5. the GitHub Action's run steps (scripts/test-action.sh, with this wheel);
#  6. the pre-commit hook, installed by pre-commit itself (scripts/test-precommit.sh).
# Offline: pip gets setuptools and wheel from Debian's /usr/share/python-wheels.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/setup.sh
PY=/usr/bin/python3
version=$(sed -n 's/^project(raceaudit VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
work=$(mktemp -d "${TMPDIR:-/tmp}/raceaudit-packaging.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PIP_NO_INDEX=1 PIP_FIND_LINKS=/usr/share/python-wheels PIP_DISABLE_PIP_VERSION_CHECK=1
export PYTHONDONTWRITEBYTECODE=1
fail() { echo "test-packaging: FAILED: $*" >&2; exit 1; }
step() { echo "test-packaging: $*" >&2; }

step "1. sdist"
$PY -m build --no-isolation --sdist --outdir "$work/dist" . >"$work/sdist.log" 2>&1 || { cat "$work/sdist.log"; fail "sdist"; }
sdist=$work/dist/raceaudit-$version.tar.gz
[ -f "$sdist" ] || fail "no $sdist"
tar tzf "$sdist" > "$work/sdist.list"
for t in tree-sitter tree-sitter-python; do
  grep -qx "raceaudit-$version/npm-sources/$t-0.25.0.tgz" "$work/sdist.list" || fail "the sdist lacks npm-sources/$t"
done

step "2. wheel from the sdist, without npm (compiles the binary)"
mkdir -p "$work/no-npm" "$work/home"
printf '#!/bin/sh\necho "npm must not be needed to build from the sdist" >&2\nexit 97\n' > "$work/no-npm/npm"
chmod +x "$work/no-npm/npm"
$PY -m venv "$work/builder"
start=$SECONDS
HOME=$work/home PATH="$work/no-npm:$PATH" "$work/builder/bin/pip" wheel --no-deps --wheel-dir "$work/wheels" "$sdist" \
  >"$work/wheel.log" 2>&1 || { tail -40 "$work/wheel.log"; fail "pip wheel of the sdist"; }
step "   wheel built in $((SECONDS - start)) s: $(cd "$work/wheels" && ls)"
wheel=$(ls "$work"/wheels/raceaudit-"$version"-py3-none-*.whl)

step "3. the wheel in a fresh virtual environment"
$PY -m venv --system-site-packages "$work/venv"   # system site: Debian's pytest
"$work/venv/bin/pip" install --no-deps "$wheel" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "pip install"; }
bin=$work/venv/bin/raceaudit
[ -x "$bin" ] || fail "the wheel put no raceaudit in the venv's bin/"
[ "$("$bin" --version)" = "raceaudit $version" ] || fail "raceaudit --version says '$("$bin" --version)'"
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
for lib in $needed; do
  # libgssapi_krb5: libgit2.a needs it and Debian has no static one (CMakeLists.txt)
  case $lib in libc.so.*|libm.so.*|ld-linux*|libpthread.so.*|libdl.so.*|librt.so.*|libgssapi_krb5.so.2) ;;
    *) fail "the wheel's binary needs $lib (needs: $needed); RACEAUDIT_STATIC_DEPS should link it in" ;;
  esac
done
status=0; "$bin" scan examples/ >"$work/scan.out" 2>&1 || status=$?
[ "$status" = 1 ] || { cat "$work/scan.out"; fail "raceaudit scan examples/ exited $status, not 1 (hazards found)"; }
grep -q '^examples/inventory_fs/.*: RA00[1-8] ' "$work/scan.out" || fail "raceaudit scan examples/ reported no finding"
[ "$("$work/venv/bin/python" -m raceaudit --version)" = "raceaudit $version" ] || fail "python -m raceaudit --version"
status=0; "$work/venv/bin/python" -m raceaudit scan examples/ >"$work/scan-m.out" 2>&1 || status=$?
[ "$status" = 1 ] && cmp -s "$work/scan.out" "$work/scan-m.out" || fail "python -m raceaudit scan differs from the binary's scan"
# The stress runtime, shipped in the package: the driver runs a workload in 4 threads.
mkdir "$work/workload" && printf 'def setup():\n    return []\n\ndef worker(seen):\n    seen.append(1)\n\ndef check(seen):\n    return [] if len(seen) == 4 else ["%%d calls" %% len(seen)]\n\ndef boom():\n    raise ValueError("boom")\n' > "$work/workload/load.py"
(cd "$work/workload" && "$work/venv/bin/python" -m raceaudit.stress.raceaudit_stress_driver --call load:worker \
   --setup load:setup --check load:check --threads 4 --result ok.json) || fail "the stress driver on a clean workload"
status=0; (cd "$work/workload" && "$work/venv/bin/python" -m raceaudit.stress.raceaudit_stress_driver --call load:boom \
   --threads 2 --result boom.json 2>/dev/null) || status=$?
$PY -c 'import json, sys; ok, boom = (json.load(open(f)) for f in sys.argv[1:]); sys.exit(not (ok["status"] == "ok" and ok["threads"] == 4 and boom["status"] == "exception" and boom["exception"]["type"] == "ValueError"))' \
  "$work/workload/ok.json" "$work/workload/boom.json" && [ "$status" = 1 ] || fail "the stress driver's results"
# The confirm probe, shipped as raceaudit.probe: an overlap on the workload's read-modify-write.
printf 'class C:\n    n = 0\n    def inc(self):\n        self.n += 1\n\ndef setup():\n    return C()\n\ndef worker(c):\n    for _ in range(50):\n        c.inc()\n' > "$work/workload/rmw.py"
(cd "$work/workload" && "$work/venv/bin/python" -c 'from raceaudit import probe
s = dict(file="rmw.py", qualname="C.inc", source="self.n += 1", receiver="self")
try:
    probe.force_call([dict(name="rmw", site=s, partner=s)], "rmw:worker", setup="rmw:setup")
except probe.OverlapError:
    raise SystemExit(0)
raise SystemExit("no overlap")') || fail "raceaudit.probe found no overlap on a read-modify-write"
(cd examples/ci && "$work/venv/bin/python" -m pytest -p no:cacheprovider --raceaudit) >"$work/pytest.out" 2>&1 \
  || { cat "$work/pytest.out"; fail "pytest --raceaudit on examples/ci"; }
grep -q "raceaudit: no thread-race hazard beyond raceaudit-baseline.json" "$work/pytest.out" \
  || { cat "$work/pytest.out"; fail "pytest --raceaudit printed no raceaudit summary"; }
cp -R examples/ci "$work/ci" && printf '\n    def reopen(self):\n        self._next_id += 1\n' >> "$work/ci/src/ledger/accounts.py"
status=0; (cd "$work/ci" && "$work/venv/bin/python" -m pytest -p no:cacheprovider --raceaudit) >"$work/pytest-new.out" 2>&1 || status=$?
[ "$status" = 1 ] && grep -q "src/ledger/accounts.py:28:9: RA001" "$work/pytest-new.out" \
  || { cat "$work/pytest-new.out"; fail "pytest --raceaudit did not fail on a new hazard (exit $status)"; }

step "4. cmake --install"
if [ -f "${BUILD_DIR:-build}/CMakeCache.txt" ]; then
  cmake --install "${BUILD_DIR:-build}" --prefix "$work/prefix" >/dev/null
  [ "$("$work/prefix/bin/raceaudit" --version)" = "raceaudit $version" ] || fail "cmake --install"
else
  step "   skipped: no ${BUILD_DIR:-build}/ (run scripts/build.sh first)"
fi

step "5. the GitHub Action's run steps"
scripts/test-action.sh "$work/wheels"
step "6. the pre-commit hook (pre-commit installs raceaudit itself: compiles the binary)"
scripts/test-precommit.sh
step "passed"
