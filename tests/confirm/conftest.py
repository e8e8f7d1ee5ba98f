"""Shared helpers of the `raceaudit confirm` tests (run by ctest with
/usr/bin/python3 -m pytest; see CMakeLists.txt)."""
import json
import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
BINARY = os.path.abspath(os.environ.get("RACEAUDIT_BINARY", os.path.join(ROOT, "build", "src", "raceaudit")))
PROBE_PACKAGE = os.path.abspath(os.environ.get("RACEAUDIT_PROBE_PACKAGE", os.path.join(ROOT, "build", "src", "confirm", "python")))


def interpreters():
    """The interpreters every confirm test runs under: python3, pypy3 and the
    free-threaded build when they are installed."""
    found = []
    for name in ("python3", "pypy3", os.path.expanduser("~/.cache/raceaudit/python3.13t/bin/python3.13t")):
        if shutil.which(name) or os.access(name, os.X_OK):
            found.append(name)
    return found


def copy_project(tmp_path):
    """examples/inventory_fs and the confirm driver for it, in tmp_path/project."""
    work = tmp_path / "project"
    shutil.copytree(os.path.join(ROOT, "examples", "inventory_fs"), str(work / "inventory_fs"))
    shutil.copy(os.path.join(HERE, "inventory_driver.py"), str(work))
    return work


def run(args, cwd=ROOT, timeout=600):
    return subprocess.run([BINARY] + list(args), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)


def scan(path, cwd=ROOT, out=None):
    """`raceaudit scan --format json PATH` -> (findings, file written)."""
    result = run(["scan", "--format", "json", path], cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    out = out or os.path.join(cwd, "scan.json")
    with open(out, "w") as f:
        f.write(result.stdout)
    return json.loads(result.stdout), out


@pytest.fixture
def bank_scan(tmp_path):
    findings, path = scan("tests/confirm/fixtures", out=str(tmp_path / "bank.json"))
    return findings, path
