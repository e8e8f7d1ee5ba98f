#!/usr/bin/env bash
# Installs the Debian packages raceaudit needs to build and test, if missing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config nodejs npm
  libcli11-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev libgit2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  pypy3 python3 python3-pyfakefs python3-jsonschema
  git python3-pytest python3-yaml pre-commit
  python3-venv python3-build python3-setuptools python3-wheel
  python3-setuptools-whl python3-wheel-whl python3-pip-whl
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come from elsewhere than Debian (e.g. a node install on PATH): accept it.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm}"); missing=("${missing[@]/nodejs}")
fi
read -r -a missing <<< "${missing[*]}"
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
