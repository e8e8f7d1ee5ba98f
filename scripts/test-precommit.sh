#!/usr/bin/env bash
# Runs Debian's pre-commit against a small git repository that uses this
# repository's hooks (.pre-commit-hooks.yaml, language: python), offline:
# pre-commit must install raceaudit by itself (pip install of a tagged clone,
# which compiles the binary) and both hooks must report the example's findings.
#
# The hook repository is a temporary git repository made from this working
# tree (tracked and untracked, not ignored files) and tagged v<version>, so
# the test needs no tag in this clone. Offline, pip needs
#   PIP_NO_INDEX=1 PIP_FIND_LINKS=/usr/share/python-wheels
# (Debian's setuptools and wheel wheels for the isolated build), and the
# build needs the tree-sitter tarballs in ~/.cache/raceaudit-npm (any earlier
# build puts them there) or a reachable npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=$(sed -n 's/^project(raceaudit VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
work=$(mktemp -d "${TMPDIR:-/tmp}/raceaudit-precommit.XXXXXX")
trap 'rm -rf "$work"' EXIT
export PIP_NO_INDEX=1 PIP_FIND_LINKS=/usr/share/python-wheels PIP_DISABLE_PIP_VERSION_CHECK=1
export PRE_COMMIT_HOME=$work/pre-commit-home
git_() { git -c user.name=raceaudit-test -c user.email=test@invalid -c init.defaultBranch=main -c advice.detachedHead=false "$@"; }
fail() { echo "test-precommit: FAILED: $*" >&2; exit 1; }

mkdir "$work/hooks"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -C "$work/hooks" -xf -
(cd "$work/hooks" && git_ init -q && git_ add -A && git_ commit -qm "raceaudit $version" && git_ tag "v$version")

mkdir "$work/project"
cp -R examples/inventory_fs "$work/project/"
cat > "$work/project/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $work/hooks
    rev: v$version
    hooks:
      - id: raceaudit
      - id: raceaudit-files
YAML
(cd "$work/project" && git_ init -q && git_ add -A && git_ commit -qm project)

start=$SECONDS
status=0
(cd "$work/project" && pre-commit run --all-files --color never) >"$work/run.log" 2>&1 || status=$?
echo "test-precommit: pre-commit run (install included) took $((SECONDS - start)) s, exit $status" >&2
[ "$status" = 1 ] || { tail -40 "$work/run.log"; fail "pre-commit exited $status, want 1 (hazards found)"; }
for hook in "raceaudit (thread-race hazards)" "raceaudit (changed files only)"; do
  grep -qE "^$(printf '%s' "$hook" | sed 's/[()]/\\&/g')\.+Failed$" "$work/run.log" || { cat "$work/run.log"; fail "no failing '$hook'"; }
done
findings=$(grep -cE '^inventory_fs/[a-z_/]+\.py:[0-9]+:[0-9]+: RA00[1-8] ' "$work/run.log" || true)
[ "$findings" -gt 0 ] || { cat "$work/run.log"; fail "the hooks reported no finding"; }
installed=$(ls "$PRE_COMMIT_HOME"/repo*/py_env-*/bin/raceaudit)
[ "$("$installed" --version)" = "raceaudit $version" ] || fail "pre-commit's raceaudit says $("$installed" --version)"
echo "test-precommit: passed ($findings finding lines from the two hooks)" >&2
