"""The pinned tree-sitter source packages for the sdist (npm-sources/), so
that building from the sdist needs neither npm nor the network. They come
from an unpacked sdist's own npm-sources/, the build's npm cache
(RACEAUDIT_NPM_CACHE, default ~/.cache/raceaudit-npm), or `npm pack`; each is
checked against its pinned SHA-512 (cmake/TreeSitter.cmake checks it again).
"""
import hashlib
import os
import pathlib
import shutil
import subprocess

from distutils.errors import DistutilsExecError

from pysetup.project_files import ROOT, npm_pins

BUNDLE_DIR = "npm-sources"


def _cache_dir():
    default = pathlib.Path.home() / ".cache" / "raceaudit-npm"
    return pathlib.Path(os.environ.get("RACEAUDIT_NPM_CACHE", default))


def _sha512(path):
    return hashlib.sha512(path.read_bytes()).hexdigest()


def _npm_pack(spec, dest):
    npm = shutil.which("npm")
    if not npm:
        raise DistutilsExecError(f"npm is needed once to fetch {spec} for the sdist (scripts/setup.sh installs it)")
    dest.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "pack", spec, "--pack-destination", str(dest), "--silent"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DistutilsExecError(f"`npm pack {spec}` failed: {done.stderr.strip()}")


def _find(name, version, sha512):
    file_name = f"{name}-{version}.tgz"
    for directory in (ROOT / BUNDLE_DIR, _cache_dir()):
        path = directory / file_name
        if path.is_file() and _sha512(path) == sha512:
            return path
    _npm_pack(f"{name}@{version}", _cache_dir())
    path = _cache_dir() / file_name
    if not path.is_file() or _sha512(path) != sha512:
        raise DistutilsExecError(f"integrity check failed for {file_name}: not the pinned sha512 {sha512[:16]}...")
    return path


def copy_into(release_tree):
    """Puts every pinned tarball into RELEASE_TREE/npm-sources/."""
    dest = pathlib.Path(release_tree) / BUNDLE_DIR
    dest.mkdir(exist_ok=True)
    for name, version, sha512 in npm_pins():
        shutil.copyfile(_find(name, version, sha512), dest / f"{name}-{version}.tgz")
