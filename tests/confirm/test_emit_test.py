"""`raceaudit confirm --emit-test`: the emitted test fails on
examples/inventory_fs as shipped, still fails after an unrelated edit (sites
are found by qualname and statement text, not by line), and passes on a copy
with the lock added."""
import os
import subprocess
import sys

from conftest import PROBE_PACKAGE, copy_project, run, scan

REFUND = "        self.used = self.used - nbytes  # expect: RA001\n"
REFUND_LOCKED = "        with self._lock:\n            self.used = self.used - nbytes  # expect: RA001\n"
PYTEST_PYTHON = "/usr/bin/python3"  # Debian's python3-pytest


def emit(work, fingerprints):
    _, path = scan("inventory_fs", cwd=str(work))
    args = ["confirm", path, "--path", ".", "--setup", "inventory_driver:setup", "--call", "inventory_driver:worker",
            "--check", "inventory_driver:check", "--trials", "2", "--emit-test", "tests/test_race_inventory.py"]
    for fp in fingerprints:
        args += ["--finding", fp]
    os.makedirs(str(work / "tests"))
    result = run(args, cwd=str(work))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "wrote tests/test_race_inventory.py" in result.stderr
    return work / "tests" / "test_race_inventory.py"


def run_emitted(test_file, cwd):
    env = dict(os.environ, PYTHONPATH=PROBE_PACKAGE)
    return subprocess.run([PYTEST_PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)], cwd=str(cwd),
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                          timeout=300)


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_emitted_test_fails_on_the_race_and_passes_with_the_lock(tmp_path):
    work = copy_project(tmp_path)
    findings, _ = scan("inventory_fs", cwd=str(work), out=str(tmp_path / "first.json"))
    refund = [f["fingerprint"] for f in findings if f["scope"] == "Mount.refund"]
    test_file = emit(work, refund)
    text = test_file.read_text()
    assert "from raceaudit import probe" in text and '"qualname": "Mount.refund"' in text
    assert "import inventory_fs" not in text  # it imports only the probe (and the workload by name)

    for attempt in range(3):  # fails every time, not by luck
        result = run_emitted(test_file, work)
        assert result.returncode == 1, result.stdout
        assert "OverlapError" in result.stdout and "mounts.py" in result.stdout and "in refund" in result.stdout

    mounts = work / "inventory_fs" / "mounts.py"
    edit(mounts, '"""Mount table:', '# An unrelated edit: every line below moves.\n\n\n"""Mount table:')
    result = run_emitted(test_file, work)
    assert result.returncode == 1 and "OverlapError" in result.stdout, result.stdout

    edit(mounts, REFUND, REFUND_LOCKED)
    for attempt in range(3):
        result = run_emitted(test_file, work)
        assert result.returncode == 0, result.stdout
        assert "1 passed" in result.stdout

    # A test whose sites are gone fails loudly instead of passing.
    edit(mounts, "self.used = self.used - nbytes", "self.used -= nbytes")
    result = run_emitted(test_file, work)
    assert result.returncode == 1 and "never reached the probed sites" in result.stdout, result.stdout
