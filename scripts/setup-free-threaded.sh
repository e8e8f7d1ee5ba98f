#!/usr/bin/env bash
# Builds a free-threaded CPython 3.13 (configure --disable-gil) from Debian's
# source package, once, into a cache outside the checkout:
#
#   ${RACEAUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/raceaudit}/python3.13t/bin/python3.13t
#
# (src/util/cache_dir.cpp resolves the same directory for `raceaudit stress`).
# The source comes from Debian trixie (the release that carries 3.13), from the
# mirror the system's apt uses (or $RACEAUDIT_DEBIAN_MIRROR), through
# `apt-get source` against a private sources list and private lists/cache under
# the cache directory: /etc/apt and /var/lib/apt/lists are not touched.
# Debian's patches (security fixes among them) are applied by dpkg-source; the
# build itself is upstream's configure and make, without PGO/LTO and pip.
# A second run finds the working build and returns at once. The build happens
# in a temporary directory and is moved into place at the end, so an
# interrupted run leaves nothing half-built behind.
#
#   scripts/setup-free-threaded.sh               # build if missing; print the interpreter's path
#   scripts/setup-free-threaded.sh --print-path  # print the path if built, else exit 1
#   rm -rf "$(dirname "$(dirname "$(scripts/setup-free-threaded.sh --print-path)")")"  # delete it
set -euo pipefail
cache=${RACEAUDIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/raceaudit}
prefix=$cache/python3.13t
python=$prefix/bin/python3.13t
suite=trixie

die() { echo "setup-free-threaded.sh: $*" >&2; exit 1; }

works() {  # works: the cached interpreter runs and has the GIL disabled
  [ -x "$python" ] && "$python" -c 'import sys; assert not sys._is_gil_enabled()' 2>/dev/null
}

case ${1:-} in
  --print-path) works && { echo "$python"; exit 0; }; exit 1 ;;
  "") ;;
  -h | --help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) die "unknown option '$1' (try --help)" ;;
esac

if works; then
  echo "$python"
  exit 0
fi

# Build dependencies: bookworm's own packages, installed only when missing.
needed=(build-essential dpkg-dev pkg-config libffi-dev libssl-dev zlib1g-dev libbz2-dev
  liblzma-dev libsqlite3-dev libreadline-dev libncurses-dev uuid-dev)
missing=()
for p in "${needed[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing build dependencies (${missing[*]}): run as root or 'sudo apt-get install ${missing[*]}'"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -print -quit)" ]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 || die "apt-get update failed (no network?)"
  fi
  # The lock timeout: wait for another apt-get (scripts/setup.sh, say) instead of failing.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
    die "could not install build dependencies: ${missing[*]} (no network, or not in the package lists?)"
fi

# The Debian mirror: $RACEAUDIT_DEBIAN_MIRROR, else the one the system's apt
# uses for its own release (read, not changed).
mirror=${RACEAUDIT_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$( (apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 'Created-By: Packages' 2>/dev/null || true) |
    awk '$1 !~ /-/ && !found { print $2; found = 1 }')
fi
[ -n "$mirror" ] || die "no Debian mirror in the apt configuration: set RACEAUDIT_DEBIAN_MIRROR to one that carries $suite"

mkdir -p "$cache"
exec 9>"$cache/.python3.13t.lock"  # one build at a time; a second waits, then finds it built
flock 9
if works; then
  echo "$python"
  exit 0
fi
rm -rf "$cache"/.build-python3.13t.*  # left by a run that was killed: no other build runs now (lock)
work=$(mktemp -d "$cache/.build-python3.13t.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
log=$work/build.log

# Private apt state: a sources list with only trixie's deb-src line, its own
# lists and cache, all in the temporary directory. The system's configuration
# is never read or written.
apt=$work/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
echo "deb-src $mirror $suite main" >"$apt/sources.list"
aptopts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
  -o "Dir::Cache::archives=$apt/cache/archives" -o APT::Sandbox::User=root)
echo "setup-free-threaded.sh: fetching python3.13 source from Debian $suite" >&2
# apt-get update exits 0 when a fetch fails; the missing index says it.
if ! apt-get "${aptopts[@]}" update >"$log" 2>&1 || [ -z "$(ls "$apt"/lists/*_Sources* 2>/dev/null)" ]; then
  die "could not fetch Debian $suite's source index from $mirror (no network?): $(grep -m1 -E '^(E|W): ' "$log" || tail -1 "$log")"
fi
mkdir "$work/src"
(cd "$work/src" && apt-get "${aptopts[@]}" source --download-only python3.13) >>"$log" 2>&1 ||
  die "apt-get source python3.13 failed: $(tail -1 "$log")"
dsc=$(ls "$work"/src/python3.13_*.dsc 2>/dev/null | head -1)
[ -n "$dsc" ] || die "apt-get source did not fetch a python3.13 .dsc"
dpkg-source -x "$dsc" "$work/python" >>"$log" 2>&1 || die "dpkg-source -x $dsc failed: $(tail -1 "$log")"
rm -rf "$work/src"

jobs=$(nproc)
echo "setup-free-threaded.sh: building $(basename "$dsc" .dsc) with --disable-gil ($jobs jobs; log in $log while it runs)" >&2
stage=$work/stage  # installed under the final prefix, then moved there (DESTDIR)
(
  cd "$work/python"
  ./configure --disable-gil --prefix="$prefix" --without-ensurepip --with-system-ffi
  make -j"$jobs"
  make altinstall DESTDIR="$stage"
) >>"$log" 2>&1 || {
  cp "$log" "$cache/python3.13t-build.log"
  die "build failed: $(tail -1 "$log") (full log: $cache/python3.13t-build.log)"
}
built=$stage$prefix
rm -rf "$built/lib/python3.13t/test"  # CPython's own test suite: 140 MB nothing here needs
"$built/bin/python3.13t" -c 'import sys; assert not sys._is_gil_enabled()' 2>>"$log" ||
  PYTHONHOME=$built "$built/bin/python3.13t" -c 'import sys; assert not sys._is_gil_enabled()' ||
  die "the built interpreter does not run with the GIL disabled"
rm -rf "$prefix.old"
[ -e "$prefix" ] && mv "$prefix" "$prefix.old"
mv "$built" "$prefix"
rm -rf "$prefix.old" "$cache/python3.13t-build.log"
works || die "$python does not run after moving into place"
echo "$python"
